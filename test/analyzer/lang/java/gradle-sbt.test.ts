import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  createGradleLockAnalyzer,
  parseGradleCachePom,
  parseGradleLockfile,
} from '../../../../src/analyzer/lang/java/gradle-lockfile.ts';
import { parseSbtLockfile, sbtLockAnalyzer } from '../../../../src/analyzer/lang/java/sbt-lockfile.ts';
import {
  analyzeDirectory,
  assertSameApplications,
  comparablePackages,
  fixture,
  fsContext,
  goldenCases,
  memoryFiles,
  readFixture,
} from '../trivy-goldens.ts';

const ECO = 'java';
const GRADLE_ANALYZER = 'pkg/fanal/analyzer/language/java/gradle/';
const SBT_ANALYZER = 'pkg/fanal/analyzer/language/java/sbt/';

const typed = (want: { Applications?: object[] } | null | undefined, type: string) =>
  want?.Applications ? { Applications: want.Applications.map((app) => ({ ...app, Type: type })) } : undefined;

test('Trivy gradle.lockfile parser golden cases (dev dependencies from test configurations)', () => {
  const cases = goldenCases(ECO, 'pkg/dependency/parser/gradle/lockfile/parse_test.expected.json', 'TestParser_Parse');
  assert.equal(cases.length, 2);
  for (const c of cases) {
    const got = parseGradleLockfile(readFixture(ECO, `pkg/dependency/parser/gradle/lockfile/${c.inputFile}`));
    assert.deepEqual(comparablePackages(got), comparablePackages(c.want), c.name);
  }
});

test('Trivy gradle analyzer golden cases (licences and dependencies from the Gradle cache)', async (t) => {
  const cases = goldenCases(ECO, `${GRADLE_ANALYZER}lockfile_test.expected.json`, 'Test_gradleLockAnalyzer_Analyze');
  assert.equal(cases.length, 3);
  for (const c of cases) {
    await t.test(c.name, async () => {
      const analyzer = createGradleLockAnalyzer({
        gradleCachesDir: c.cacheDir ? fixture(ECO, `${GRADLE_ANALYZER}${c.cacheDir}/caches`) : undefined,
      });
      const result = await analyzeDirectory(analyzer, fixture(ECO, `${GRADLE_ANALYZER}${c.dir}`), fsContext);
      assertSameApplications(result, typed(c.want, 'gradle'));
    });
  }
  const analyzer = createGradleLockAnalyzer();
  for (const c of goldenCases(
    ECO,
    `${GRADLE_ANALYZER}lockfile_test.expected.json`,
    'Test_nugetLibraryAnalyzer_Required',
  )) {
    assert.equal(analyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
});

test('Trivy Gradle cache pom golden cases (group and version from the path, property versions)', () => {
  const cases = goldenCases(ECO, `${GRADLE_ANALYZER}pom_test.expected.json`, 'Test_parsePom');
  assert.equal(cases.length, 4);
  for (const c of cases) {
    const got = parseGradleCachePom(readFileSync(fixture(ECO, `${GRADLE_ANALYZER}${c.inputFile}`)), c.inputPath);
    const want = c.want.ArtifactId
      ? {
          groupId: c.want.GroupId,
          artifactId: c.want.ArtifactId,
          version: c.want.Version,
          licenses: (c.want.Licenses?.License ?? []).map((l: { Name: string }) => l.Name),
          dependencies: (c.want.Dependencies?.Dependency ?? []).map(
            (d: { GroupID: string; ArtifactID: string; Version: string }) => ({
              groupId: d.GroupID,
              artifactId: d.ArtifactID,
              version: d.Version,
            }),
          ),
        }
      : undefined;
    assert.deepEqual(got, want, c.name);
  }
  assert.throws(
    () =>
      parseGradleCachePom(
        `<project><dependencies><dependency><version>\${missing}</version></dependency></dependencies></project>`,
        'a/b/c/d/e/f.pom',
      ),
    /unable to resolve/,
  );
});

test('Trivy sbt lock file parser and analyzer golden cases (compile and runtime configurations)', async () => {
  const parserCases = goldenCases(
    ECO,
    'pkg/dependency/parser/sbt/lockfile/parse_test.expected.json',
    'TestParser_Parse',
  );
  assert.equal(parserCases.length, 2);
  for (const c of parserCases) {
    const got = parseSbtLockfile(readFixture(ECO, `pkg/dependency/parser/sbt/lockfile/${c.inputFile}`));
    assert.deepEqual(comparablePackages(got), comparablePackages(c.want), c.name);
  }
  for (const c of goldenCases(ECO, `${SBT_ANALYZER}lockfile_test.expected.json`, 'Test_sbtDependencyLockAnalyzer')) {
    const files = memoryFiles(new Map([[c.inputFile, Buffer.from(readFixture(ECO, `${SBT_ANALYZER}${c.inputFile}`))]]));
    assertSameApplications(await sbtLockAnalyzer.analyze(files, fsContext), typed(c.want, 'sbt'), c.name);
  }
  assert.equal(sbtLockAnalyzer.required('a/build.sbt.lock', { size: 1, mode: 0o644 }), true);
  assert.equal(sbtLockAnalyzer.required('a/other.sbt.lock', { size: 1, mode: 0o644 }), false);
  const broken = await sbtLockAnalyzer.analyze(memoryFiles(new Map([['build.sbt.lock', Buffer.from('{')]])), fsContext);
  assert.match(broken.Warnings?.[0] ?? '', /^build\.sbt\.lock: skipped, unable to parse/);
});
