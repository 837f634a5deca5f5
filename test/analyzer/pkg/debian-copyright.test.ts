import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { debianCopyrightPackage, parseDebianCopyright } from '../../../src/analyzer/pkg/index.ts';
import { goldenTables } from '../os/collected-files.ts';
import { fixtures } from './rpm-fixtures.ts';

interface LicenseCase {
  name: string;
  filePath: string;
  testFile?: string;
  want: { Licenses: { Findings: { Name: string }[]; PkgName: string }[] } | null | boolean;
}

test('Trivy copyright_test.go: licences from Debian copyright files', async (t) => {
  const [analyze, required] = goldenTables<LicenseCase>(`${fixtures}expected/trivy/copyright_test.expected.json`);
  for (const c of analyze?.cases ?? []) {
    await t.test(c.name, () => {
      const text = readFileSync(`${fixtures}trivy/dpkg/${c.testFile?.replace('testdata/', '')}`, 'utf8');
      const want = c.want && typeof c.want === 'object' ? c.want.Licenses[0] : undefined;
      assert.deepEqual(parseDebianCopyright(text), want?.Findings.map((finding) => finding.Name) ?? []);
      assert.equal(debianCopyrightPackage(c.filePath), want?.PkgName ?? debianCopyrightPackage(c.filePath));
    });
  }
  for (const c of required?.cases ?? []) {
    assert.equal(debianCopyrightPackage(c.filePath) !== undefined, c.want, c.name);
  }
});
