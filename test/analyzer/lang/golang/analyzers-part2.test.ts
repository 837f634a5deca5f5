import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { languageAnalyzersPart2, trivyLocalCacheDirs } from '../../../../src/analyzer/lang/analyzers-part2.ts';
import type { AnalysisResult, CollectedFiles, FileInfo, ScanKind } from '../../../../src/analyzer/types.ts';
import { openJavaDb } from '../../../../src/db/javadb/index.ts';
import { REAL_JAVA_DB } from '../../../db/javadb/java-db-builder.ts';
import { readRustBinary } from '../rust-binary/rust-fixtures.ts';
import { fixture } from '../trivy-goldens.ts';
import { readBinaryFixture } from './go-fixtures.ts';

interface TreeFile {
  body: Buffer;
  mode: number;
}

/** Runs every part-2 analyzer of a scan kind over a file tree, each on the files it asks for. */
async function scan(tree: Record<string, TreeFile>, scanKind: ScanKind): Promise<AnalysisResult[]> {
  let opened = 0;
  const analyzers = languageAnalyzersPart2({
    javaDb: async () => {
      opened += 1;
      return openJavaDb(REAL_JAVA_DB);
    },
  });
  const results: AnalysisResult[] = [];
  for (const analyzer of analyzers.filter((a) => a.scanKinds.includes(scanKind))) {
    const picked = Object.entries(tree).filter(([path, file]) =>
      analyzer.required(path, { size: file.body.length, mode: file.mode }),
    );
    if (picked.length === 0) continue;
    const files: CollectedFiles = {
      paths: () => picked.map(([path]) => path),
      read: async (path) => tree[path]?.body ?? assert.fail(path),
      info: (path): FileInfo | undefined =>
        tree[path] ? { size: tree[path].body.length, mode: tree[path].mode } : undefined,
    };
    results.push(await analyzer.analyze(files, { scanKind, includeDevDeps: false }));
  }
  assert.ok(opened <= 1, 'the Java DB is opened at most once');
  return results;
}

const apps = (results: AnalysisResult[]) =>
  results
    .flatMap((r) => r.Applications ?? [])
    .map((app) => `${app.Type} ${app.FilePath} ${app.Packages.length}`)
    .sort();

test('part-2 analyzers in an image scan and a directory scan pick their own files', async () => {
  const text = (s: string) => Buffer.from(s);
  const tree: Record<string, TreeFile> = {
    'usr/local/bin/goapp': { body: readBinaryFixture('test.elf'), mode: 0o100755 },
    'usr/local/bin/rusty': { body: readRustBinary('test.elf'), mode: 0o100755 },
    'usr/local/bin/script': { body: text('#!/bin/sh\necho hi\n'), mode: 0o100755 },
    'usr/lib/libfoo.so': { body: readBinaryFixture('test.elf'), mode: 0o100644 },
    'opt/app/lib/tomcat.jar': {
      body: readFileSync(fixture('java', 'pkg/fanal/analyzer/language/java/jar/testdata/test.jar')),
      mode: 0o100644,
    },
    'src/go.mod': {
      body: text('module example.com/x\n\ngo 1.22\n\nrequire golang.org/x/text v0.3.7\n'),
      mode: 0o100644,
    },
    'src/build.sbt.lock': {
      body: readFileSync(fixture('java', 'pkg/fanal/analyzer/language/java/sbt/testdata/v1/build.sbt.lock')),
      mode: 0o100644,
    },
  };
  assert.deepEqual(apps(await scan(tree, 'image')), [
    'gobinary usr/local/bin/goapp 5',
    'jar opt/app/lib/tomcat.jar 1',
    'rustbinary usr/local/bin/rusty 2',
  ]);
  assert.deepEqual(apps(await scan(tree, 'fs')), ['gomod src/go.mod 2', 'sbt src/build.sbt.lock 3']);

  const types = languageAnalyzersPart2({ javaDb: async () => undefined }).map((a) => a.type);
  assert.equal(new Set(types).size, types.length);
  assert.deepEqual(trivyLocalCacheDirs({}, '/home/u'), {
    goModuleCacheDir: '/home/u/go/pkg/mod',
    gradleCachesDir: '/home/u/.gradle/caches',
    mavenLocalRepository: '/home/u/.m2/repository',
  });
});
