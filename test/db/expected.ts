import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Reads trivy-db's own test expectations (Go test tables converted to JSON) and resolves the Go
 * identifiers they contain into the values the DB holds: source IDs, severities, times.
 */
export const FIXTURES = fileURLToPath(new URL('../fixtures/db/', import.meta.url));

const SOURCE_IDS: Record<string, string> = {
  'vulnerability.NVD': 'nvd',
  'vulnerability.RedHat': 'redhat',
  'vulnerability.GHSA': 'ghsa',
  'vulnerability.OSV': 'osv',
  'vulnerability.GoVulnDB': 'govulndb',
  'vulnerability.PhpSecurityAdvisories': 'php-security-advisories',
};
const SEVERITIES: Record<string, number> = {
  'types.SeverityUnknown': 0,
  'types.SeverityLow': 1,
  'types.SeverityMedium': 2,
  'types.SeverityHigh': 3,
  'types.SeverityCritical': 4,
};

export interface ExpectedCase {
  name: string;
  [field: string]: unknown;
}

export function expectedCases(file: string, func: string): ExpectedCase[] {
  const data = JSON.parse(readFileSync(`${FIXTURES}trivy-db-expected/${file}`, 'utf8')) as {
    tables: Array<{ func: string; cases: ExpectedCase[] }>;
  };
  const table = data.tables.find((t) => t.func === func);
  if (table === undefined) throw new Error(`${func} not in ${file}`);
  return table.cases.map((c) => resolveGo(c) as ExpectedCase);
}

function resolveName(name: string): unknown {
  const bare = name.slice(1);
  if (bare in SOURCE_IDS) return SOURCE_IDS[bare];
  if (bare in SEVERITIES) return SEVERITIES[bare];
  return name;
}

export function resolveGo(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith('$') ? resolveName(value) : value;
  if (Array.isArray(value)) return value.map(resolveGo);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.$call === 'utils.MustTimeParse') return (record.args as string[])[0];
    if (record.$call === 'time.Date') {
      const [y, mo, d, h, mi, s] = record.args as number[];
      return new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s)).toISOString().replace('.000Z', 'Z');
    }
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(record)) {
      const resolvedKey = key.startsWith('vulnerability.') ? ((resolveName(`$${key}`) as string) ?? key) : key;
      out[resolvedKey] = resolveGo(inner);
    }
    return out;
  }
  return value;
}
