import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { OsFamily, osReleaseAnalyzer, parseOsRelease } from '../../../src/analyzer/os/index.ts';
import { goConstant, goldenTables, imageContext, memoryFiles } from './collected-files.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/analyzer-os/', import.meta.url));

interface ReleaseCase {
  name: string;
  inputFile: string;
  want: { OS: { Family: string; Name: string } } | null;
}

const [table] = goldenTables<ReleaseCase>(`${fixtures}expected/release/release_test.expected.json`);

test('os-release golden cases from Trivy release_test.go', async (t) => {
  assert.ok(table && table.cases.length >= 28);
  for (const c of table.cases) {
    await t.test(c.name, async () => {
      const file = c.inputFile.replace('testdata/', '');
      const text = readFileSync(`${fixtures}trivy/release/${file}`);
      const want = c.want ? { OS: { Family: goConstant(c.want.OS.Family, OsFamily), Name: c.want.OS.Name } } : {};
      const got = await osReleaseAnalyzer.analyze(memoryFiles({ 'etc/os-release': text }), imageContext);
      assert.deepEqual(got, want);
    });
  }
});

test('os-release is read at each place Trivy looks, and nowhere else', () => {
  const info = { size: 100, mode: 0o644 };
  for (const path of [
    'etc/os-release',
    'usr/lib/os-release',
    'x86_64-bottlerocket-linux-gnu/sys-root/usr/lib/os-release',
    'aarch64-bottlerocket-linux-gnu/sys-root/usr/lib/os-release',
  ]) {
    assert.equal(osReleaseAnalyzer.required(path, info), true, path);
  }
  for (const path of ['etc/os-release.d/x', 'foo/etc/os-release', 'etc/lsb-release', '/etc/os-release']) {
    assert.equal(osReleaseAnalyzer.required(path, info), false, path);
  }
});

test('os-release values may be quoted either way and padded', () => {
  assert.deepEqual(parseOsRelease(' ID = \'rocky\' \r\nVERSION_ID= "9.3"\n'), { Family: 'rocky', Name: '9.3' });
  assert.deepEqual(parseOsRelease('ID=wolfi\nVERSION_ID=20230201\n'), { Family: 'wolfi', Name: '20230201' });
  assert.deepEqual(parseOsRelease('ID=chainguard\nVERSION_ID=20230214\n'), { Family: 'chainguard', Name: '20230214' });
  // Debian and Ubuntu come from their own files, as in Trivy.
  assert.equal(parseOsRelease('ID=debian\nVERSION_ID="12"\n'), undefined);
  assert.equal(parseOsRelease('ID=ubuntu\nVERSION_ID="22.04"\n'), undefined);
  // A prototype key is not a family.
  assert.equal(parseOsRelease('ID=constructor\nVERSION_ID=1\n'), undefined);
  assert.equal(parseOsRelease(''), undefined);
});

test('/etc wins over /usr/lib when both are in one layer', async () => {
  const got = await osReleaseAnalyzer.analyze(
    memoryFiles({
      'usr/lib/os-release': 'ID=alpine\nVERSION_ID=3.18.0\n',
      'etc/os-release': 'ID=alpine\nVERSION_ID=3.18.4\n',
    }),
    imageContext,
  );
  assert.deepEqual(got, { OS: { Family: 'alpine', Name: '3.18.4' } });
});
