import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  assertTarget,
  assertTargets,
  findingLines,
  type ScanRun,
  scanJson,
  seededCache,
  type TargetExpectation,
} from './e2e-scan.ts';

// Advisories (Trivy's integration nodejs.yaml): jquery CVE-2015-9251 < 3.0.0, CVE-2019-11358 < 3.4.0;
// lodash CVE-2019-10744 < 4.17.12. Each lock file also holds a package exactly at a fixed version.
const JQUERY_331 = 'CVE-2019-11358 jquery@3.3.1 fixed:3.4.0';
const LODASH_41711 = 'CVE-2019-10744 lodash@4.17.11 fixed:4.17.12';

const EXPECTED: Readonly<Record<string, TargetExpectation>> = {
  'npm-v1/package-lock.json': { type: 'npm', findings: [JQUERY_331], notVulnerable: ['lodash@4.17.12'] },
  'npm-v2/package-lock.json': {
    type: 'npm',
    findings: ['CVE-2015-9251 jquery@2.2.4 fixed:3.0.0', 'CVE-2019-11358 jquery@2.2.4 fixed:3.4.0', LODASH_41711],
  },
  // jquery 3.3.1 only as a nested dependency of legacy-widget; lodash 4.17.4 is a dev dependency.
  'npm-v3/package-lock.json': { type: 'npm', findings: [JQUERY_331], notVulnerable: ['jquery@3.4.0'] },
  'yarn-classic/yarn.lock': { type: 'yarn', findings: [JQUERY_331], notVulnerable: ['lodash@4.17.12'] },
  'yarn-berry/yarn.lock': { type: 'yarn', findings: [LODASH_41711], notVulnerable: ['jquery@3.4.0'] },
  'pnpm/pnpm-lock.yaml': { type: 'pnpm', findings: [JQUERY_331], notVulnerable: ['lodash@4.17.12'] },
  'bun/bun.lock': { type: 'bun', findings: [LODASH_41711], notVulnerable: ['jquery@3.4.0'] },
};

describe('vigil fs on Node.js projects (package-lock v1/v2/v3, yarn classic and berry, pnpm, bun)', () => {
  let plain: ScanRun;
  let withDev: ScanRun;
  before(async () => {
    const cache = await seededCache();
    const args = ['fs', 'test/fixtures/projects/nodejs', '--cache-dir', cache, '--offline'];
    plain = await scanJson(args);
    withDev = await scanJson([...args, '--include-dev-deps']);
  });

  it('reports one lang-pkgs result per lock file, targets relative to the scan root', () => {
    assert.equal(plain.report.ArtifactName, 'test/fixtures/projects/nodejs');
    assert.equal(plain.report.ArtifactType, 'filesystem');
    assertTargets(plain.report, EXPECTED);
  });

  for (const [target, expected] of Object.entries(EXPECTED)) {
    it(`${target}: findings, and none for versions at the fix`, () => assertTarget(plain.report, target, expected));
  }

  it('fills the finding fields from the DB (severity, title, PkgID, data source)', () => {
    const result = plain.report.Results?.find((r) => r.Target === 'npm-v1/package-lock.json');
    const [jquery] = result?.Vulnerabilities ?? [];
    assert.equal(jquery?.PkgID, 'jquery@3.3.1');
    assert.equal(jquery?.PkgIdentifier?.PURL, 'pkg:npm/jquery@3.3.1');
    // Severity from the advisory's source (ghsa: 2), as Trivy selects it; texts from the vulnerability bucket.
    assert.equal(jquery?.SeveritySource, 'ghsa');
    assert.equal(jquery?.Severity, 'MEDIUM');
    assert.equal(jquery?.DataSource?.Name, 'GitHub Security Advisory Npm');
    assert.equal(
      jquery?.Title,
      "jquery: Prototype pollution in object's prototype leading to denial of service, remote code execution, or property injection",
    );
    assert.deepEqual(jquery?.CweIDs, ['CWE-79']);
  });

  it('reports the dev-only lodash 4.17.4 only with --include-dev-deps', () => {
    const lines = (run: ScanRun) => {
      const result = run.report.Results?.find((r) => r.Target === 'npm-v3/package-lock.json');
      return result ? findingLines(result) : [];
    };
    const devFinding = 'CVE-2019-10744 lodash@4.17.4 fixed:4.17.12';
    assert.ok(!lines(plain).includes(devFinding));
    const devPackages = plain.report.Results?.find((r) => r.Target === 'npm-v3/package-lock.json')?.Packages ?? [];
    assert.ok(!devPackages.some((p) => p.Name === 'lodash'), 'dev packages are not listed without the flag');
    assert.deepEqual(lines(withDev), [JQUERY_331, devFinding].sort());
    const lodash = withDev.report.Results?.find((r) => r.Target === 'npm-v3/package-lock.json')?.Packages;
    assert.equal(lodash?.find((p) => p.Name === 'lodash')?.Dev, true);
    // The other lock files have no dev dependencies: the flag changes nothing there.
    for (const [target, expected] of Object.entries(EXPECTED)) {
      if (target !== 'npm-v3/package-lock.json') assertTarget(withDev.report, target, expected);
    }
  });
});
