import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Report, type Result, SEVERITIES } from '../../src/report/index.ts';
import { runVigil } from '../helpers/run-vigil.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { INTEGRATION_DB_FIXTURES, seedVulnDb } from '../helpers/vuln-db.ts';

/**
 * End-to-end scans for issue 6: the real `bin/vigil` over the fixture projects in
 * test/fixtures/projects, against a DB built from Trivy's integration YAML fixtures plus our own
 * (test/fixtures/e2e-db) for ecosystems those do not cover.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PROJECTS = join(REPO_ROOT, 'test/fixtures/projects');
const E2E_DB_FIXTURES = join(REPO_ROOT, 'test/fixtures/e2e-db');

/** A fresh cache directory holding the vulnerability DB (no Java DB). */
export async function seededCache(): Promise<string> {
  const cache = tempDir('vigil-e2e-cache-');
  await seedVulnDb(cache, [INTEGRATION_DB_FIXTURES, E2E_DB_FIXTURES]);
  return cache;
}

export interface ScanRun {
  status: number | null;
  stderr: string;
  report: Report;
}

/**
 * Runs `vigil ARGS -f json --list-all-pkgs` from the repository root. HOME is an empty directory,
 * so the scanning machine's ~/.m2, ~/go or ~/.nuget never leak into results.
 */
export async function scanJson(args: readonly string[]): Promise<ScanRun> {
  const home = tempDir('vigil-e2e-home-');
  const run = await runVigil([...args, '-f', 'json', '--list-all-pkgs'], { cwd: REPO_ROOT, env: { HOME: home } });
  assert.equal(run.status, 0, `vigil ${args.join(' ')} failed:\n${run.stderr}`);
  return { status: run.status, stderr: run.stderr, report: JSON.parse(run.stdout) as Report };
}

/** What one result (one lock file, binary or aggregated language) must contain. */
export interface TargetExpectation {
  /** Trivy's application type. */
  type: string;
  /** `VULN-ID name@installed fixed:FIXED`, plus ` path:PKGPATH` when the finding has one. */
  findings: string[];
  /** `name@version` of packages the result lists that are outside every advisory's range. */
  notVulnerable?: string[];
}

export function findingLines(result: Result): string[] {
  return (result.Vulnerabilities ?? [])
    .map((v) => {
      const line = `${v.VulnerabilityID} ${v.PkgName}@${v.InstalledVersion} fixed:${v.FixedVersion ?? '-'}`;
      return v.PkgPath ? `${line} path:${v.PkgPath}` : line;
    })
    .sort();
}

const packageRefs = (result: Result) => (result.Packages ?? []).map((p) => `${p.Name}@${p.Version}`);

/** The PURL type Trivy gives each application type's packages. */
const PURL_TYPES: Readonly<Record<string, string>> = {
  npm: 'npm',
  yarn: 'npm',
  pnpm: 'npm',
  bun: 'npm',
  'node-pkg': 'npm',
  pip: 'pypi',
  pipenv: 'pypi',
  poetry: 'pypi',
  uv: 'pypi',
  pylock: 'pypi',
  'python-pkg': 'pypi',
  bundler: 'gem',
  gemspec: 'gem',
  composer: 'composer',
  'composer-vendor': 'composer',
  cargo: 'cargo',
  rustbinary: 'cargo',
  gomod: 'golang',
  gobinary: 'golang',
  jar: 'maven',
  pom: 'maven',
  gradle: 'maven',
  sbt: 'maven',
  nuget: 'nuget',
  'dotnet-core': 'nuget',
  'packages-props': 'nuget',
  pub: 'pub',
  swift: 'swift',
  cocoapods: 'cocoapods',
  conan: 'conan',
  hex: 'hex',
  julia: 'julia',
  'conda-pkg': 'conda',
  'conda-environment': 'conda',
};

/** Finds the result for a target and checks it against the expectation. */
export function assertTarget(report: Report, target: string, expected: TargetExpectation): void {
  const result = (report.Results ?? []).find((r) => r.Target === target);
  assert.ok(result, `no result for ${target}; targets: ${(report.Results ?? []).map((r) => r.Target).join(', ')}`);
  assert.equal(result.Class, 'lang-pkgs');
  assert.equal(result.Type, expected.type);
  assert.deepEqual(findingLines(result), [...expected.findings].sort());
  const listed = packageRefs(result);
  for (const clean of expected.notVulnerable ?? []) {
    // Listed, so its absence from the findings is the version check's doing, not the parser's.
    assert.ok(listed.includes(clean), `${clean} is not among the packages of ${target}: ${listed.join(', ')}`);
  }
  const purlType = PURL_TYPES[expected.type];
  for (const vulnerability of result.Vulnerabilities ?? []) {
    const purl = vulnerability.PkgIdentifier?.PURL ?? '';
    assert.ok(purl.startsWith(`pkg:${purlType}/`), `${vulnerability.PkgName}: PURL ${purl}`);
    assert.ok(
      SEVERITIES.includes(vulnerability.Severity),
      `${vulnerability.VulnerabilityID}: ${vulnerability.Severity}`,
    );
    assert.equal(vulnerability.Status, vulnerability.FixedVersion ? 'fixed' : 'affected');
  }
}

/** The report's targets are exactly these (so nothing else was reported or left out). */
export function assertTargets(report: Report, expected: Readonly<Record<string, TargetExpectation>>): void {
  const targets = (report.Results ?? []).map((r) => r.Target).sort();
  assert.deepEqual(targets, Object.keys(expected).sort());
}
