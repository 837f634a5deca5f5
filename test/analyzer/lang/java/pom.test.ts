import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { test } from 'node:test';
import { pomLicenseName } from '../../../../src/analyzer/lang/java/license-refs.ts';
import { createPomAnalyzer } from '../../../../src/analyzer/lang/java/pom/pom-analyzer.ts';
import { evaluateVariable } from '../../../../src/analyzer/lang/java/pom/pom-model.ts';
import { pomPackageId } from '../../../../src/analyzer/lang/java/pom/pom-package-id.ts';
import { type PomFileSource, PomResolver } from '../../../../src/analyzer/lang/java/pom/pom-resolver.ts';
import {
  analyzeDirectory,
  assertSameApplications,
  comparableDependencies,
  comparablePackages,
  eachGolden,
  fixture,
  fsContext,
  goldenCases,
} from '../trivy-goldens.ts';

const ECO = 'java';
const PARSER = 'pkg/dependency/parser/java/pom/';
const ANALYZER = 'pkg/fanal/analyzer/language/java/pom/';
const BASE = fixture(ECO, PARSER);

/** Files as Trivy's parser test sees them: paths relative to the upstream package directory. */
function diskSource(base: string): PomFileSource {
  const resolve = (path: string) => (isAbsolute(path) ? path : join(base, path));
  return {
    read: (path) => {
      try {
        return readFileSync(resolve(path));
      } catch {
        return undefined;
      }
    },
    isDirectory: (path) => {
      try {
        return statSync(resolve(path)).isDirectory();
      } catch {
        return false;
      }
    },
  };
}

/**
 * Cases that need what Vigil leaves out on purpose: fetching poms over HTTP (remote and
 * snapshot repositories, rate limiting). The other remote cases resolve the same from the
 * upstream local repository and run. (Tables TestPom_Parse_Remote_Repos, mirror_test and
 * settings_test are about remote repositories, mirrors and settings.xml, and are not run.)
 */
const NOT_APPLICABLE: Record<string, string> = {
  'remote repository returns 429 Too Many Requests': 'needs an HTTP repository; Vigil never fetches poms',
  'snapshot repository returns 429 Too Many Requests on maven-metadata.xml':
    'needs an HTTP repository; Vigil never fetches poms',
  'snapshot dependency': 'the timestamped snapshot pom is only served by the HTTP test repository',
  'snapshot repository with maven-metadata.xml': 'maven-metadata.xml is only served over HTTP',
  'multiple repositories are used': 'a second HTTP repository serves a different pom than the local one',
};

test('Trivy pom parser golden cases, resolved offline with the upstream local repository', async (t) => {
  const cases = goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'TestPom_Parse');
  assert.equal(cases.length, 52);
  await eachGolden(t, cases, NOT_APPLICABLE, (c) => {
    const resolver = new PomResolver({
      files: diskSource(BASE),
      localRepository: join(BASE, 'testdata', 'repository'),
      env: {},
    });
    const got = resolver.parse(c.inputFile, readFileSync(join(BASE, c.inputFile)));
    if (c.want.some((pkg: object) => '$call' in pkg)) {
      // Packages built by unconverted helpers: the root and the graph are still exact.
      const root = c.want.find((pkg: { ID?: string }) => pkg.ID);
      assert.deepEqual(
        comparablePackages(got.packages.filter((p) => p.Relationship === 'root')),
        comparablePackages([root]),
      );
      const ids = new Set(got.packages.map((p) => p.ID));
      for (const dep of c.wantDeps) for (const id of [dep.ID, ...dep.DependsOn]) assert.ok(ids.has(id), id);
    } else {
      assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
    }
    assert.deepEqual(comparableDependencies(got.dependencies), comparableDependencies(c.wantDeps));
  });
});

test('Trivy pom helpers: variables, licence names, package IDs', () => {
  for (const c of goldenCases(
    ECO,
    'pkg/dependency/parser/java/pom/artifact_test.expected.json',
    'Test_evaluateVariable',
  )) {
    const env = { TEST_GO_DEP_PARSER: '1.2.3' };
    assert.equal(evaluateVariable(c.args.s, c.args.props ?? undefined, env), c.want, c.name);
  }
  for (const c of goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'TestPomLicenseName')) {
    assert.equal(pomLicenseName(c.licName ?? '', c.licURL ?? ''), c.want, c.name);
  }
  assert.equal(
    pomPackageId('com.example:happy', '1.0.0', 'testdata/happy/pom.xml'),
    'com.example:happy:1.0.0::a302c021',
  );
});

test('Trivy pom analyzer golden cases', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}pom_test.expected.json`, 'Test_pomAnalyzer_Analyze');
  assert.equal(cases.length, 6);
  for (const c of cases) {
    await t.test(c.name, async () => {
      // Trivy hashes the pom path as the scan saw it: the test's directory plus the file.
      const dir = c.inputDir ?? '';
      const analyzer = createPomAnalyzer({ rootDir: dir === '' ? undefined : dir });
      const root = fixture(ECO, `${ANALYZER}${dir === '' ? '' : dir.replace(/^testdata\/?/, 'testdata/')}`);
      const result = dir
        ? await analyzeDirectory(analyzer, root, fsContext)
        : await analyzeDirectory(analyzer, fixture(ECO, ANALYZER), fsContext).then((r) => ({
            ...r,
            Applications: r.Applications?.filter((app) => app.FilePath === c.inputFile),
            Warnings: r.Warnings?.filter((w) => w.startsWith(c.inputFile)),
          }));
      if (c.wantErr) {
        assert.equal(result.Applications?.length ?? 0, 0);
        assert.match(result.Warnings?.[0] ?? '', new RegExp(c.wantErr));
        return;
      }
      const want = { Applications: c.want.Applications.map((app: object) => ({ ...app, Type: 'pom' })) };
      assertSameApplications(result, want);
    });
  }
  const analyzer = createPomAnalyzer();
  for (const c of goldenCases(ECO, `${ANALYZER}pom_test.expected.json`, 'Test_pomAnalyzer_Required')) {
    assert.equal(analyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
});
