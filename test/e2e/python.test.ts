import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  assertTarget,
  assertTargets,
  type ScanRun,
  scanJson,
  seededCache,
  type TargetExpectation,
} from './e2e-scan.ts';

// Advisories (Trivy's integration python.yaml): werkzeug CVE-2019-14806 < 0.15.3, CVE-2020-28724 < 0.11.6;
// setuptools CVE-2022-40897 < 65.5.1. PyPI names are matched lower-cased (`Werkzeug` → `werkzeug`).
const WERKZEUG_0115 = ['CVE-2019-14806 werkzeug@0.11.5 fixed:0.15.3', 'CVE-2020-28724 werkzeug@0.11.5 fixed:0.11.6'];
const SETUPTOOLS_6550 = 'CVE-2022-40897 setuptools@65.5.0 fixed:65.5.1';

const EXPECTED: Readonly<Record<string, TargetExpectation>> = {
  'pip/requirements.txt': {
    type: 'pip',
    findings: ['CVE-2019-14806 Werkzeug@0.15.2 fixed:0.15.3'],
    notVulnerable: ['setuptools@65.5.1'],
  },
  'pipenv/Pipfile.lock': { type: 'pipenv', findings: [...WERKZEUG_0115, SETUPTOOLS_6550] },
  // setuptools 65.5.0 is only in the dev group.
  'poetry/poetry.lock': { type: 'poetry', findings: ['CVE-2019-14806 werkzeug@0.15.2 fixed:0.15.3'] },
  'uv/uv.lock': { type: 'uv', findings: WERKZEUG_0115, notVulnerable: ['setuptools@65.5.1'] },
  // A pre-release below the fix is vulnerable: Trivy matches PyPI ranges with pre-releases included.
  'pylock/pylock.toml': {
    type: 'pylock',
    findings: ['CVE-2019-14806 Werkzeug@0.15.3rc1 fixed:0.15.3', SETUPTOOLS_6550],
  },
};

describe('vigil fs on Python projects (requirements.txt, Pipfile.lock, poetry, uv, pylock)', () => {
  let plain: ScanRun;
  let withDev: ScanRun;
  before(async () => {
    const cache = await seededCache();
    const args = ['fs', 'test/fixtures/projects/python', '--cache-dir', cache, '--offline'];
    plain = await scanJson(args);
    withDev = await scanJson([...args, '--include-dev-deps']);
  });

  it('reports one lang-pkgs result per lock file', () => assertTargets(plain.report, EXPECTED));

  for (const [target, expected] of Object.entries(EXPECTED)) {
    it(`${target}: findings, and none for versions at the fix`, () => assertTarget(plain.report, target, expected));
  }

  it('reports the poetry dev-group setuptools only with --include-dev-deps', () => {
    const poetry = EXPECTED['poetry/poetry.lock'] as TargetExpectation;
    assertTarget(withDev.report, 'poetry/poetry.lock', { ...poetry, findings: [...poetry.findings, SETUPTOOLS_6550] });
    const packages = withDev.report.Results?.find((r) => r.Target === 'poetry/poetry.lock')?.Packages ?? [];
    assert.equal(packages.find((p) => p.Name === 'setuptools')?.Dev, true);
    for (const [target, expected] of Object.entries(EXPECTED)) {
      if (target !== 'poetry/poetry.lock') assertTarget(withDev.report, target, expected);
    }
  });
});
