/**
 * Trivy's library detector tests (pkg/detector/library/driver_test.go, converted to JSON) and its
 * Seal supplier tables (seal_test.go, supplier_test.go): bolt-fixtures loaded into a real bbolt
 * file, one package per case, findings compared with Trivy's expected list.
 */
import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { detectLanguageFindings } from '../../src/detect/language/library-driver.ts';
import { lookupSupplier, SEAL_SECURITY } from '../../src/detect/language/suppliers.ts';
import { isVigilError } from '../../src/errors/index.ts';
import { silentLogger } from '../../src/log/index.ts';
import { canonical, FIXTURES, fixtureDb, goFinding, loadTables, table } from './trivy-goldens.ts';

/** Trivy's LangType constants used by the tables (pkg/fanal/types/const.go). */
const LANG_TYPES: Readonly<Record<string, string>> = {
  '$ftypes.Composer': 'composer',
  '$ftypes.GoModule': 'gomod',
  '$ftypes.GoBinary': 'gobinary',
  '$ftypes.Julia': 'julia',
  '$ftypes.Bundler': 'bundler',
  '$ftypes.PythonPkg': 'python-pkg',
  '$ftypes.Npm': 'npm',
  '$ftypes.Pom': 'pom',
};

const ECOSYSTEMS: Readonly<Record<string, string>> = {
  '$ecosystem.Maven': 'maven',
  '$ecosystem.Npm': 'npm',
  '$ecosystem.Pip': 'pip',
  '$ecosystem.Go': 'go',
  '$ecosystem.RubyGems': 'rubygems',
  '$ecosystem.Erlang': 'erlang',
};

const MATCHES: Readonly<Record<string, string>> = {
  '$library.Matched': 'matched',
  '$library.Candidate': 'candidate',
  '$library.NoMatch': 'none',
};

describe('library detection (Trivy driver_test.go)', () => {
  for (const testCase of table(loadTables('library/driver_test.expected.json'), 'TestDriver_Detect')) {
    test(testCase.name as string, () => {
      const type = LANG_TYPES[testCase.libType as string];
      assert.ok(type, `known type ${String(testCase.libType)}`);
      const args = testCase.args as { pkgName: string; pkgVer: string };
      const files = (testCase.fixtures as string[]).map((file) => join(FIXTURES, 'library', basename(file)));
      const fixture = fixtureDb(files);
      try {
        const detect = () =>
          detectLanguageFindings(type, [{ Name: args.pkgName, Version: args.pkgVer }], {
            store: fixture.store,
            logger: silentLogger,
          });
        if (testCase.wantErr) {
          assert.throws(detect, (error: unknown) => {
            assert.ok(isVigilError(error));
            assert.ok(error.message.includes(testCase.wantErr as string), error.message);
            return true;
          });
          return;
        }
        const want = ((testCase.want ?? []) as unknown[]).map(goFinding);
        assert.deepEqual(canonical(detect()), canonical(want));
      } finally {
        fixture.close();
      }
    });
  }
});

describe('Seal Security supplier (Trivy seal_test.go, supplier_test.go)', () => {
  for (const c of table(loadTables('library/seal_test.expected.json'), 'TestSealSecurity_Match')) {
    test(`match: ${c.name as string}`, () => {
      const ecosystem = ECOSYSTEMS[c.eco as string] as string;
      assert.equal(
        SEAL_SECURITY.match(ecosystem, (c.pkgName as string) ?? '', (c.pkgVer as string) ?? ''),
        MATCHES[c.want as string],
      );
    });
  }
  for (const c of table(loadTables('library/supplier_test.expected.json'), 'Test_lookupSupplier')) {
    test(`lookup: ${c.name as string}`, () => {
      const ecosystem = ECOSYSTEMS[c.eco as string] as string;
      const found = lookupSupplier([SEAL_SECURITY], ecosystem, c.pkgName as string, (c.pkgVer as string) ?? '');
      assert.equal(found?.match ?? 'none', MATCHES[c.wantMatch as string]);
      if (found === undefined) return;
      assert.equal(found.supplier.bucketPrefix(ecosystem), c.wantPrefix);
      // The ecosystem's own comparer, or Seal's stricter PEP 440 matching of local labels.
      assert.equal(found.supplier.matchOptions(ecosystem) === undefined, c.wantDefaultComparer === true);
    });
  }
});
