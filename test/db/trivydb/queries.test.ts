import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { writeBoltTree } from '../../../src/db/bolt/index.ts';
import { finalizeTrivyLayout, loadBoltFixtures } from '../../../src/db/build/index.ts';
import { openTrivyDb, statusName, type TrivyDb } from '../../../src/db/trivydb/index.ts';
import { isVigilError } from '../../../src/errors/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { expectedCases, FIXTURES } from '../expected.ts';

const dir = tempDir('vigil-trivydb-');
let counter = 0;

/** A DB built from trivy-db's YAML fixtures by our fixture loader and writer. */
function dbFrom(fixtures: readonly string[]): TrivyDb {
  const tree = loadBoltFixtures(fixtures.map((f) => join(FIXTURES, f)));
  finalizeTrivyLayout(tree);
  const path = join(dir, `db-${counter++}.db`);
  writeBoltTree(path, tree);
  return openTrivyDb(path);
}

const upstreamFixture = (path: string) => path.replace('testdata/fixtures/', 'trivy-db/db/');

describe("trivy-db's own query expectations (pkg/db)", () => {
  for (const c of expectedCases('advisory_test.expected.json', 'TestConfig_ForEachAdvisory')) {
    test(`ForEachAdvisory: ${c.name}`, () => {
      const db = dbFrom((c.fixtures as string[]).map(upstreamFixture));
      const args = c.args as { source: string; pkgName: string };
      const got = Object.fromEntries(
        [...db.forEachAdvisory(args.source, args.pkgName)].map(([id, hit]) => {
          const { VulnerabilityID: _id, DataSource: _source, ...rest } = hit.advisory;
          return [id, rest];
        }),
      );
      assert.deepEqual(got, c.want);
      db.close();
    });
  }

  for (const c of expectedCases('advisory_test.expected.json', 'TestConfig_GetAdvisories')) {
    test(`GetAdvisories: ${c.name}`, () => {
      const db = dbFrom((c.fixtures as string[]).map(upstreamFixture));
      const args = c.args as { source: string; pkgName: string };
      // trivy-db treats a name with "::" as a prefix; ours says which it wants.
      const got = args.source.includes('::')
        ? db.advisoriesByPrefix(args.source, args.pkgName)
        : db.advisories(args.source, args.pkgName);
      assert.deepEqual(got, c.want ?? []);
      db.close();
    });
  }

  for (const c of expectedCases('redhat_cpe_test.expected.json', 'TestConfig_GetRedHatCPEs')) {
    test(`GetRedHatCPEs: ${c.name}`, () => {
      const db = dbFrom((c.fixtures as string[]).map(upstreamFixture));
      const query = () => db.redHatCpeIndices({ repositories: [c.repository as string] });
      if (c.wantErr) assert.throws(query, (e: unknown) => isVigilError(e) && /json unmarshal error/.test(e.message));
      else assert.deepEqual(query(), c.want ?? []);
      db.close();
    });
  }
});

describe('queries against the DB built from Trivy integration fixtures', () => {
  const integration = [
    'data-source.yaml',
    'vulnerability.yaml',
    'nodejs.yaml',
    'redhat.yaml',
    'cpe.yaml',
    'debian.yaml',
    'python.yaml',
  ].map((f) => `integration/${f}`);

  test('npm advisories across every npm:: bucket, with their data source', () => {
    const db = dbFrom(integration);
    const jquery = db.advisoriesByPrefix('npm::', 'jquery');
    assert.deepEqual(
      jquery.map((a) => [a.VulnerabilityID, a.VulnerableVersions, a.PatchedVersions, a.DataSource?.ID]),
      [
        ['CVE-2015-9251', ['< 3.0.0'], ['3.0.0'], 'ghsa'],
        ['CVE-2019-11358', ['< 3.4.0'], ['3.4.0'], 'ghsa'],
      ],
    );
    assert.equal(jquery[0]?.DataSource?.Name, 'GitHub Security Advisory Npm');
    assert.deepEqual(db.advisoriesByPrefix('npm::', 'not-a-package'), []);
    assert.deepEqual(db.advisoriesByPrefix('cargo::', 'jquery'), []);
    db.close();
  });

  test('the vulnerability bucket decodes with Trivy field names', () => {
    const db = dbFrom(integration);
    const vuln = db.vulnerability('CVE-2019-11358');
    assert.ok(vuln);
    assert.match(vuln.Description ?? '', /^jQuery before 3\.4\.0/);
    assert.equal(vuln.CVSS?.nvd?.V3Score, 6.1);
    assert.deepEqual(vuln.CweIDs, ['CWE-79']);
    assert.equal(db.vulnerability('CVE-0000-0000'), undefined);
    db.close();
  });

  test('Red Hat: raw entries, CPE indices by repository and NVR, flattened advisories', () => {
    const db = dbFrom(integration);
    const openssl = db.redHatEntries('openssl');
    assert.deepEqual([...openssl.keys()], ['RHSA-2019:2304', 'RHSA-2019:2471']);
    const indices = db.redHatCpeIndices({
      repositories: ['rhel-7-server-rpms'],
      nvrs: ['ubi7-container-7.7-140-x86_64'],
    });
    assert.deepEqual(indices, [869]);
    const advisories = db.redHatAdvisories('openssl', indices);
    assert.deepEqual(
      advisories.map((a) => [a.VulnerabilityID, a.VendorIDs, a.FixedVersion, a.Severity]),
      [
        ['CVE-2018-0734', ['RHSA-2019:2304'], '1:1.0.2k-19.el7', 1],
        ['CVE-2019-1559', ['RHSA-2019:2304'], '1:1.0.2k-19.el7', 2],
      ],
    );
    const bash = db.redHatAdvisories('bash', [596]);
    assert.deepEqual(
      bash.map((a) => [a.VulnerabilityID, statusName(a.Status)]),
      [['CVE-2019-18276', 'will_not_fix']],
    );
    assert.deepEqual(db.redHatAdvisories('bash', [1]), []);
    db.close();
  });

  test('findAdvisories scans every bucket for one ID', () => {
    const db = dbFrom(integration);
    const hits = db.findAdvisories('CVE-2019-11358');
    assert.deepEqual(
      hits.map((h) => [h.bucket, h.packageName]),
      [['npm::GitHub Security Advisory Npm', 'jquery']],
    );
    const rh = db.findAdvisories('CVE-2019-1559');
    assert.deepEqual(
      rh.map((h) => [h.bucket, h.packageName, h.advisory.VendorIDs?.[0]]),
      [
        ['Red Hat', 'openssl', 'RHSA-2019:2304'],
        ['Red Hat', 'openssl', 'RHSA-2019:2471'],
        ['Red Hat', 'openssl-libs', 'RHSA-2019:2304'],
      ],
    );
    db.close();
  });

  test('a missing DB names the command that provides it', () => {
    assert.throws(
      () => openTrivyDb(join(dir, 'nope', 'trivy.db')),
      (e: unknown) => isVigilError(e) && e.code === 'DB_MISSING' && /vigil db pull/.test(e.hint ?? ''),
    );
  });
});
