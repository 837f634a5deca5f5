import { cacheLayout } from '../../cache/layout.ts';
import {
  type Advisory,
  type IdSearchResult,
  openTrivyDb,
  type PackageSearchResult,
  searchById,
  searchPackage,
  severityName,
  statusName,
} from '../../db/trivydb/index.ts';
import { usageError } from '../../errors/index.ts';
import type { CommandContext } from '../command.ts';
import { searchFormatOption } from '../commands/db-search.ts';

export function runSearch(context: CommandContext): number {
  const [first, second, ...rest] = context.args;
  if (first === undefined || rest.length > 0) {
    throw usageError('give a vulnerability ID, or an ecosystem and a package name', 'vigil db search npm jquery');
  }
  const format = context.options.require(searchFormatOption);
  const db = openTrivyDb(cacheLayout(context.global.cacheDir).vulnDbFile);
  try {
    const out = context.io.stdout;
    if (second === undefined) {
      const result = searchById(db, first);
      out.write(format === 'json' ? `${JSON.stringify(idJson(result), null, 2)}\n` : idTable(result));
    } else {
      const result = searchPackage(db, first, second);
      out.write(format === 'json' ? `${JSON.stringify(packageJson(result), null, 2)}\n` : packageTable(result));
    }
  } finally {
    db.close();
  }
  return 0;
}

/** Advisory fields for output, with Status and Severity as the strings Trivy reports. */
function advisoryOutput(advisory: Advisory): Record<string, unknown> {
  const { Status, Severity, ...rest } = advisory;
  return {
    ...rest,
    ...(Status === undefined ? {} : { Status: statusName(Status) }),
    ...(Severity === undefined ? {} : { Severity: severityName(Severity) }),
  };
}

function idJson(result: IdSearchResult): unknown {
  return {
    VulnerabilityID: result.id,
    Vulnerability: result.vulnerability ?? null,
    Advisories: result.advisories.map((hit) => ({
      Bucket: hit.bucket,
      PkgName: hit.packageName,
      ...advisoryOutput(hit.advisory),
    })),
  };
}

function packageJson(result: PackageSearchResult): unknown {
  return {
    Ecosystem: result.ecosystem,
    PkgName: result.packageName,
    Buckets: result.buckets,
    Advisories: result.advisories.map((hit) => ({ Bucket: hit.bucket, ...advisoryOutput(hit.advisory) })),
  };
}

function versionsText(advisory: Advisory): { vulnerable: string; fixed: string } {
  const vulnerable = advisory.VulnerableVersions?.join(' || ') ?? advisory.AffectedVersion ?? '';
  const fixed = advisory.PatchedVersions?.join(', ') ?? advisory.FixedVersion ?? '';
  return { vulnerable, fixed };
}

function status(advisory: Advisory): string {
  if (advisory.Status !== undefined && advisory.Status !== 0) return statusName(advisory.Status);
  return versionsText(advisory).fixed ? 'fixed' : 'affected';
}

function idTable(result: IdSearchResult): string {
  const lines: string[] = [];
  const vuln = result.vulnerability;
  if (vuln === undefined && result.advisories.length === 0)
    return `No vulnerability or advisory found for ${result.id}\n`;
  lines.push(result.id);
  if (vuln !== undefined) {
    if (vuln.Title) lines.push(`Title:       ${vuln.Title}`);
    if (vuln.Severity) lines.push(`Severity:    ${vuln.Severity}`);
    const vendors = Object.entries(vuln.VendorSeverity ?? {}).map(([source, sev]) => `${source}: ${severityName(sev)}`);
    if (vendors.length > 0) lines.push(`By source:   ${vendors.join(', ')}`);
    for (const [source, cvss] of Object.entries(vuln.CVSS ?? {})) {
      const scores = [
        cvss.V40Vector && `${cvss.V40Score} ${cvss.V40Vector}`,
        cvss.V3Vector && `${cvss.V3Score} ${cvss.V3Vector}`,
      ]
        .filter(Boolean)
        .join(', ');
      if (scores) lines.push(`CVSS ${source}:`.padEnd(13) + scores);
    }
    if (vuln.CweIDs?.length) lines.push(`CWE:         ${vuln.CweIDs.join(', ')}`);
    if (vuln.PublishedDate) lines.push(`Published:   ${vuln.PublishedDate}`);
    if (vuln.LastModifiedDate) lines.push(`Modified:    ${vuln.LastModifiedDate}`);
    if (vuln.Description) lines.push(`Description: ${vuln.Description.replace(/\s+/g, ' ').trim()}`);
    if (vuln.References?.length) lines.push(`References:  ${vuln.References.length} (see --format json)`);
  } else {
    lines.push('(no entry in the vulnerability bucket)');
  }
  lines.push('');
  if (result.advisories.length === 0) {
    lines.push('No advisories.');
  } else {
    lines.push(`Advisories (${result.advisories.length}):`);
    const rows = result.advisories.map((hit) => {
      const v = versionsText(hit.advisory);
      return [
        hit.bucket,
        hit.packageName,
        v.vulnerable,
        v.fixed,
        status(hit.advisory),
        hit.advisory.DataSource?.Name ?? '',
      ];
    });
    lines.push(renderTable(['BUCKET', 'PACKAGE', 'VULNERABLE', 'FIXED', 'STATUS', 'DATA SOURCE'], rows));
  }
  return `${lines.join('\n')}\n`;
}

function packageTable(result: PackageSearchResult): string {
  if (result.advisories.length === 0) {
    const where = result.buckets.length > 0 ? `${result.buckets.length} buckets` : 'no matching bucket';
    return `No advisories for ${result.ecosystem} ${result.packageName} (searched ${where})\n`;
  }
  // OS searches span release buckets, so say which one each advisory is for.
  const showBucket = !result.buckets.every((bucket) => bucket.includes('::'));
  const rows = result.advisories.map((hit) => {
    const v = versionsText(hit.advisory);
    const cells = [hit.advisory.VulnerabilityID, v.vulnerable, v.fixed, status(hit.advisory)];
    return [...(showBucket ? [hit.bucket] : []), ...cells, hit.advisory.DataSource?.Name ?? ''];
  });
  const headers = ['VULNERABILITY', 'VULNERABLE', 'FIXED', 'STATUS', 'DATA SOURCE'];
  if (showBucket) headers.unshift('BUCKET');
  const header = `${result.ecosystem} ${result.packageName}: ${result.advisories.length} advisories`;
  return `${header}\n${renderTable(headers, rows)}\n`;
}

function renderTable(headers: readonly string[], rows: readonly string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
