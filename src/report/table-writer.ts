import { renderBoxTable } from './box-table.ts';
import { type DatabaseCoverage, renderDatabaseCoverage } from './coverage.ts';
import { renderMisconfigurations } from './misconf-table.ts';
import type { Report, Result, Severity } from './types.ts';
import { SEVERITIES } from './types.ts';

export interface TableOptions {
  colour: boolean;
}

const COLOURS: Record<Severity, string> = {
  UNKNOWN: '\x1b[36m',
  LOW: '\x1b[34m',
  MEDIUM: '\x1b[33m',
  HIGH: '\x1b[31m',
  CRITICAL: '\x1b[1;31m',
};
const RESET = '\x1b[0m';

function counts(result: Result): Record<Severity, number> {
  const tally = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const vulnerability of result.Vulnerabilities ?? []) tally[vulnerability.Severity] += 1;
  return tally;
}

function totalLine(result: Result): string {
  const tally = counts(result);
  const total = (result.Vulnerabilities ?? []).length;
  return `Total: ${total} (${SEVERITIES.map((severity) => `${severity}: ${tally[severity]}`).join(', ')})`;
}

/** The human report: a summary of every target, then a table of findings per target. */
export function renderTableReport(report: Report, options: TableOptions): string {
  const paintSeverity = (text: string) => {
    const severity = text.trim() as Severity;
    return options.colour && COLOURS[severity] ? `${COLOURS[severity]}${text}${RESET}` : text;
  };
  let out = '\nReport Summary\n\n';
  // Columns for what was scanned: vulnerabilities unless every result is a config file, misconfigurations if any is.
  const hasConfig = report.Results.some((result) => result.Class === 'config');
  const hasPackages = !hasConfig || report.Results.some((result) => result.Class !== 'config');
  out += renderBoxTable({
    headers: [
      'Target',
      'Type',
      ...(hasPackages ? ['Vulnerabilities'] : []),
      ...(hasConfig ? ['Misconfigurations'] : []),
    ],
    rows: report.Results.map((result) => {
      const isConfig = result.Class === 'config';
      const row = [result.Target, result.Type ?? ''];
      if (hasPackages) row.push(isConfig ? '-' : String((result.Vulnerabilities ?? []).length));
      if (hasConfig) row.push(isConfig ? String(result.MisconfSummary?.Failures ?? 0) : '-');
      return row;
    }),
  });
  out += "Legend:\n- '-': Not scanned\n- '0': Clean (no security findings detected)\n";
  for (const result of report.Results) {
    if (result.Class === 'config') {
      if ((result.Misconfigurations ?? []).some((m) => m.Status === 'FAIL')) {
        const heading = `${result.Target} (${result.Type ?? result.Class})`;
        out += `\n\n${heading}\n${'='.repeat([...heading].length)}\n`;
        out += renderMisconfigurations(result, (_severity, text) => paintSeverity(text));
      }
      continue;
    }
    const vulnerabilities = result.Vulnerabilities ?? [];
    if (vulnerabilities.length === 0 && !(result.ModifiedFindings ?? []).length) continue;
    const heading = result.Class === 'os-pkgs' ? result.Target : `${result.Target} (${result.Type ?? result.Class})`;
    out += `\n\n${heading}\n${'='.repeat([...heading].length)}\n`;
    out += `${totalLine(result)}\n\n`;
    if (vulnerabilities.length > 0) {
      const showPath = vulnerabilities.some((vulnerability) => vulnerability.PkgPath);
      const headers = ['Library', 'Vulnerability', 'Severity', 'Status', 'Installed Version', 'Fixed Version', 'Title'];
      out += renderBoxTable({
        headers: showPath ? [headers[0] as string, 'Path', ...headers.slice(1)] : headers,
        rows: vulnerabilities.map((vulnerability) => {
          const title = [vulnerability.Title ?? '', vulnerability.PrimaryURL ?? ''].filter(Boolean).join('\n');
          const row = [
            vulnerability.PkgName,
            vulnerability.VulnerabilityID,
            vulnerability.Severity,
            vulnerability.Status ?? '',
            vulnerability.InstalledVersion,
            vulnerability.FixedVersion ?? '',
            title,
          ];
          return showPath ? [row[0] as string, vulnerability.PkgPath ?? '', ...row.slice(1)] : row;
        }),
        maxWidths: showPath ? [30, 40, 20, 8, 12, 20, 20, 60] : [30, 20, 8, 12, 20, 20, 60],
        paint: (text, _row, column) => (column === (showPath ? 3 : 2) ? paintSeverity(text) : text),
        mergeFirstColumn: true,
      });
    }
    const suppressed = result.ModifiedFindings ?? [];
    if (suppressed.length > 0) {
      out += `\nSuppressed Vulnerabilities (${suppressed.length})\n`;
      out += renderBoxTable({
        headers: ['Library', 'Vulnerability', 'Severity', 'Status', 'Statement', 'Source'],
        rows: suppressed.map((finding) => [
          finding.Finding.PkgName,
          finding.Finding.VulnerabilityID,
          finding.Finding.Severity,
          finding.Status,
          finding.Statement ?? '',
          finding.Source,
        ]),
        maxWidths: [30, 20, 8, 14, 40, 40],
        mergeFirstColumn: true,
      });
    }
  }
  return out + renderCoverage(report);
}

interface CoverageLine {
  name?: string;
  status?: string;
  reason?: string;
}

/** What the results rest on (databases, VEX sources), so an empty table can be told from missing data. */
function renderCoverage(report: Report): string {
  let out = renderDatabaseCoverage((report.Vigil?.Databases ?? []) as DatabaseCoverage[]);
  const vex = (report.Vigil?.VEX ?? []) as CoverageLine[];
  if (vex.length > 0) {
    const lines = vex.map(
      (source) => `- ${source.name}: ${source.status}${source.reason ? ` (${source.reason})` : ''}`,
    );
    out += `\nVEX sources:\n${lines.join('\n')}\n`;
  }
  const warnings = (report.Vigil?.AnalysisWarnings ?? []) as string[];
  if (warnings.length > 0) {
    out += `\nAnalysis warnings (${warnings.length}): some files were not fully analysed\n`;
    out += `${warnings.map((warning) => `- ${warning}`).join('\n')}\n`;
  }
  return out;
}
