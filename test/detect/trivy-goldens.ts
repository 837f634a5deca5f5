/**
 * Reading Trivy's detector test tables (converted to JSON in the corpora) and the bolt-fixtures DBs
 * they name: Go constants such as `$vulnerability.Debian` or `$dbTypes.StatusWillNotFix` become
 * the strings Trivy prints, and Go packages become inventory packages.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Package } from '../../src/analyzer/types.ts';
import { writeBoltTree } from '../../src/db/bolt/index.ts';
import { buildTrivyTree } from '../../src/db/build/index.ts';
import { openTrivyDb, type TrivyDb } from '../../src/db/trivydb/index.ts';
import { type AdvisoryStore, createAdvisoryStore } from '../../src/detect/advisory-store.ts';
import type { RawFinding } from '../../src/detect/finding.ts';
import type { DetectablePackage } from '../../src/detect/types.ts';

export const FIXTURES = new URL('../fixtures/detect/', import.meta.url).pathname;

/** trivy-db source ID constants (pkg/vulnsrc/vulnerability/const.go) used in the tables. */
const SOURCE_IDS: Readonly<Record<string, string>> = {
  NVD: 'nvd',
  RedHat: 'redhat',
  RedHatOVAL: 'redhat-oval',
  Debian: 'debian',
  Ubuntu: 'ubuntu',
  CentOS: 'centos',
  Rocky: 'rocky',
  Fedora: 'fedora',
  Amazon: 'amazon',
  OracleOVAL: 'oracle-oval',
  SuseCVRF: 'suse-cvrf',
  Alpine: 'alpine',
  ArchLinux: 'arch-linux',
  Alma: 'alma',
  AzureLinux: 'azure',
  CBLMariner: 'cbl-mariner',
  Photon: 'photon',
  RubySec: 'ruby-advisory-db',
  PhpSecurityAdvisories: 'php-security-advisories',
  NodejsSecurityWg: 'nodejs-security-wg',
  GHSA: 'ghsa',
  GLAD: 'glad',
  OSV: 'osv',
  Wolfi: 'wolfi',
  Chainguard: 'chainguard',
  Bitnami: 'bitnami',
  K8sVulnDB: 'k8s',
  GoVulnDB: 'govulndb',
  Julia: 'julia',
  Seal: 'seal',
  Aqua: 'aqua',
  Bottlerocket: 'bottlerocket',
  Echo: 'echo',
  MinimOS: 'minimos',
  RootIO: 'rootio',
};

const STATUSES: Readonly<Record<string, string>> = {
  StatusUnknown: 'unknown',
  StatusNotAffected: 'not_affected',
  StatusAffected: 'affected',
  StatusFixed: 'fixed',
  StatusUnderInvestigation: 'under_investigation',
  StatusWillNotFix: 'will_not_fix',
  StatusFixDeferred: 'fix_deferred',
  StatusEndOfLife: 'end_of_life',
};

/** Replaces Go constants and severity calls by the values Trivy prints. */
export function goValue(value: unknown): unknown {
  if (typeof value === 'string') {
    const source = /^\$vulnerability\.(\w+)$/.exec(value);
    if (source) return SOURCE_IDS[source[1] as string] ?? assert(`unknown source ${value}`);
    const status = /^\$dbTypes\.(Status\w+)$/.exec(value);
    if (status) return STATUSES[status[1] as string] ?? assert(`unknown status ${value}`);
    const family = /^\$ftypes\.(\w+)$/.exec(value);
    if (family) return (family[1] as string).toLowerCase();
    return value;
  }
  if (Array.isArray(value)) return value.map(goValue);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$call === 'string') {
      const severity = /^dbTypes\.Severity(\w+)\.String$/.exec(record.$call);
      if (severity) return (severity[1] as string).toUpperCase();
      return value;
    }
    return Object.fromEntries(Object.entries(record).map(([key, field]) => [key, goValue(field)]));
  }
  return value;
}

function assert(message: string): never {
  throw new Error(message);
}

export interface GoldenTable {
  func: string;
  cases: unknown;
}

export function loadTables(relativePath: string): GoldenTable[] {
  const document = JSON.parse(readFileSync(join(FIXTURES, relativePath), 'utf8')) as { tables: GoldenTable[] };
  return document.tables;
}

export function table(tables: readonly GoldenTable[], func: string): Array<Record<string, unknown>> {
  const found = tables.find((t) => t.func === func);
  if (found === undefined) throw new Error(`no table ${func}`);
  return found.cases as Array<Record<string, unknown>>;
}

/** A Go ftypes.Package (zero values omitted) as an inventory package. */
export function goPackage(raw: unknown): DetectablePackage {
  const record = goValue(raw) as Record<string, unknown>;
  const pkg: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value === '' || value === 0 || value === null) continue;
    if (key === 'Layer' && Object.keys(value as object).length === 0) continue;
    pkg[key] = value;
  }
  if (pkg.Name === undefined) pkg.Name = '';
  if (pkg.Version === undefined) pkg.Version = '';
  return pkg as unknown as DetectablePackage;
}

/**
 * A Go DetectedVulnerability from a table as the detector's raw finding: the embedded
 * `Vulnerability.Severity` is the package-specific severity, zero values are absent.
 */
export function goFinding(raw: unknown): RawFinding {
  const record = goValue(raw) as Record<string, unknown>;
  const finding: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'Vulnerability') {
      const severity = (value as { Severity?: string }).Severity;
      if (severity) finding.Severity = severity;
      continue;
    }
    if (value === '' || value === null) continue;
    if (key === 'Layer' && Object.keys(value as object).length === 0) continue;
    finding[key] = value;
  }
  return finding as unknown as RawFinding;
}

/** Findings in a canonical order and shape for deep comparison. */
export function canonical(findings: readonly RawFinding[] | null | undefined): unknown[] {
  return (findings ?? [])
    .map((finding) => JSON.parse(JSON.stringify(finding)) as Record<string, unknown>)
    .map((finding) => Object.fromEntries(Object.entries(finding).sort(([a], [b]) => (a < b ? -1 : 1))))
    .sort((a, b) => {
      const ka = JSON.stringify(a);
      const kb = JSON.stringify(b);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}

/** `time.Date(y, m, d, h, mi, s, ns, UTC)` from a table. */
export function goTime(raw: unknown): Date {
  const call = raw as { $call?: string; args?: unknown[] };
  if (call.$call !== 'time.Date' || !Array.isArray(call.args)) throw new Error(`not a time: ${JSON.stringify(raw)}`);
  const [year, month, day, hour, minute, second, nanos] = call.args as number[];
  return new Date(
    Date.UTC(year as number, (month as number) - 1, day, hour, minute, second, Math.floor((nanos ?? 0) / 1e6)),
  );
}

export interface FixtureDb {
  db: TrivyDb;
  store: AdvisoryStore;
  close(): void;
}

/** A real bbolt file built from bolt-fixtures YAML (B's builder), in a fresh temp directory. */
export function fixtureDb(files: readonly string[]): FixtureDb {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-detect-'));
  const path = join(dir, 'trivy.db');
  const { tree } = buildTrivyTree({ fixtures: files, updatedAt: new Date(Date.UTC(2026, 0, 1)) });
  // The bolt writer cannot write a file without buckets yet; an empty data-source bucket changes no lookup.
  if (tree.size === 0) tree.set('data-source', new Map());
  writeBoltTree(path, tree);
  const db = openTrivyDb(path);
  return {
    db,
    store: createAdvisoryStore(db),
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type { Package };
