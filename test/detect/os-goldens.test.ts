/**
 * Trivy's own OS detector tests (pkg/detector/ospkg/<family>/<family>_test.go, tables converted to
 * JSON): each case's bolt-fixtures are loaded into a real bbolt file, the family's driver runs on
 * the case's packages, and the findings must equal Trivy's expected list; IsSupportedVersion cases
 * run with the case's clock.
 */
import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import type { Repository } from '../../src/analyzer/types.ts';
import { alpineDriver, chainguardDriver, minimosDriver, wolfiDriver } from '../../src/detect/os/apk-family.ts';
import { debianDriver, echoDriver, ubuntuDriver } from '../../src/detect/os/debian-family.ts';
import type { OsDriver } from '../../src/detect/os/driver.ts';
import { redHatDriver } from '../../src/detect/os/redhat.ts';
import { endOfDay, eolTable } from '../../src/detect/os/release.ts';
import {
  almaDriver,
  amazonDriver,
  azureLinuxDriver,
  bottlerocketDriver,
  marinerDriver,
  oracleDriver,
  photonDriver,
  rockyDriver,
  suseDriver,
} from '../../src/detect/os/rpm-family.ts';
import { isVigilError } from '../../src/errors/index.ts';
import { silentLogger } from '../../src/log/index.ts';
import {
  canonical,
  FIXTURES,
  fixtureDb,
  goFinding,
  goPackage,
  goTime,
  goValue,
  loadTables,
  table,
} from './trivy-goldens.ts';

/** ubuntu_test.go's own EOL table and clock (it injects both). */
const UBUNTU_TEST_EOL = eolTable([
  ['12.04', 2019, 4, 26],
  ['12.04-ESM', 2019, 4, 28],
  ['18.04', 2023, 5, 31],
  ['18.04-ESM', 2028, 3, 31],
  ['19.04', 2020, 1, 18],
  ['20.04', 2025, 5, 31],
  ['21.04', 2022, 1, 20],
]);
const UBUNTU_TEST_NOW = new Date(Date.UTC(2024, 3, 1));

const SUSE_DISTRIBUTIONS: Readonly<Record<string, OsDriver>> = {
  '$suse.OpenSUSE': suseDriver('opensuse-leap'),
  '$suse.OpenSUSETumbleweed': suseDriver('opensuse-tumbleweed'),
  '$suse.SUSEEnterpriseLinux': suseDriver('sles'),
  '$suse.SUSEEnterpriseLinuxMicro': suseDriver('slem'),
};

interface FamilyGolden {
  dir: string;
  driver(testCase: Record<string, unknown>): OsDriver;
  now?: Date;
}

const FAMILIES: FamilyGolden[] = [
  { dir: 'alma', driver: () => almaDriver },
  { dir: 'alpine', driver: () => alpineDriver },
  { dir: 'amazon', driver: () => amazonDriver },
  {
    dir: 'azure',
    driver: (c) => ((c.args as { dist?: string }).dist === '$azurevs.Azure' ? azureLinuxDriver : marinerDriver),
  },
  { dir: 'bottlerocket', driver: () => bottlerocketDriver },
  { dir: 'chainguard', driver: () => chainguardDriver },
  { dir: 'debian', driver: () => debianDriver },
  { dir: 'echo', driver: () => echoDriver },
  { dir: 'minimos', driver: () => minimosDriver },
  { dir: 'oracle', driver: () => oracleDriver },
  { dir: 'photon', driver: () => photonDriver },
  { dir: 'redhat', driver: () => redHatDriver },
  { dir: 'rocky', driver: () => rockyDriver },
  { dir: 'suse', driver: (c) => SUSE_DISTRIBUTIONS[c.distribution as string] as OsDriver },
  { dir: 'ubuntu', driver: () => ubuntuDriver(UBUNTU_TEST_EOL), now: UBUNTU_TEST_NOW },
  { dir: 'wolfi', driver: () => wolfiDriver },
];

for (const family of FAMILIES) {
  const tables = loadTables(`ospkg/${family.dir}/${family.dir}_test.expected.json`);
  describe(`${family.dir} detector (Trivy ${family.dir}_test.go)`, () => {
    for (const testCase of table(tables, 'TestScanner_Detect')) {
      const name = `${family.dir}: ${testCase.name as string}`;
      test(name, () => runDetectCase(family, testCase));
    }
  });
}

function runDetectCase(family: FamilyGolden, testCase: Record<string, unknown>): void {
  const args = (testCase.args ?? {}) as { osVer?: string; repo?: unknown; pkgs?: unknown[] };
  const rawPackages = (args.pkgs ?? testCase.pkgs ?? []) as unknown[];
  const files = ((testCase.fixtures ?? []) as string[]).map((file) =>
    join(FIXTURES, 'ospkg', family.dir, basename(file)),
  );
  const fixture = fixtureDb(files);
  try {
    const context = { store: fixture.store, logger: silentLogger, now: family.now ?? new Date() };
    const repository = args.repo === undefined ? undefined : (goValue(args.repo) as Repository);
    const detect = () =>
      family.driver(testCase).detect(args.osVer ?? '', repository, rawPackages.map(goPackage), context);
    if (testCase.wantErr) {
      assert.throws(detect, (error: unknown) => {
        assert.ok(isVigilError(error), `a VigilError, got ${String(error)}`);
        if (typeof testCase.wantErr === 'string') {
          assert.ok(error.message.includes(testCase.wantErr), `"${error.message}" mentions "${testCase.wantErr}"`);
        }
        return true;
      });
      return;
    }
    const want = ((testCase.want ?? []) as unknown[]).map(goFinding);
    assert.deepEqual(canonical(detect()), canonical(want));
  } finally {
    fixture.close();
  }
}

describe('end-of-life checks (Trivy TestScanner_IsSupportedVersion)', () => {
  for (const family of FAMILIES) {
    const tables = loadTables(`ospkg/${family.dir}/${family.dir}_test.expected.json`);
    const supported = tables.find((t) => t.func === 'TestScanner_IsSupportedVersion');
    if (supported === undefined) continue;
    const cases = Array.isArray(supported.cases)
      ? (supported.cases as Array<Record<string, unknown>>).map((c) => ({
          name: c.name as string,
          now: goTime(c.now),
          family: (c.args as { osFamily: string }).osFamily,
          version: (c.args as { osVer: string }).osVer,
          want: c.want === true,
          driver: family.driver(c),
        }))
      : Object.entries(supported.cases as Record<string, Record<string, unknown>>).map(([name, c]) => ({
          name,
          now: goTime(c.now),
          family: c.osFamily as string,
          version: c.osVersion as string,
          want: c.expected === true,
          driver: family.driver(c),
        }));
    for (const c of cases) {
      test(`${family.dir}: ${c.name}`, () => {
        const driver = c.driver ?? suseDriver(c.family as 'sles');
        assert.equal(driver.isSupported(c.family, c.version, c.now, silentLogger), c.want);
      });
    }
  }

  test('the EOL moment itself is already past (Trivy compares with Before)', () => {
    const eol = endOfDay(2029, 7, 18);
    assert.equal(oracleDriver.isSupported('oracle', '8', new Date(eol.getTime() - 1), silentLogger), true);
    assert.equal(oracleDriver.isSupported('oracle', '8', eol, silentLogger), false);
  });
});
