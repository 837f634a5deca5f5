import { createRequire } from 'node:module';

/**
 * CVSS v3.0/v3.1 scores from a vector (FIRST specification), as trivy-db's OSV sources store
 * them: the environmental score, which equals the temporal score when no environmental metric is
 * given, and the base score when no temporal metric is given either.
 */
const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
  E: { X: 1, H: 1, F: 0.97, P: 0.94, U: 0.91 },
  RL: { X: 1, U: 1, W: 0.97, T: 0.96, O: 0.95 },
  RC: { X: 1, C: 1, R: 0.96, U: 0.92 },
  CR: { X: 1, H: 1.5, M: 1, L: 0.5 },
} as const;

const BASE_METRICS = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;

function roundUp30(value: number): number {
  return Math.ceil(value * 10 - 1e-9) / 10;
}

/** CVSS 3.1's round-up, which avoids floating-point surprises. */
function roundUp31(value: number): number {
  const integer = Math.round(value * 100000);
  return integer % 10000 === 0 ? integer / 100000 : (Math.floor(integer / 10000) + 1) / 10;
}

function weight<T extends Record<string, number>>(table: T, value: string | undefined): number | undefined {
  return value === undefined ? undefined : (table as Record<string, number>)[value];
}

/** The score, or undefined when the vector is not a valid CVSS 3.x vector. */
export function cvss3Score(vector: string): number | undefined {
  const parts = vector.split('/');
  const version = parts.shift();
  if (version !== 'CVSS:3.0' && version !== 'CVSS:3.1') return undefined;
  const roundUp = version === 'CVSS:3.1' ? roundUp31 : roundUp30;
  const metrics = new Map<string, string>();
  for (const part of parts) {
    const [name, value, extra] = part.split(':');
    if (name === undefined || value === undefined || extra !== undefined || metrics.has(name)) return undefined;
    metrics.set(name, value);
  }
  if (!BASE_METRICS.every((m) => metrics.has(m))) return undefined;
  const env = (name: string) => {
    const value = metrics.get(`M${name}`);
    return value === undefined || value === 'X' ? metrics.get(name) : value;
  };
  const scope = env('S');
  const changed = scope === 'C';
  const av = weight(WEIGHTS.AV, env('AV'));
  const ac = weight(WEIGHTS.AC, env('AC'));
  const ui = weight(WEIGHTS.UI, env('UI'));
  const pr = env('PR');
  const prWeight =
    pr === 'N' ? 0.85 : pr === 'L' ? (changed ? 0.68 : 0.62) : pr === 'H' ? (changed ? 0.5 : 0.27) : undefined;
  const c = weight(WEIGHTS.CIA, env('C'));
  const i = weight(WEIGHTS.CIA, env('I'));
  const a = weight(WEIGHTS.CIA, env('A'));
  const e = weight(WEIGHTS.E, metrics.get('E') ?? 'X');
  const rl = weight(WEIGHTS.RL, metrics.get('RL') ?? 'X');
  const rc = weight(WEIGHTS.RC, metrics.get('RC') ?? 'X');
  const cr = weight(WEIGHTS.CR, metrics.get('CR') ?? 'X');
  const ir = weight(WEIGHTS.CR, metrics.get('IR') ?? 'X');
  const ar = weight(WEIGHTS.CR, metrics.get('AR') ?? 'X');
  const values = [av, ac, ui, prWeight, c, i, a, e, rl, rc, cr, ir, ar];
  if (scope !== 'U' && scope !== 'C') return undefined;
  if (values.some((v) => v === undefined)) return undefined;
  const [AV, AC, UI, PR, C, I, A, E, RL, RC, CR, IR, AR] = values as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const hasEnvironmental = [...metrics.keys()].some((m) => m.startsWith('M') || ['CR', 'IR', 'AR'].includes(m));
  const exploitability = 8.22 * AV * AC * PR * UI;
  if (!hasEnvironmental) {
    const iss = 1 - (1 - C) * (1 - I) * (1 - A);
    const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
    const base = impact <= 0 ? 0 : roundUp(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));
    return roundUp(base * E * RL * RC);
  }
  const miss = Math.min(1 - (1 - CR * C) * (1 - IR * I) * (1 - AR * A), 0.915);
  const impact = changed
    ? 7.52 * (miss - 0.029) - 3.25 * (version === 'CVSS:3.1' ? (miss * 0.9731 - 0.02) ** 13 : (miss - 0.02) ** 15)
    : 6.42 * miss;
  if (impact <= 0) return 0;
  const inner = changed
    ? roundUp(Math.min(1.08 * (impact + exploitability), 10))
    : roundUp(Math.min(impact + exploitability, 10));
  return roundUp(inner * E * RL * RC);
}

// ae-cvss-calculator is CommonJS without named ESM exports, so it is loaded through require.
const cvssCalculator = createRequire(import.meta.url)('ae-cvss-calculator') as typeof import('ae-cvss-calculator');

/** CVSS v4.0 metrics in the specification's order; vectors must list them in this order. */
const V4_ORDER = [
  'AV',
  'AC',
  'AT',
  'PR',
  'UI',
  'VC',
  'VI',
  'VA',
  'SC',
  'SI',
  'SA',
  'E',
  'CR',
  'IR',
  'AR',
  'MAV',
  'MAC',
  'MAT',
  'MPR',
  'MUI',
  'MVC',
  'MVI',
  'MVA',
  'MSC',
  'MSI',
  'MSA',
  'S',
  'AU',
  'R',
  'V',
  'RE',
  'U',
];
const V4_BASE = V4_ORDER.slice(0, 11);

/**
 * The CVSS v4.0 score (FIRST's macro-vector method, via ae-cvss-calculator), or undefined for an
 * invalid vector. Like the Go library trivy-db uses, metrics out of the specification's order or
 * a missing base metric make the vector invalid.
 */
export function cvss4Score(vector: string): number | undefined {
  const parts = vector.split('/');
  if (parts.shift() !== 'CVSS:4.0') return undefined;
  let last = -1;
  const seen = new Set<string>();
  for (const part of parts) {
    const name = part.split(':')[0] ?? '';
    const position = V4_ORDER.indexOf(name);
    if (position <= last || part.split(':').length !== 2) return undefined;
    last = position;
    seen.add(name);
  }
  if (!V4_BASE.every((metric) => seen.has(metric))) return undefined;
  try {
    const score = new cvssCalculator.Cvss4P0(vector).calculateScores().overall;
    return typeof score === 'number' && Number.isFinite(score) ? score : undefined;
  } catch {
    return undefined;
  }
}
