import { VigilError } from '../../errors/index.ts';
import { type BoltTree, type BoltTreeNode, ensureBucket, sortedKeys } from '../bolt/index.ts';
import { goJson } from './go-json.ts';

/**
 * trivy-db's build step (pkg/vulndb `optimize` + `cleanup`): sources write a staging layout
 *   advisory-detail/<vuln>/<platform…>/<pkg>   vulnerability-detail/<vuln>/<source>   vulnerability-id/<vuln>
 * which the build turns into the shipped layout
 *   <platform…>/<pkg>/<vuln>                    vulnerability/<vuln> (details merged)
 * skipping rejected vulnerabilities, then deletes the staging buckets. A tree without staging
 * buckets is left as it is.
 */
export const ADVISORY_DETAIL_BUCKET = 'advisory-detail';
export const VULNERABILITY_DETAIL_BUCKET = 'vulnerability-detail';
export const VULNERABILITY_ID_BUCKET = 'vulnerability-id';

/** Source IDs in trivy-db's order of precedence for titles, descriptions, severities and CWEs. */
export const SOURCE_PRECEDENCE = [
  'nvd',
  'redhat',
  'redhat-oval',
  'debian',
  'ubuntu',
  'alpine',
  'amazon',
  'oracle-oval',
  'suse-cvrf',
  'photon',
  'arch-linux',
  'alma',
  'rocky',
  'cbl-mariner',
  'azure',
  'ruby-advisory-db',
  'php-security-advisories',
  'nodejs-security-wg',
  'ghsa',
  'glad',
  'aqua',
  'osv',
  'k8s',
  'wolfi',
  'chainguard',
  'bitnami',
  'govulndb',
  'echo',
  'minimos',
  'rootio',
] as const;

const SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** A `vulnerability-detail` value (trivy-db types.VulnerabilityDetail). */
export interface VulnerabilityDetail {
  ID?: string;
  CvssScore?: number;
  CvssVector?: string;
  CvssScoreV3?: number;
  CvssVectorV3?: string;
  CvssScoreV40?: number;
  CvssVectorV40?: string;
  Severity?: number;
  SeverityV3?: number;
  SeverityV40?: number;
  CweIDs?: string[];
  References?: string[];
  Title?: string;
  Description?: string;
  PublishedDate?: string;
  LastModifiedDate?: string;
  Status?: string;
}

export function finalizeTrivyLayout(tree: BoltTree): void {
  const ids = tree.get(VULNERABILITY_ID_BUCKET);
  if (ids === undefined) return;
  if (!(ids instanceof Map)) throw staging(`${VULNERABILITY_ID_BUCKET} must be a bucket`);
  const advisoryDetails = tree.get(ADVISORY_DETAIL_BUCKET);
  const vulnerabilityDetails = tree.get(VULNERABILITY_DETAIL_BUCKET);
  if (!(advisoryDetails instanceof Map)) throw staging(`failed to delete advisory detail bucket: it is missing`);
  if (!(vulnerabilityDetails instanceof Map)) {
    throw staging(`failed to delete vulnerability detail bucket: it is missing`);
  }
  for (const id of sortedKeys(ids)) {
    const details = readDetails(vulnerabilityDetails.get(id), id);
    if (isRejected(details)) continue;
    const perVuln = advisoryDetails.get(id);
    if (perVuln instanceof Map) moveAdvisories(tree, perVuln, [], id);
    if (details.size === 0) continue;
    ensureBucket(tree, ['vulnerability']).set(id, goJson(normalizeVulnerability(id, details), { sortKeys: false }));
  }
  tree.delete(VULNERABILITY_ID_BUCKET);
  tree.delete(VULNERABILITY_DETAIL_BUCKET);
  tree.delete(ADVISORY_DETAIL_BUCKET);
}

/** advisory-detail/<id>/<path…>/<pkg> = v  →  <path…>/<pkg>/<id> = v */
function moveAdvisories(tree: BoltTree, bucket: BoltTree, path: string[], id: string): void {
  for (const key of sortedKeys(bucket)) {
    const node = bucket.get(key) as BoltTreeNode;
    if (node instanceof Map) {
      moveAdvisories(tree, node, [...path, key], id);
      continue;
    }
    if (path.length === 0) throw staging(`advisory-detail/${id}/${key} is not inside a platform bucket`);
    const text = Buffer.from(node).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw staging(
        `json unmarshal error: advisory-detail/${id}/${[...path, key].join('/')} is not an advisory object`,
      );
    }
    ensureBucket(tree, [...path, key]).set(id, node);
  }
}

function readDetails(node: BoltTreeNode | undefined, id: string): Map<string, VulnerabilityDetail> {
  const details = new Map<string, VulnerabilityDetail>();
  if (!(node instanceof Map)) return details;
  for (const [source, value] of node) {
    if (value instanceof Map) continue;
    try {
      details.set(source, JSON.parse(Buffer.from(value).toString('utf8')) as VulnerabilityDetail);
    } catch {
      throw staging(`json unmarshal error: vulnerability-detail/${id}/${source}`);
    }
  }
  return details;
}

function ordered(details: Map<string, VulnerabilityDetail>): VulnerabilityDetail[] {
  return SOURCE_PRECEDENCE.flatMap((source) => {
    const detail = details.get(source);
    return detail === undefined ? [] : [detail];
  });
}

export function isRejected(details: Map<string, VulnerabilityDetail>): boolean {
  return ordered(details).some(
    (d) =>
      d.Status?.toUpperCase() === 'REJECTED' ||
      (d.Description ?? '').includes('** REJECT **') ||
      (d.Description ?? '').includes('DO NOT USE THIS CANDIDATE NUMBER') ||
      (d.Description ?? '').startsWith('Rejected reason:'),
  );
}

function scoreToSeverity(score: number): number {
  if (score >= 9) return 4;
  if (score >= 7) return 3;
  if (score >= 4) return 2;
  return score > 0 ? 1 : 0;
}

/** trivy-db vulnerability.Normalize, with its fields in Go declaration order. */
export function normalizeVulnerability(id: string, details: Map<string, VulnerabilityDetail>): Record<string, unknown> {
  const list = ordered(details);
  const first = <T>(pick: (d: VulnerabilityDetail) => T | undefined): T | undefined => {
    for (const d of list) {
      const value = pick(d);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const severity =
    first((d) => {
      if ((d.CvssScoreV40 ?? 0) > 0) return scoreToSeverity(d.CvssScoreV40 ?? 0);
      if ((d.CvssScoreV3 ?? 0) > 0) return scoreToSeverity(d.CvssScoreV3 ?? 0);
      if ((d.CvssScore ?? 0) > 0) return scoreToSeverity(d.CvssScore ?? 0);
      return d.SeverityV40 || d.SeverityV3 || d.Severity || undefined;
    }) ?? 0;
  const vendorSeverity: Record<string, number> = {};
  const cvss: Record<string, Record<string, unknown>> = {};
  for (const source of [...details.keys()].sort()) {
    const d = details.get(source) as VulnerabilityDetail;
    const vendor =
      d.SeverityV40 ||
      d.SeverityV3 ||
      d.Severity ||
      scoreToSeverity(d.CvssScoreV40 || d.CvssScoreV3 || d.CvssScore || 0);
    if (vendor) vendorSeverity[source] = vendor;
    const hasV2 = Boolean(d.CvssVector && d.CvssScore);
    const hasV3 = Boolean(d.CvssVectorV3 && d.CvssScoreV3);
    const hasV40 = Boolean(d.CvssVectorV40 && d.CvssScoreV40);
    if (hasV2 || hasV3 || hasV40) {
      cvss[source] = omitEmpty({
        V2Vector: d.CvssVector,
        V3Vector: d.CvssVectorV3,
        V40Vector: d.CvssVectorV40,
        V2Score: d.CvssScore,
        V3Score: d.CvssScoreV3,
        V40Score: d.CvssScoreV40,
      });
    }
  }
  const references = new Set<string>();
  for (const source of SOURCE_PRECEDENCE) {
    if (source === 'amazon') continue; // Amazon lists unrelated references.
    for (const ref of details.get(source)?.References ?? []) {
      for (const line of ref.trim().split('\n')) references.add(line);
    }
  }
  const dateSource = id.startsWith('CVE-') ? 'nvd' : id.startsWith('GHSA-') ? 'ghsa' : undefined;
  const dates = dateSource === undefined ? undefined : details.get(dateSource);
  return omitEmpty({
    Title: first((d) => d.Title || undefined),
    Description: first((d) => d.Description || undefined),
    Severity: SEVERITIES[severity] ?? 'UNKNOWN',
    CweIDs: first((d) => (d.CweIDs?.length ? d.CweIDs : undefined)),
    VendorSeverity: vendorSeverity,
    CVSS: cvss,
    References: [...references].sort(),
    PublishedDate: dates?.PublishedDate,
    LastModifiedDate: dates?.LastModifiedDate,
  });
}

/** Drops what Go's `omitempty` drops: undefined, 0, '', empty arrays and empty maps. */
export function omitEmpty(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined || value === null || value === 0 || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    out[key] = value;
  }
  return out;
}

function staging(detail: string): VigilError {
  return new VigilError('BUILD_INVALID', `cannot build the DB: ${detail}`, {
    hint: 'fixtures in the staging layout need vulnerability-id, vulnerability-detail and advisory-detail buckets',
  });
}
