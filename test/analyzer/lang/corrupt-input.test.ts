import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { languageAnalyzersPart1 } from '../../../src/analyzer/lang/analyzers-part1.ts';
import type { Analyzer } from '../../../src/analyzer/types.ts';
import { FIXTURES, memoryFiles } from './trivy-goldens.ts';

/** File names each format is found under; an analyzer is fed the ones it asks for. */
const CANDIDATE_PATHS = [
  'p/package-lock.json',
  'p/yarn.lock',
  'p/pnpm-lock.yaml',
  'p/bun.lock',
  'p/package.json',
  'p/node_modules/a/package.json',
  'p/requirements.txt',
  'p/Pipfile.lock',
  'p/poetry.lock',
  'p/pyproject.toml',
  'p/uv.lock',
  'p/pylock.toml',
  'usr/lib/python3/site-packages/a-1.0.dist-info/METADATA',
  'usr/lib/python3/site-packages/a-1.0.egg-info/PKG-INFO',
  'p/a-1.0.egg',
  'p/Gemfile.lock',
  'usr/lib/ruby/specifications/a-1.0.gemspec',
  'p/composer.lock',
  'p/composer.json',
  'p/vendor/composer/installed.json',
  'p/Cargo.lock',
  'p/Cargo.toml',
  'p/packages.lock.json',
  'p/packages.config',
  'p/app.deps.json',
  'p/Directory.Packages.props',
  'p/pubspec.lock',
  'p/Package.resolved',
  'p/Podfile.lock',
  'p/conan.lock',
  'p/mix.lock',
  'p/Manifest.toml',
  'p/Project.toml',
  'p/environment.yaml',
  'opt/conda/conda-meta/a-1.0-0.json',
  'p/.yarn/cache/a-npm-1.0.0-0.zip',
];

/** A small deterministic generator, so every run feeds the same bytes. */
function pseudoRandomBytes(seed: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i += 1) {
    state = (state * 1664525 + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? fixtureFiles(path) : entry.isFile() && !path.includes('/expected/') ? [path] : [];
  });
}

const HOSTILE: readonly Buffer[] = [
  Buffer.alloc(0),
  pseudoRandomBytes(1, 4096),
  Buffer.from('['.repeat(200_000)),
  Buffer.from('{"a":'.repeat(50_000)),
  Buffer.from('- '.repeat(100_000)),
  Buffer.from('a = ['.repeat(20_000)),
  Buffer.from('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
  Buffer.from('PK\u0005\u0006'.padEnd(22, '\u0000')),
  Buffer.from(
    `a: &a [x]\n${Array.from({ length: 30 }, (_, i) => `b${i}: &b${i} [*${i === 0 ? 'a' : `b${i - 1}`}, *${i === 0 ? 'a' : `b${i - 1}`}]`).join('\n')}\n`,
  ),
];

async function assertSurvives(analyzer: Analyzer, path: string, body: Buffer, what: string) {
  const result = await analyzer.analyze(memoryFiles(new Map([[path, body]])), { scanKind: 'fs', includeDevDeps: true });
  assert.equal(typeof result, 'object', `${analyzer.type} ${path} ${what}`);
  for (const app of result.Applications ?? []) for (const pkg of app.Packages) assert.equal(typeof pkg.Name, 'string');
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
}

test('every analyzer turns hostile and truncated input into warnings, never a crash or hang', async (t) => {
  // Every fourth fixture under 64 KiB (all formats) keeps the run short yet varied.
  const corpus = fixtureFiles(FIXTURES)
    .sort()
    .filter((file, index) => index % 4 === 0 && statSync(file).size < 64 * 1024);
  assert.ok(corpus.length > 100);
  for (const analyzer of languageAnalyzersPart1) {
    const paths = CANDIDATE_PATHS.filter((path) => analyzer.required(path, { size: 1, mode: 0o644 }));
    assert.ok(paths.length > 0, `${analyzer.type} asks for one of the candidate paths`);
    await t.test(analyzer.type, async () => {
      for (const path of paths) {
        for (const [index, body] of HOSTILE.entries()) await assertSurvives(analyzer, path, body, `hostile #${index}`);
        // Fixtures of every format cut in half.
        for (const file of corpus) {
          const bytes = readFileSync(file);
          await assertSurvives(analyzer, path, bytes.subarray(0, bytes.length >> 1), relative(FIXTURES, file));
        }
      }
    });
  }
});
