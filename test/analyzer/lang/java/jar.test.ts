import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createJarAnalyzer } from '../../../../src/analyzer/lang/java/jar-analyzer.ts';
import {
  artifactFromFileName,
  embeddedPomGav,
  isJarLicenseFile,
  pomLicenses,
} from '../../../../src/analyzer/lang/java/jar-metadata.ts';
import { parseJar } from '../../../../src/analyzer/lang/java/jar-parser.ts';
import { parseBundleLicense } from '../../../../src/analyzer/lang/java/license-refs.ts';
import {
  manifestArtifact,
  parseManifest,
  pluginLicenseNameOfLine,
} from '../../../../src/analyzer/lang/java/manifest.ts';
import { type JavaDb, openJavaDb } from '../../../../src/db/javadb/index.ts';
import { buildJavaDb, REAL_JAVA_DB } from '../../../db/javadb/java-db-builder.ts';
import { tempDir } from '../../../helpers/temp-dir.ts';
import {
  assertSameApplications,
  comparablePackages,
  fixture,
  goldenCases,
  imageContext,
  memoryFiles,
} from '../trivy-goldens.ts';

const ECO = 'java';
const PARSER = 'pkg/dependency/parser/java/jar/';
const ANALYZER = 'pkg/fanal/analyzer/language/java/jar/';

/** The analyzer's test.war is byte-identical to the parser's maven.war (see SOURCES.md). */
function readJarFixture(path: string): Buffer {
  if (path === `${ANALYZER}testdata/test.war`) return readFileSync(fixture(ECO, `${PARSER}testdata/maven.war`));
  return readFileSync(fixture(ECO, path));
}

/**
 * The answers Trivy's parse test gets from its Maven Central stand-in, as rows of a real Java
 * DB: spring-core by the SHA-1 of test.jar, gizmo 1.1.0 by the SHA-1 of the gizmo jar (dropped
 * as a duplicate of pom.properties' 1.1), and `heuristic` under two groups, com.example more often.
 */
function parserTestDb(): JavaDb {
  const sha = (n: number) => n.toString(16).padStart(40, '0');
  const path = buildJavaDb(join(tempDir('vigil-jar-db-'), 'trivy-java.db'), [
    {
      groupId: 'org.springframework',
      artifactId: 'spring-core',
      version: '5.3.3',
      sha1: 'c666f5bc47eb64ed3bbd13505a26f58be71f33f0',
    },
    {
      groupId: 'io.quarkus.gizmo',
      artifactId: 'gizmo',
      version: '1.1.0',
      sha1: 'ba625037def4d12db7ce2c9edaea8263218adb8c',
    },
    { groupId: 'org.springframework', artifactId: 'heuristic', version: '1.0.0-SNAPSHOT', sha1: sha(1) },
    { groupId: 'com.example', artifactId: 'heuristic', version: '1.0.0-SNAPSHOT', sha1: sha(2) },
    { groupId: 'com.example', artifactId: 'heuristic', version: '0.9.0', sha1: sha(3) },
  ]);
  return openJavaDb(path);
}

test('Trivy jar parser golden cases (pom.properties, MANIFEST.MF, SHA-1, file name, nesting, licences)', async (t) => {
  const db = parserTestDb();
  const cases = goldenCases(ECO, `${PARSER}parse_test.expected.json`, 'TestParse');
  assert.equal(cases.length, 10);
  for (const c of cases) {
    await t.test(c.name, async () => {
      let asked = 0;
      const javaDb = async () => {
        asked += 1;
        return c.offline ? undefined : db;
      };
      const got = await parseJar(c.file, readJarFixture(`${PARSER}${c.file}`), { javaDb });
      assert.deepEqual(comparablePackages(got.packages), comparablePackages(c.want));
      assert.deepEqual(got.warnings, []);
      if (c.offline) assert.deepEqual(got.unchecked.length, 1);
      else assert.deepEqual(got.unchecked, []);
      if (c.name === 'multiple packed license files') assert.equal(asked, 0, 'pom.properties needs no DB');
    });
  }
  db.close();
});

test('Trivy jar analyzer golden cases with the real 20 KB trivy-java.db', async (t) => {
  const cases = goldenCases(ECO, `${ANALYZER}jar_test.expected.json`, 'Test_javaLibraryAnalyzer_Analyze');
  assert.equal(cases.length, 4);
  for (const c of cases) {
    await t.test(c.name, async () => {
      const db = openJavaDb(REAL_JAVA_DB);
      const analyzer = createJarAnalyzer({ javaDb: async () => db, includeChecksum: c.includeChecksum === true });
      const files = memoryFiles(new Map([[c.inputFile, readJarFixture(`${ANALYZER}${c.inputFile}`)]]));
      const result = await analyzer.analyze(files, imageContext);
      const want = c.want.Applications
        ? { Applications: c.want.Applications.map((app: object) => ({ ...app, Type: 'jar' })) }
        : undefined;
      assertSameApplications(result, want);
      for (const pkg of result.Applications?.[0]?.Packages ?? [])
        assert.match(pkg.Identifier?.PURL ?? '', /^pkg:maven\//);
      db.close();
    });
  }
  const analyzer = createJarAnalyzer({ javaDb: async () => undefined });
  for (const c of goldenCases(ECO, `${ANALYZER}jar_test.expected.json`, 'Test_javaLibraryAnalyzer_Required')) {
    assert.equal(analyzer.required(c.filePath, { size: 1, mode: 0o644 }), c.want, c.name);
  }
  assert.equal(analyzer.required('opt/app.par', { size: 1, mode: 0o644 }), true);
});

test('Trivy jar metadata helpers: plugin licences, embedded poms, licence files, Bundle-License, manifests', () => {
  const table = (func: string) => goldenCases(ECO, `${PARSER}parse_test.expected.json`, func);
  for (const c of table('TestParsePluginLicenseName')) assert.equal(pluginLicenseNameOfLine(c.line), c.want, c.name);
  for (const c of table('TestEmbeddedPomGAV')) {
    const got = embeddedPomGav(c.path);
    assert.deepEqual(got, c.wantOK ? { groupId: c.wantGroup, artifactId: c.wantArt } : undefined, c.name);
  }
  for (const c of table('TestDecodePomLicenses')) assert.deepEqual(pomLicenses(c.xml), c.want ?? undefined, c.name);
  for (const c of table('TestIsJarLicenseFile')) assert.equal(isJarLicenseFile(c.path), c.want, c.name);
  const bundle = table('TestParseBundleLicense');
  assert.equal(bundle.length, 18);
  for (const c of bundle) assert.deepEqual(parseBundleLicense(c.header), c.want ?? [], c.name);
  for (const c of table('TestManifestProperties')) {
    const got = manifestArtifact(parseManifest(c.manifest));
    const want = c.want.GroupID
      ? { groupId: c.want.GroupID, artifactId: c.want.ArtifactID, version: c.want.Version }
      : undefined;
    assert.deepEqual(got, want, c.name);
  }
  // TestParseManifestFolding: continuation lines fold the same with CRLF, LF and CR endings.
  for (const c of table('TestParseManifestFolding')) {
    const text = [
      'Manifest-Version: 1.0',
      'Implementation-Title: a-very-long-',
      ' title',
      'Implementation-Version: 1.',
      ' 2.3',
      'Implementation-Vendor-Id: org.exa',
      ' mple',
      '',
    ].join(c.eol);
    assert.deepEqual(
      manifestArtifact(parseManifest(text)),
      { groupId: 'org.example', artifactId: 'a-very-long-title', version: '1.2.3' },
      c.name,
    );
  }
  assert.deepEqual(artifactFromFileName('spring-core-5.3.4-SNAPSHOT.jar'), {
    artifactId: 'spring-core',
    version: '5.3.4-SNAPSHOT',
  });
  assert.equal(artifactFromFileName('maven.war'), undefined);
});

/** Builds jars with Info-ZIP `zip` from a map of member paths to contents. */
function makeJar(dir: string, name: string, members: Record<string, string | Buffer>, store = false): Buffer {
  const root = join(dir, `${name}.d`);
  for (const [path, body] of Object.entries(members)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), body);
  }
  const out = join(dir, name);
  execFileSync('zip', ['-q', '-r', ...(store ? ['-0'] : []), out, '.'], { cwd: root });
  return readFileSync(out);
}

test('without a Java DB: manifest taken as is, every archive that needed the DB reported, provider called once', async () => {
  let calls = 0;
  const analyzer = createJarAnalyzer({
    javaDb: async () => {
      calls += 1;
      return undefined;
    },
  });
  const dir = tempDir('vigil-jar-offline-');
  const bare = makeJar(dir, 'bare-1.0.jar', { 'a/B.class': 'x' });
  const files = memoryFiles(
    new Map([
      ['app/test.jar', readJarFixture(`${ANALYZER}testdata/test.jar`)],
      ['app/bare-1.0.jar', bare],
      ['app/multi-license-1.0.0.jar', readJarFixture(`${PARSER}testdata/multi-license-1.0.0.jar`)],
    ]),
  );
  const result = await analyzer.analyze(files, imageContext);
  assert.equal(calls, 1);
  assert.deepEqual(
    result.Applications?.map((app) => [app.FilePath, app.Packages.map((p) => `${p.Name}:${p.Version}`)]),
    [
      ['app/multi-license-1.0.0.jar', ['com.example:multi-license:1.0.0']],
      ['app/test.jar', ['org.apache:Apache Tomcat:9.0.65']],
    ],
  );
  assert.deepEqual(result.Warnings, [
    'app/bare-1.0.jar: not identified: no Java DB to check its SHA-1 or file name, and no pom.properties or usable MANIFEST.MF',
    'app/test.jar: not checked by SHA-1 (no Java DB); identified from MANIFEST.MF as org.apache:Apache Tomcat:9.0.65',
  ]);

  const failing = createJarAnalyzer({
    javaDb: async () => {
      throw new Error('metadata.json missing');
    },
  });
  const failed = await failing.analyze(memoryFiles(new Map([['x/bare-1.0.jar', bare]])), imageContext);
  assert.equal(failed.Warnings?.[0], 'Java DB unavailable, jars are identified without it: metadata.json missing');
  assert.equal(failed.Warnings?.length, 2);
  const none = createJarAnalyzer({ javaDb: async () => assert.fail('not needed') });
  const pomOnly = await none.analyze(
    memoryFiles(new Map([['m-1.0.0.jar', readJarFixture(`${PARSER}testdata/multi-license-1.0.0.jar`)]])),
    imageContext,
  );
  assert.equal(pomOnly.Applications?.length, 1);
});

test('deep nesting, zip bombs, zip slip and corrupt archives are bounded and reported', async () => {
  const dir = tempDir('vigil-jar-nest-');
  const pom = (n: number) => `groupId=g\nartifactId=level${n}\nversion=1.0\n`;
  let inner = makeJar(dir, 'level10-1.0.jar', { 'META-INF/maven/g/level10/pom.properties': pom(10) });
  for (let n = 9; n >= 0; n -= 1) {
    inner = makeJar(dir, `level${n}-1.0.jar`, {
      'META-INF/maven/g/level/pom.properties': pom(n),
      [`lib/level${n + 1}-1.0.jar`]: inner,
    });
  }
  const nested = await parseJar('level0-1.0.jar', inner, { javaDb: async () => undefined });
  assert.deepEqual(
    nested.packages.map((p) => p.Name),
    ['g:level0', 'g:level1', 'g:level2', 'g:level3', 'g:level4', 'g:level5', 'g:level6', 'g:level7', 'g:level8'],
  );
  assert.match(nested.warnings[0] ?? '', /level9-1\.0\.jar: not opened, archives nested deeper than 8$/);

  // Stored (not deflated), so each nested jar inflates to 4 MiB when the outer one is read.
  const big = makeJar(
    dir,
    'big-1.0.jar',
    { 'META-INF/maven/g/big/pom.properties': pom(0), 'data.bin': Buffer.alloc(4 << 20) },
    true,
  );
  const outer = makeJar(dir, 'outer-1.0.jar', { 'lib/a-1.0.jar': big, 'lib/b-1.0.jar': big, 'lib/c-1.0.jar': big });
  const bounded = await parseJar('outer-1.0.jar', outer, {
    javaDb: async () => undefined,
    limits: { maxDepth: 8, maxEntrySize: 16 << 20, maxTotalBytes: 10 << 20 },
  });
  assert.ok(
    bounded.warnings.some((w) => /zip bomb/.test(w)),
    bounded.warnings.join('\n'),
  );

  // Zip slip: a member named ../evil-1.0.jar (patched in, same length) is never opened.
  const slipping = makeJar(dir, 'slip-1.0.jar', { 'zz/evil-1.0.jar': big });
  let at = slipping.indexOf('zz/evil');
  while (at !== -1) {
    slipping.write('../evil', at, 'latin1');
    at = slipping.indexOf('zz/evil', at);
  }
  const slipped = await parseJar('app/slip-1.0.jar', slipping, { javaDb: async () => undefined });
  assert.deepEqual(slipped.packages, []);
  assert.deepEqual(slipped.unchecked, [{ filePath: 'app/slip-1.0.jar' }]);

  const corrupt = Buffer.from(readJarFixture(`${PARSER}testdata/nested.jar`));
  corrupt.fill(0, 40, 200);
  const analyzer = createJarAnalyzer({ javaDb: async () => undefined });
  const result = await analyzer.analyze(
    memoryFiles(
      new Map([
        ['broken.jar', Buffer.from('PK\u0003\u0004garbage')],
        ['nested.jar', corrupt],
      ]),
    ),
    imageContext,
  );
  assert.match(result.Warnings?.[0] ?? '', /^broken\.jar: skipped, not a readable Java archive: not a zip archive/);
  assert.ok(result.Warnings?.some((w) => w.startsWith('nested.jar')));
});
