import type { DetectedMisconfiguration, Result, Severity } from './types.ts';
import { SEVERITIES } from './types.ts';

const RULE_HEAVY = '═'.repeat(40);
const RULE_LIGHT = '─'.repeat(40);

/** Trivy's text form of one config result: counts, then each failure with its source lines. */
export function renderMisconfigurations(result: Result, paint: (severity: Severity, text: string) => string): string {
  const failures = (result.Misconfigurations ?? []).filter((m) => m.Status === 'FAIL');
  const summary = result.MisconfSummary ?? { Successes: 0, Failures: failures.length };
  const tally = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const failure of failures) tally[failure.Severity] += 1;
  let out = `Tests: ${summary.Successes + summary.Failures} (SUCCESSES: ${summary.Successes}, FAILURES: ${summary.Failures})\n`;
  out += `Failures: ${failures.length} (${SEVERITIES.map((s) => `${s}: ${tally[s]}`).join(', ')})\n`;
  for (const failure of failures) out += `\n${renderFailure(result.Target, failure, paint)}`;
  return out;
}

function renderFailure(
  target: string,
  failure: DetectedMisconfiguration,
  paint: (severity: Severity, text: string) => string,
): string {
  let out = `${failure.ID} (${paint(failure.Severity, failure.Severity)}): ${failure.Message}\n${RULE_HEAVY}\n`;
  if (failure.Description) out += `${failure.Description}\n\n`;
  if (failure.PrimaryURL) out += `See ${failure.PrimaryURL}\n`;
  out += `${RULE_LIGHT}\n`;
  const { StartLine, EndLine, Code } = failure.CauseMetadata;
  if (StartLine) {
    const where = EndLine && EndLine !== StartLine ? `${StartLine}-${EndLine}` : `${StartLine}`;
    out += ` ${target}:${where}\n${RULE_LIGHT}\n`;
  }
  const lines = Code?.Lines ?? [];
  if (lines.length > 0) {
    const width = String(Math.max(...lines.map((line) => line.Number))).length;
    for (const line of lines) {
      const marker = line.IsCause
        ? lines.length === 1
          ? '['
          : line.FirstCause
            ? '┌'
            : line.LastCause
              ? '└'
              : '│'
        : ' ';
      out += line.Truncated
        ? ` ${' '.repeat(width)}   ..\n`
        : ` ${String(line.Number).padStart(width)} ${marker} ${line.Content}\n`;
    }
    out += `${RULE_LIGHT}\n`;
  }
  return out;
}
