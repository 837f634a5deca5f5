import type { CodeLine, DetectedMisconfiguration, Result, Severity } from '../report/index.ts';
import { SEVERITIES } from '../report/index.ts';
import type { CheckOutcome, ConfigType } from './check-runner.ts';
import { BUILTIN_NAMESPACES } from './check-set.ts';

const SCANNER_NAMES: Record<ConfigType, string> = { dockerfile: 'Dockerfile', kubernetes: 'Kubernetes' };
const PROVIDER_NAMES: Record<string, string> = {
  dockerfile: 'Dockerfile',
  kubernetes: 'Kubernetes',
  rbac: 'RBAC',
  aws: 'AWS',
  azure: 'Azure',
  google: 'Google',
  cloud: 'Cloud',
  generic: 'Generic',
};

/** Trivy shows at most this many source lines with a finding. */
const MAX_CODE_LINES = 10;

const isBuiltinNamespace = (namespace: string) => BUILTIN_NAMESPACES.some((ns) => namespace.startsWith(`${ns}.`));

/** Trivy reports the first alias as the ID when there is one; Vigil prefers the check's own `id`. */
function reportedId(outcome: CheckOutcome): string {
  const meta = outcome.check.metadata;
  if (meta.id !== '' && meta.id !== 'N/A') return meta.id;
  return meta.aliases[0] ?? (meta.avdId || meta.id);
}

function reportedAvdId(outcome: CheckOutcome): string {
  const meta = outcome.check.metadata;
  return meta.avdId || (meta.aliases.find((alias) => alias.startsWith('AVD-')) ?? '');
}

/** Source lines for a finding: all of them marked as cause, cut to Trivy's ten with a truncation marker. */
export function codeLines(fileLines: readonly string[] | undefined, start: number, end: number): CodeLine[] {
  if (fileLines === undefined || start <= 0 || end < start || end > fileLines.length) return [];
  const lines: CodeLine[] = [];
  for (let number = start; number <= end; number += 1) {
    lines.push({
      Number: number,
      Content: (fileLines[number - 1] as string).replace(/\r$/, ''),
      IsCause: true,
      Annotation: '',
      Truncated: false,
      FirstCause: false,
      LastCause: false,
    });
    if (lines.length > MAX_CODE_LINES) break;
  }
  if (lines.length > MAX_CODE_LINES) {
    lines.length = MAX_CODE_LINES;
    const last = lines[MAX_CODE_LINES - 1] as CodeLine;
    lines[MAX_CODE_LINES - 1] = { ...last, Content: '', IsCause: false, Truncated: true };
    (lines[MAX_CODE_LINES - 2] as CodeLine).LastCause = true;
  } else {
    (lines[lines.length - 1] as CodeLine).LastCause = true;
  }
  (lines[0] as CodeLine).FirstCause = true;
  return lines;
}

function toSeverity(value: string, status: 'FAIL' | 'PASS'): Severity {
  if ((SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  // Trivy falls back to CRITICAL for a failure with an unknown severity, UNKNOWN for a pass.
  return status === 'FAIL' ? 'CRITICAL' : 'UNKNOWN';
}

export interface ResultOptions {
  /** File contents by path, for the `Code` lines of failures. */
  readonly sources?: ReadonlyMap<string, string>;
}

export function toMisconfiguration(
  outcome: CheckOutcome,
  type: ConfigType,
  fileLines: readonly string[] | undefined,
): DetectedMisconfiguration {
  const meta = outcome.check.metadata;
  const id = reportedId(outcome);
  const references = [...meta.references];
  let primaryURL = '';
  // Trivy links builtin checks to its advisory site; Vigil's own checks link to their first reference.
  if (isBuiltinNamespace(outcome.check.namespace) && outcome.check.origin !== 'embedded') {
    primaryURL = `https://avd.aquasec.com/misconfig/${id.toLowerCase()}`;
    references.push(primaryURL);
  }
  if (primaryURL === '' && references.length > 0) primaryURL = references[0] as string;
  const provider = meta.provider || (meta.selectors[0]?.type ?? 'generic');
  const message = outcome.message.trim();
  const lines = outcome.status === 'FAIL' ? codeLines(fileLines, outcome.startLine, outcome.endLine) : [];
  return {
    Type: `${SCANNER_NAMES[type]} Security Check`,
    ID: id,
    AVDID: reportedAvdId(outcome),
    Title: meta.title,
    Description: meta.description,
    Message: message === '' ? 'No issues found' : message,
    Namespace: outcome.check.namespace,
    Query: `data.${outcome.check.namespace}.${outcome.rule}`,
    Resolution: meta.recommendedActions,
    Severity: toSeverity(meta.severity, outcome.status),
    PrimaryURL: primaryURL,
    References: references,
    Status: outcome.status,
    CauseMetadata: {
      Provider: PROVIDER_NAMES[provider] ?? provider,
      Service: meta.service || 'general',
      StartLine: outcome.startLine > 0 ? outcome.startLine : undefined,
      EndLine: outcome.endLine > 0 ? outcome.endLine : undefined,
      Code: lines.length > 0 ? { Lines: lines } : undefined,
    },
  };
}

function compareMisconfigurations(a: DetectedMisconfiguration, b: DetectedMisconfiguration): number {
  const keys: Array<(m: DetectedMisconfiguration) => string | number> = [
    (m) => (m.Status === 'FAIL' ? 0 : 1),
    (m) => m.ID,
    (m) => m.CauseMetadata.StartLine ?? 0,
    (m) => m.Message,
  ];
  for (const key of keys) {
    const x = key(a);
    const y = key(b);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Trivy's config results: one per file (sorted by path) with Class `config`, the file type, a
 * MisconfSummary and every check result (passes included; filters drop them later).
 */
export function buildConfigResults(
  outcomes: readonly CheckOutcome[],
  type: ConfigType,
  options: ResultOptions = {},
): Result[] {
  const byFile = new Map<string, DetectedMisconfiguration[]>();
  const lineCache = new Map<string, string[] | undefined>();
  const linesOf = (path: string) => {
    if (!lineCache.has(path)) lineCache.set(path, options.sources?.get(path)?.split('\n'));
    return lineCache.get(path);
  };
  for (const outcome of outcomes) {
    const list = byFile.get(outcome.filePath) ?? [];
    list.push(toMisconfiguration(outcome, type, linesOf(outcome.filePath)));
    byFile.set(outcome.filePath, list);
  }
  return [...byFile.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([target, misconfigurations]) => ({
      Target: target,
      Class: 'config' as const,
      Type: type,
      MisconfSummary: {
        Successes: misconfigurations.filter((m) => m.Status === 'PASS').length,
        Failures: misconfigurations.filter((m) => m.Status === 'FAIL').length,
      },
      Misconfigurations: misconfigurations.sort(compareMisconfigurations),
    }));
}
