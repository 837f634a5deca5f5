import { PackageURL } from 'packageurl-js';
import type { Package } from '../analyzer/types.ts';
import type { DetectedVulnerability, ModifiedFinding, Report } from '../report/types.ts';
import type { LoadedVex, VexSourceReport } from './sources.ts';
import { applyVex, type VexComponentNode, type VexFinding } from './suppress.ts';

/**
 * VEX over a Trivy-shaped report, for the scan commands: each result's packages become the
 * component graph (DependsOn edges; packages nothing depends on hang under the artifact), each
 * vulnerability a finding, and what the sources rule out moves from `Vulnerabilities` to
 * `ModifiedFindings` as Trivy reports it (shown with --show-suppressed).
 */
export interface ReportVexOptions {
  /** The scanned artifact's PURL (an image: see ociImagePurl), the top of every path. */
  readonly artifactPurl?: string;
}

export interface ReportVexOutcome {
  readonly suppressed: number;
  /** For the report (e.g. `Report.Vigil.VEX`) and the logs: what was applied and what was not. */
  readonly sources: VexSourceReport[];
}

export function applyVexToReport(report: Report, loaded: LoadedVex, options: ReportVexOptions = {}): ReportVexOutcome {
  let suppressedCount = 0;
  const artifact: VexComponentNode = { PURL: options.artifactPurl };
  for (const result of report.Results) {
    const vulnerabilities = result.Vulnerabilities ?? [];
    if (vulnerabilities.length === 0 || loaded.sources.length === 0) continue;
    const nodes = packageGraph(result.Packages ?? [], artifact);
    const findings = vulnerabilities.map((vulnerability) => {
      const node =
        (vulnerability.PkgID ? nodes.byId.get(vulnerability.PkgID) : undefined) ??
        (vulnerability.PkgIdentifier?.PURL ? nodes.byPurl.get(vulnerability.PkgIdentifier.PURL) : undefined);
      const finding: VexFinding & { vulnerability: DetectedVulnerability } = {
        VulnerabilityID: vulnerability.VulnerabilityID,
        PkgName: vulnerability.PkgName,
        PURL: vulnerability.PkgIdentifier?.PURL,
        Parents: node?.Parents ?? [artifact],
        vulnerability,
      };
      return finding;
    });
    const outcome = applyVex(findings, loaded.sources);
    if (outcome.suppressed.length === 0) continue;
    suppressedCount += outcome.suppressed.length;
    result.Vulnerabilities = outcome.kept.map((finding) => finding.vulnerability);
    const modified: ModifiedFinding[] = outcome.suppressed.map((suppression) => ({
      Type: 'vulnerability',
      Status: suppression.status,
      Statement: suppression.statement,
      Source: suppression.source,
      Finding: suppression.finding.vulnerability,
    }));
    result.ModifiedFindings = [...(result.ModifiedFindings ?? []), ...modified];
  }
  return { suppressed: suppressedCount, sources: loaded.report() };
}

interface PackageNode extends VexComponentNode {
  readonly PURL?: string;
  readonly Parents: VexComponentNode[];
}

function packageGraph(packages: readonly Package[], artifact: VexComponentNode) {
  const byId = new Map<string, PackageNode>();
  const byPurl = new Map<string, PackageNode>();
  for (const pkg of packages) {
    const node: PackageNode = { PURL: pkg.Identifier?.PURL, Parents: [] };
    if (pkg.ID) byId.set(pkg.ID, node);
    if (node.PURL) byPurl.set(node.PURL, node);
  }
  for (const pkg of packages) {
    const parent = (pkg.ID && byId.get(pkg.ID)) || (pkg.Identifier?.PURL && byPurl.get(pkg.Identifier.PURL));
    if (!parent) continue;
    for (const child of pkg.DependsOn ?? []) byId.get(child)?.Parents.push(parent);
  }
  // Packages nothing depends on (roots, direct dependencies without a root, OS packages) sit under the artifact.
  for (const node of new Set([...byId.values(), ...byPurl.values()])) {
    if (node.Parents.length === 0) node.Parents.push(artifact);
  }
  return { byId, byPurl };
}

/**
 * Trivy's PURL for an image: `pkg:oci/<name>@<digest>?arch=…&repository_url=<registry>/<repository>`,
 * from a repo digest such as `registry.example/team/app@sha256:…` (Docker Hub names are expanded
 * to `index.docker.io/library/…` as go-containerregistry does).
 */
export function ociImagePurl(repoDigest: string, arch?: string): string | undefined {
  const at = repoDigest.lastIndexOf('@');
  if (at < 0) return undefined;
  let repository = repoDigest.slice(0, at);
  const digest = repoDigest.slice(at + 1);
  const first = repository.split('/')[0] ?? '';
  const hasRegistry = repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) repository = `index.docker.io/${repository.includes('/') ? repository : `library/${repository}`}`;
  else if (first === 'docker.io') repository = `index.docker.io/${repository.slice(first.length + 1)}`;
  const name = repository.split('/').at(-1)?.toLowerCase() ?? '';
  const qualifiers: Record<string, string> = { repository_url: repository };
  if (arch) qualifiers.arch = arch;
  return new PackageURL('oci', undefined, name, digest, qualifiers, undefined).toString();
}
