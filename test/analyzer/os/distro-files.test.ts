import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  alpineReleaseAnalyzer,
  amazonLinuxAnalyzer,
  debianVersionAnalyzer,
  OsFamily,
  parseAlmaRelease,
  parseAlpineRelease,
  parseAmazonRelease,
  parseCentOsRelease,
  parseDebianVersion,
  parseFedoraRelease,
  parseLsbRelease,
  parseMarinerRelease,
  parseOracleRelease,
  parseRedHatRelease,
  parseRockyRelease,
  parseUbuntuEsmStatus,
  redhatReleaseAnalyzer,
  ubuntuEsmAnalyzer,
  ubuntuLsbReleaseAnalyzer,
} from '../../../src/analyzer/os/index.ts';
import type { OS } from '../../../src/analyzer/types.ts';
import { goConstant, goldenTables, imageContext, memoryFiles } from './collected-files.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/analyzer-os/', import.meta.url));
const text = (path: string) => readFileSync(`${fixtures}${path}`, 'utf8');
const family = (os: { Family: string; Name?: string; Extended?: boolean }): OS => ({
  Name: '',
  ...os,
  Family: goConstant(os.Family, OsFamily),
});

interface FileCase {
  name: string;
  inputFile: string;
  want?: { OS: { Family: string; Name: string } };
  wantErr?: string;
}

/** Runs a golden table whose inputs are files under testdata and whose answers are an OS or an error text. */
async function fileTable(
  t: test.TestContext,
  expected: string,
  fixtureDir: string,
  parse: (text: string) => OS,
): Promise<void> {
  const tables = goldenTables<FileCase>(`${fixtures}expected/${expected}`);
  const cases = tables[0]?.cases ?? [];
  assert.ok(cases.length > 0);
  for (const c of cases) {
    await t.test(c.name, () => {
      const input = text(`trivy/${fixtureDir}/${c.inputFile.replace('testdata/', '')}`);
      if (c.wantErr !== undefined) assert.throws(() => parse(input), { message: c.wantErr });
      else assert.deepEqual(parse(input), family(c.want?.OS ?? { Family: '' }));
    });
  }
}

test('redhatbase golden cases (redhat, centos, alma, rocky, fedora, oracle)', async (t) => {
  await fileTable(t, 'redhatbase/redhatbase_test.expected.json', 'redhatbase', parseRedHatRelease);
  await fileTable(t, 'redhatbase/centos_test.expected.json', 'redhatbase', parseCentOsRelease);
  await fileTable(t, 'redhatbase/alma_test.expected.json', 'redhatbase', parseAlmaRelease);
  await fileTable(t, 'redhatbase/rocky_test.expected.json', 'redhatbase', parseRockyRelease);
  await fileTable(t, 'redhatbase/fedora_test.expected.json', 'redhatbase', parseFedoraRelease);
  await fileTable(t, 'redhatbase/oracle_test.expected.json', 'redhatbase', parseOracleRelease);
});

test('debian and ubuntu golden cases', async (t) => {
  await fileTable(t, 'debian/debian_test.expected.json', 'debian', parseDebianVersion);
  await fileTable(t, 'ubuntu/ubuntu_test.expected.json', 'ubuntu', parseLsbRelease);
});

test('ubuntu ESM golden cases', async (t) => {
  const [analyze, required] = goldenTables<{
    name: string;
    filePath: string;
    testFile?: string;
    want: { OS: { Family: string; Extended: boolean } } | null | boolean;
    wantErr?: string;
  }>(`${fixtures}expected/ubuntu/esm_test.expected.json`);
  for (const c of analyze?.cases ?? []) {
    await t.test(c.name, async () => {
      const files = memoryFiles({ [c.filePath]: text(`trivy/ubuntu/${c.testFile?.replace('testdata/', '')}`) });
      if (c.wantErr !== undefined) {
        await assert.rejects(ubuntuEsmAnalyzer.analyze(files, imageContext), (error: Error) =>
          error.message.startsWith(c.wantErr ?? '?'),
        );
        return;
      }
      const want = c.want && typeof c.want === 'object' ? { OS: family(c.want.OS) } : {};
      assert.deepEqual(await ubuntuEsmAnalyzer.analyze(files, imageContext), want);
    });
  }
  for (const c of required?.cases ?? []) {
    assert.equal(ubuntuEsmAnalyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
  const [, lsbRequired] = goldenTables<{ name: string; filePath: string; want: boolean }>(
    `${fixtures}expected/ubuntu/ubuntu_test.expected.json`,
  );
  for (const c of lsbRequired?.cases ?? []) {
    assert.equal(ubuntuLsbReleaseAnalyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
  assert.equal(parseUbuntuEsmStatus('{"services": "not a list"}'), undefined);
  assert.equal(parseUbuntuEsmStatus('null'), undefined);
});

interface InlineCase {
  name: string;
  input: { FilePath: string; Content: { args: [string] } };
  want?: { OS: { Family: string; Name: string } };
  wantResult?: { OS: { Family: string; Name: string } };
  wantErr?: unknown;
}

test('alpine and amazon golden cases (inline input)', async (t) => {
  for (const [expected, parse, analyzer] of [
    ['alpine/alpine_test.expected.json', parseAlpineRelease, alpineReleaseAnalyzer],
    ['amazonlinux/amazonlinux_test.expected.json', parseAmazonRelease, amazonLinuxAnalyzer],
  ] as const) {
    for (const c of goldenTables<InlineCase>(`${fixtures}expected/${expected}`)[0]?.cases ?? []) {
      await t.test(c.name, async () => {
        const content = c.input.Content.args[0];
        const path = c.input.FilePath.replace(/^\//, '');
        assert.equal(analyzer.required(path, { size: content.length, mode: 0o644 }), true);
        const want = c.want ?? c.wantResult;
        if (c.wantErr !== undefined) {
          assert.throws(() => parse(content), { message: /unable to analyze OS information/ });
          // Trivy ignores a file that names no OS; so does the analyzer.
          assert.deepEqual(await analyzer.analyze(memoryFiles({ [path]: content }), imageContext), {});
        } else {
          assert.deepEqual(parse(content), family(want?.OS ?? { Family: '' }));
        }
      });
    }
  }
});

test('analyzers skip files that name no known OS instead of failing the layer', async () => {
  assert.deepEqual(await debianVersionAnalyzer.analyze(memoryFiles({ 'etc/debian_version': '' }), imageContext), {});
  assert.deepEqual(await redhatReleaseAnalyzer.analyze(memoryFiles({ 'etc/redhat-release': '' }), imageContext), {});
  // A line that is not a release line at all is a real error, reported as such.
  await assert.rejects(
    redhatReleaseAnalyzer.analyze(memoryFiles({ 'etc/redhat-release': 'garbage\n' }), imageContext),
    { message: 'redhat: invalid redhat-release' },
  );
});

test('redhat-release recognises each rebuild and maps OpenShift CoreOS to its RHEL', () => {
  const cases: [string, OS][] = [
    ['CentOS Linux release 7.9.2009 (Core)', { Family: 'centos', Name: '7.9.2009' }],
    ['CentOS Stream release 9', { Family: 'centos-stream', Name: '9' }],
    ['Rocky Linux release 9.3 (Blue Onyx)', { Family: 'rocky', Name: '9.3' }],
    ['AlmaLinux release 9.4 (Seafoam Ocelot)', { Family: 'alma', Name: '9.4' }],
    ['Oracle Linux Server release 8.10', { Family: 'oracle', Name: '8.10' }],
    ['Fedora release 39 (Thirty Nine)', { Family: 'fedora', Name: '39' }],
    ['Red Hat Enterprise Linux release 9.4 (Plow)', { Family: 'redhat', Name: '9.4' }],
    ['Red Hat Enterprise Linux CoreOS release 4.16', { Family: 'redhat', Name: '9.4' }],
    ['Red Hat Enterprise Linux CoreOS release 4.14.5', { Family: 'redhat', Name: '9.2' }],
    ['Red Hat Enterprise Linux CoreOS release 4.12', { Family: 'redhat', Name: '8.6' }],
    ['Red Hat Enterprise Linux CoreOS release 4.7.30', { Family: 'redhat', Name: '8.4' }],
    ['Red Hat Enterprise Linux CoreOS release 4.7.23', { Family: 'redhat', Name: '8.3' }],
    ['Red Hat Enterprise Linux CoreOS release 4.6', { Family: 'redhat', Name: '8.2' }],
  ];
  for (const [line, want] of cases) assert.deepEqual(parseRedHatRelease(`${line}\n`), want, line);
  assert.deepEqual(parseCentOsRelease('CentOS Stream release 8\n'), { Family: 'centos-stream', Name: '8' });
  assert.throws(() => parseRockyRelease('AlmaLinux release 9.4\n'), {
    message: 'rocky: unable to analyze OS information',
  });
});

test('mariner-release names CBL-Mariner with its full version', () => {
  assert.deepEqual(parseMarinerRelease('CBL-Mariner 2.0.20220226\nMARINER_BUILD_NUMBER=abc\n'), {
    Family: 'cbl-mariner',
    Name: '2.0.20220226',
  });
  assert.throws(() => parseMarinerRelease('Something 2.0\n'), {
    message: 'cbl-mariner: unable to analyze OS information',
  });
});
