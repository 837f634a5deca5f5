import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { languageAnalyzersPart1 } from '../../../src/analyzer/lang/analyzers-part1.ts';
import type { ScanKind } from '../../../src/analyzer/types.ts';
import { analyzeDirectory } from '../../../src/artifact/directory-artifact.ts';
import { NO_SKIPS } from '../../../src/artifact/path-filter.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { fixture } from './trivy-goldens.ts';

/**
 * Trivy's analyzer groups (pkg/fanal/analyzer/const.go): TypeLockfiles are disabled in image and
 * rootfs scans, TypeIndividualPkgs in fs scans; the rest run everywhere. bun and pylock are newer
 * lock-file formats and are grouped with the lock files.
 */
const LOCK_FILES = [
  'npm',
  'yarn',
  'pnpm',
  'bun',
  'pip',
  'pipenv',
  'poetry',
  'uv',
  'pylock',
  'bundler',
  'composer',
  'conan-lock',
  'cocoapods',
  'swift',
  'pubspec-lock',
  'mix-lock',
  'conda-environment',
];
const INDIVIDUAL = ['node-pkg', 'python-pkg', 'gemspec', 'composer-vendor', 'conda-pkg'];
const EVERYWHERE = ['cargo', 'nuget', 'dotnet-core', 'packages-props', 'julia', 'python-egg'];

test('every analyzer runs in the scan kinds of its Trivy analyzer group', () => {
  const types = languageAnalyzersPart1.map((analyzer) => analyzer.type);
  assert.equal(new Set(types).size, types.length, 'analyzer types are unique');
  assert.deepEqual([...types].sort(), [...LOCK_FILES, ...INDIVIDUAL, ...EVERYWHERE].sort());
  const expected = (type: string): ScanKind[] =>
    LOCK_FILES.includes(type) ? ['fs'] : INDIVIDUAL.includes(type) ? ['image', 'rootfs'] : ['fs', 'image', 'rootfs'];
  for (const analyzer of languageAnalyzersPart1) {
    assert.deepEqual([...analyzer.scanKinds].sort(), expected(analyzer.type), analyzer.type);
    assert.ok(analyzer.version >= 1, analyzer.type);
  }
});

async function scan(root: string, scanKind: ScanKind) {
  return analyzeDirectory(root, {
    analyzers: languageAnalyzersPart1.filter((analyzer) => analyzer.scanKinds.includes(scanKind)),
    context: { scanKind, includeDevDeps: false },
    filter: NO_SKIPS,
    settings: {},
    cache: undefined,
    limits: { maxUncompressedBytes: 1 << 30, maxFileBytes: 64 << 20 },
    logger: silentLogger,
  });
}

test('a directory scan finds lock files in fs scans and installed packages in rootfs scans', async () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-lang-'));
  try {
    const place = (source: string, target: string) => {
      mkdirSync(join(root, target, '..'), { recursive: true });
      cpSync(source, join(root, target), { recursive: true });
    };
    place(fixture('nodejs', 'pkg/fanal/analyzer/language/nodejs/npm/testdata/happy'), 'web');
    place(fixture('rust', 'pkg/dependency/parser/rust/cargo/testdata/cargo_v3.lock'), 'tool/Cargo.lock');
    place(fixture('ruby', 'pkg/dependency/parser/ruby/bundler/testdata/Gemfile_normal.lock'), 'app/Gemfile.lock');
    place(
      fixture('python', 'pkg/fanal/analyzer/language/python/packaging/testdata/happy-dist/distlib-0.3.1.dist-info'),
      'usr/lib/python3/site-packages/distlib-0.3.1.dist-info',
    );
    place(
      fixture('nodejs', 'pkg/fanal/analyzer/language/nodejs/pkg/testdata/package.json'),
      'usr/lib/node_modules/lodash/package.json',
    );

    const fs = await scan(root, 'fs');
    const byPath = new Map(fs.Applications.map((app) => [app.FilePath, app]));
    assert.deepEqual([...byPath.keys()].sort(), ['app/Gemfile.lock', 'tool/Cargo.lock', 'web/package-lock.json']);
    const web = byPath.get('web/package-lock.json');
    assert.equal(web?.Type, 'npm');
    // Dev packages are dropped without --include-dev-deps; licences come from web/node_modules.
    assert.ok(!web?.Packages.some((pkg) => pkg.Name === 'ansi-colors'));
    assert.deepEqual(web?.Packages.find((pkg) => pkg.ID === 'ms@2.1.1')?.Licenses, ['MIT']);
    assert.equal(byPath.get('tool/Cargo.lock')?.Packages.length, 9);

    const rootfs = await scan(root, 'rootfs');
    const types = rootfs.Applications.map((app) => `${app.Type} ${app.FilePath}`).sort();
    // Installed metadata and Cargo.lock (in every scan); never lock files such as Gemfile.lock.
    assert.deepEqual(types, [
      'cargo tool/Cargo.lock',
      'node-pkg usr/lib/node_modules/lodash/package.json',
      'node-pkg web/node_modules/@babel/parser/package.json',
      'node-pkg web/node_modules/body-parser/node_modules/debug/package.json',
      'node-pkg web/node_modules/body-parser/node_modules/ms/package.json',
      'node-pkg web/node_modules/body-parser/package.json',
      'node-pkg web/node_modules/express/node_modules/debug/package.json',
      'node-pkg web/node_modules/express/node_modules/ms/package.json',
      'node-pkg web/node_modules/express/package.json',
      'node-pkg web/node_modules/ms/package.json',
      'python-pkg usr/lib/python3/site-packages/distlib-0.3.1.dist-info/METADATA',
    ]);
    const distlib = rootfs.Applications.find((app) => app.Type === 'python-pkg')?.Packages[0];
    assert.equal(distlib?.Identifier?.PURL, 'pkg:pypi/distlib@0.3.1');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
