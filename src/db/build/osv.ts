import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VigilError } from '../../errors/index.ts';
import { type BoltTree, ensureBucket } from '../bolt/index.ts';
import type { DataSource } from '../trivydb/index.ts';
import { normalizePackageName } from '../trivydb/index.ts';
import { cvss3Score, cvss4Score } from './cvss.ts';
import { ADVISORY_DETAIL_BUCKET, VULNERABILITY_DETAIL_BUCKET, VULNERABILITY_ID_BUCKET } from './finalize.ts';
import { goJson } from './go-json.ts';
import { type OsvRange, parseAffectedVersions } from './osv-ranges.ts';

/**
 * OSV JSON advisories → trivy-db's staging buckets, following trivy-db's OSV-based sources
 * (pkg/vulnsrc/osv with the ghsa, govulndb and osv transformers). Which source an entry
 * belongs to is decided by its ID:
 *
 * | ID          | source ID  | bucket                                              |
 * |-------------|------------|-----------------------------------------------------|
 * | `GHSA-…`    | `ghsa`     | `<eco>::GitHub Security Advisory <GitHub's name>`  |
 * | `GO-…`      | `govulndb` | `go::The Go Vulnerability Database`                 |
 * | other       | `osv`      | pip: `pip::Python Packaging Advisory Database`; cargo: `cargo::RustSec Advisory Database`; else `<eco>::Open Source Vulnerabilities` |
 *
 * Per entry: withdrawn entries (withdrawn before `now`) are skipped; the vulnerability IDs are the
 * CVE aliases (or the entry ID when there is none) and the other IDs become `VendorIDs`; one
 * advisory per package (repeated packages merge their ranges); details carry summary,
 * description, references, dates and the CVSS v3 and v4.0 vectors with their scores. GHSA: severity from
 * `database_specific.severity`, an open-ended range closed by
 * `affected[].database_specific.last_known_affected_version_range`, Go standard-library
 * packages (and the golang.org/x modules it vendors) left to govulndb, NuGet kept under the
 * original and the lowercase name. govulndb: OSes/Arches from `ecosystem_specific.imports`, other
 * modules skipped when GitHub also publishes the advisory (a GHSA alias), `database_specific.url`
 * added to references. CVE IDs are also taken from OSV's `upstream` list (PyPA).
 */
export interface OsvLoadOptions {
  /** Entries withdrawn before this time are skipped. */
  readonly now: Date;
}

interface OsvEntry {
  id?: string;
  modified?: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  /** OSV 1.6: IDs of the upstream advisories (PyPA lists CVEs here). */
  upstream?: string[];
  summary?: string;
  details?: string;
  severity?: Array<{ type?: string; score?: string }>;
  affected?: OsvAffected[];
  references?: Array<{ url?: string }>;
  database_specific?: { severity?: string; url?: string };
}

interface OsvAffected {
  package?: { name?: string; ecosystem?: string };
  ranges?: OsvRange[];
  versions?: string[];
  severity?: Array<{ type?: string; score?: string }>;
  ecosystem_specific?: { imports?: Array<{ goos?: string[]; goarch?: string[] }> };
  database_specific?: { last_known_affected_version_range?: string };
}

const ECOSYSTEMS: Record<string, string> = {
  go: 'go',
  npm: 'npm',
  pypi: 'pip',
  rubygems: 'rubygems',
  'crates.io': 'cargo',
  packagist: 'composer',
  maven: 'maven',
  nuget: 'nuget',
  hex: 'erlang',
  pub: 'pub',
  swifturl: 'swift',
  'purl-type:swift': 'swift',
  bitnami: 'bitnami',
  kubernetes: 'k8s',
};

/** GitHub's ecosystem names in its data source names. */
const GHSA_NAMES: Record<string, string> = {
  composer: 'Composer',
  go: 'Go',
  maven: 'Maven',
  npm: 'npm',
  nuget: 'NuGet',
  pip: 'pip',
  rubygems: 'RubyGems',
  cargo: 'Rust',
  erlang: 'Erlang',
  pub: 'Pub',
  swift: 'Swift',
};

const SEVERITY: Record<string, number> = { LOW: 1, MODERATE: 2, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

type SourceKind = 'ghsa' | 'govulndb' | 'osv';

function dataSourceFor(kind: SourceKind, ecosystem: string): DataSource | undefined {
  if (kind === 'ghsa') {
    const name = GHSA_NAMES[ecosystem];
    if (name === undefined) return undefined;
    const url = `https://github.com/advisories?query=type%3Areviewed+ecosystem%3A${name.toLowerCase()}`;
    return { ID: 'ghsa', Name: `GitHub Security Advisory ${name}`, URL: url };
  }
  if (kind === 'govulndb') {
    return ecosystem === 'go'
      ? { ID: 'govulndb', Name: 'The Go Vulnerability Database', URL: 'https://pkg.go.dev/vuln/' }
      : undefined;
  }
  if (ecosystem === 'pip') {
    return { ID: 'osv', Name: 'Python Packaging Advisory Database', URL: 'https://github.com/pypa/advisory-db' };
  }
  if (ecosystem === 'cargo') {
    return { ID: 'osv', Name: 'RustSec Advisory Database', URL: 'https://github.com/RustSec/advisory-db' };
  }
  return { ID: 'osv', Name: 'Open Source Vulnerabilities', URL: 'https://osv.dev' };
}

/** Every `*.json` under the directories, in path order. */
export function listOsvFiles(dirs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json')) files.push(path);
    }
  };
  for (const dir of dirs) {
    try {
      walk(dir);
    } catch (error) {
      throw new VigilError('OSV_INVALID', `cannot read the OSV directory ${dir}: ${(error as Error).message}`);
    }
  }
  return files;
}

export function loadOsvDirectories(dirs: readonly string[], tree: BoltTree, options: OsvLoadOptions): number {
  const files = listOsvFiles(dirs);
  for (const file of files) {
    let entry: OsvEntry;
    try {
      entry = JSON.parse(readFileSync(file, 'utf8')) as OsvEntry;
    } catch (error) {
      throw new VigilError('OSV_INVALID', `json decode error in ${file}: ${(error as Error).message}`, {
        hint: 'OSV files must be JSON objects as in https://ossf.github.io/osv-schema/',
      });
    }
    if (entry === null || typeof entry !== 'object' || typeof entry.id !== 'string') {
      throw new VigilError('OSV_INVALID', `json decode error in ${file}: not an OSV entry (no id)`);
    }
    addOsvEntry(tree, entry, options);
  }
  return files.length;
}

interface PendingAdvisory {
  ecosystem: string;
  packageName: string;
  vulnerable: string[];
  patched: string[];
  oses: string[];
  arches: string[];
  vectorV3: string | undefined;
  vectorV40: string | undefined;
}

export function addOsvEntry(tree: BoltTree, entry: OsvEntry, options: OsvLoadOptions): void {
  const id = entry.id as string;
  if (entry.withdrawn !== undefined && Date.parse(entry.withdrawn) < options.now.getTime()) return;
  const kind: SourceKind = id.startsWith('GHSA-') ? 'ghsa' : id.startsWith('GO-') ? 'govulndb' : 'osv';
  const aliases = entry.aliases ?? [];
  const cves = [...new Set([...aliases, ...(entry.upstream ?? []), id])].filter((a) => a.startsWith('CVE-'));
  const vulnIds = cves.length > 0 ? cves : [id];
  const vendorIds = cves.length > 0 ? [...aliases, id].filter((a) => !a.startsWith('CVE-')) : aliases;
  const hasGhsaAlias = aliases.some((a) => a.startsWith('GHSA-'));
  let vector = cvssVector(entry.severity);
  let vectorV40 = cvssVectorV40(entry.severity);
  const advisories = new Map<string, PendingAdvisory>();
  const originalNames = new Map<string, string>();
  for (const affected of entry.affected ?? []) {
    const ecosystem = ECOSYSTEMS[(affected.package?.ecosystem ?? '').toLowerCase()];
    const rawName = affected.package?.name;
    if (ecosystem === undefined || !rawName) continue;
    if (kind === 'ghsa' && ecosystem === 'go' && isLeftToGovulndb(rawName)) continue;
    if (kind === 'govulndb' && !isLeftToGovulndb(rawName) && hasGhsaAlias) continue;
    const packageName = normalizePackageName(ecosystem, rawName);
    originalNames.set(packageName, rawName);
    const parsed = parseAffectedVersions(
      affected.package?.ecosystem ?? '',
      affected.ranges ?? [],
      affected.versions ?? [],
    );
    const closing = affected.database_specific?.last_known_affected_version_range;
    if (kind === 'ghsa' && closing) {
      // An open range (no fixed/last_affected) is closed by GitHub's last known affected version.
      parsed.vulnerable = parsed.vulnerable.map((v) =>
        v.includes('<') || v.startsWith('=') ? v : `${v}, ${closing.replaceAll(' ', '')}`,
      );
    }
    const affectedVector = cvssVector(affected.severity);
    if (affectedVector !== undefined) vector = affectedVector;
    const affectedVectorV40 = cvssVectorV40(affected.severity);
    if (affectedVectorV40 !== undefined) vectorV40 = affectedVectorV40;
    const key = `${ecosystem}/${packageName}`;
    const existing = advisories.get(key);
    const imports = affected.ecosystem_specific?.imports ?? [];
    const oses = kind === 'govulndb' ? imports.flatMap((i) => i.goos ?? []) : [];
    const arches = kind === 'govulndb' ? imports.flatMap((i) => i.goarch ?? []) : [];
    if (existing !== undefined) {
      existing.vulnerable.push(...parsed.vulnerable);
      existing.patched.push(...parsed.patched);
      existing.oses.push(...oses);
      existing.arches.push(...arches);
      continue;
    }
    advisories.set(key, {
      ecosystem,
      packageName,
      vulnerable: parsed.vulnerable,
      patched: parsed.patched,
      oses,
      arches,
      vectorV3: vector,
      vectorV40,
    });
  }
  if (kind === 'ghsa') {
    // NuGet is case-insensitive: trivy-db stores the lowercase name and, for compatibility, the original.
    for (const advisory of [...advisories.values()]) {
      const original = originalNames.get(advisory.packageName);
      if (advisory.ecosystem === 'nuget' && original !== undefined && original !== advisory.packageName) {
        advisories.set(`nuget/${original}`, { ...advisory, packageName: original });
      }
    }
  }
  const references = (entry.references ?? []).flatMap((r) => (r.url ? [r.url] : []));
  if (kind === 'govulndb' && entry.database_specific?.url) references.push(entry.database_specific.url);
  const severity = kind === 'ghsa' ? (SEVERITY[entry.database_specific?.severity ?? ''] ?? 0) : 0;
  for (const advisory of advisories.values()) {
    const source = dataSourceFor(kind, advisory.ecosystem);
    if (source === undefined) continue;
    const bucket = `${advisory.ecosystem}::${source.Name}`;
    ensureBucket(tree, ['data-source']).set(bucket, goJson(source, { sortKeys: false }));
    const value = goJson(
      compact({
        VendorIDs: vendorIds,
        OSes: unique(advisory.oses),
        Arches: unique(advisory.arches),
        VulnerableVersions: advisory.vulnerable,
        PatchedVersions: advisory.patched,
      }),
      { sortKeys: false },
    );
    const detail = goJson(
      compact({
        Severity: severity,
        References: references,
        Title: entry.summary,
        Description: entry.details,
        CvssScoreV3: advisory.vectorV3 === undefined ? undefined : cvss3Score(advisory.vectorV3),
        CvssVectorV3: advisory.vectorV3,
        CvssScoreV40: advisory.vectorV40 === undefined ? undefined : cvss4Score(advisory.vectorV40),
        CvssVectorV40: advisory.vectorV40,
        PublishedDate: goTime(entry.published),
        LastModifiedDate: goTime(entry.modified),
      }),
      { sortKeys: false },
    );
    for (const vulnId of vulnIds) {
      ensureBucket(tree, [ADVISORY_DETAIL_BUCKET, vulnId, bucket]).set(advisory.packageName, value);
      ensureBucket(tree, [VULNERABILITY_DETAIL_BUCKET, vulnId]).set(kind, detail);
      ensureBucket(tree, [VULNERABILITY_ID_BUCKET]).set(vulnId, '{}');
    }
  }
}

function cvssVector(severities: OsvEntry['severity']): string | undefined {
  for (const s of severities ?? []) {
    if (s.type === 'CVSS_V3' && s.score) {
      const vector = s.score.replace(/\/$/, '');
      return cvss3Score(vector) === undefined ? undefined : vector;
    }
  }
  return undefined;
}

/** A valid CVSS v4.0 vector from `severity` (an invalid one is dropped, the rest of the entry kept). */
function cvssVectorV40(severities: OsvEntry['severity']): string | undefined {
  for (const s of severities ?? []) {
    if (s.type === 'CVSS_V4' && s.score) return cvss4Score(s.score) === undefined ? undefined : s.score;
  }
  return undefined;
}

/**
 * Go packages whose advisories come from govulndb rather than GitHub: the standard library
 * (`stdlib`, import paths without a dot in the first element) and the golang.org/x modules the
 * standard library vendors. Other modules come from GitHub when it has the advisory (a GHSA alias).
 */
const STD_VENDORED_MODULES = ['golang.org/x/crypto', 'golang.org/x/net', 'golang.org/x/sys', 'golang.org/x/text'];

function isLeftToGovulndb(name: string): boolean {
  const first = name.split('/')[0] ?? '';
  if (name === 'stdlib' || (!first.includes('.') && first !== '')) return true;
  return STD_VENDORED_MODULES.some((module) => name === module || name.startsWith(`${module}/`));
}

/** OSV times as Go's time.Time marshals them; the zero time is dropped (trivy-db stores nil). */
function goTime(value: string | undefined): string | undefined {
  if (value === undefined || value.startsWith('0001-01-01')) return undefined;
  return value;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined || value === 0 || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = value;
  }
  return out;
}
