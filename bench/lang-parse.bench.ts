// Language lock-file and installed-package parsing: a generated package-lock.json (v3) of 5,000
// packages, and a node_modules tree of 2,000 installed packages (node-pkg analyzer, and the npm
// analyzer reading licences from it). Time and peak RSS per scenario (each in its own process),
// next to a baseline that reads the same bytes in the same run.
//   node_modules/.bin/node bench/lang-parse.bench.ts
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodePkgAnalyzer, npmAnalyzer, parsePackageLock } from '../src/analyzer/lang/nodejs/index.ts';
import type { Analyzer, CollectedFiles } from '../src/analyzer/types.ts';

const DIR = join(tmpdir(), 'vigil-bench-lang-v1');
const PARTIAL = `${DIR}.partial`;
const LOCK_PROJECT = join(DIR, 'lock');
const TREE_PROJECT = join(DIR, 'tree');
const LOCK_PACKAGES = 5000;
const TREE_PACKAGES = 2000;
const ROUNDS = 5;

/** A deterministic pseudo-random sequence, so every run measures the same files. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

const LICENSES = ['MIT', 'ISC', 'Apache-2.0', 'BSD-3-Clause', 'BSD-2-Clause'];

function packageName(i: number): string {
  return i % 10 === 0 ? `@scope${i % 37}/pkg-${i}` : `pkg-${i}`;
}

/** A package-lock.json v3 shaped like npm writes it: root, hoisted and some nested packages. */
function generateLock(project: string): number {
  const rand = random(7);
  const packages: Record<string, unknown> = {};
  const rootDependencies: Record<string, string> = {};
  for (let i = 0; i < 200; i++) rootDependencies[packageName(i)] = `^${i % 9}.0.0`;
  packages[''] = { name: 'bench-app', version: '1.0.0', license: 'MIT', dependencies: rootDependencies };
  for (let i = 0; i < LOCK_PACKAGES; i++) {
    const name = packageName(i);
    // One in ten packages is nested under another, as npm does for version conflicts.
    const path =
      i % 10 === 3 && i > 10 ? `node_modules/${packageName(i - 3)}/node_modules/${name}` : `node_modules/${name}`;
    const dependencies: Record<string, string> = {};
    const count = Math.floor(rand() * 5);
    for (let d = 0; d < count; d++) dependencies[packageName(Math.floor(rand() * LOCK_PACKAGES))] = '^1.0.0';
    packages[path] = {
      version: `${i % 9}.${i % 17}.${i % 5}`,
      resolved: `https://registry.example/${name}/-/${name.replace(/^@[^/]+\//, '')}-1.0.0.tgz`,
      integrity: `sha512-${Buffer.from(`${name}-integrity`).toString('base64').padEnd(86, 'A')}==`,
      ...(i % 4 === 0 ? { dev: true } : {}),
      license: LICENSES[i % LICENSES.length],
      ...(count > 0 ? { dependencies } : {}),
      engines: { node: '>=14' },
    };
  }
  const text = JSON.stringify(
    { name: 'bench-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages },
    null,
    2,
  );
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package-lock.json'), text);
  return text.length;
}

/** node_modules with 2,000 package.json files (a tenth scoped, a tenth nested, some helper manifests). */
function generateTree(project: string): number {
  let bytes = 0;
  const lock: Record<string, unknown> = { '': { name: 'tree-app', version: '1.0.0', dependencies: {} } };
  for (let i = 0; i < TREE_PACKAGES; i++) {
    const name = packageName(i);
    const dir =
      i % 10 === 5 && i > 10
        ? join(project, 'node_modules', packageName(i - 5), 'node_modules', name)
        : join(project, 'node_modules', name);
    mkdirSync(dir, { recursive: true });
    const manifest = JSON.stringify(
      {
        name,
        version: `${i % 9}.${i % 17}.${i % 5}`,
        description: 'A generated package for the language parsing benchmark. '.repeat(4),
        main: 'index.js',
        license: i % 25 === 0 ? 'SEE LICENSE IN LICENSE' : LICENSES[i % LICENSES.length],
        repository: { type: 'git', url: `https://git.example/${name}.git` },
        dependencies: { [packageName((i + 1) % TREE_PACKAGES)]: '^1.0.0' },
        devDependencies: { typescript: '^5.0.0', mocha: '^10.0.0' },
        scripts: { test: 'mocha', build: 'tsc -p .' },
      },
      null,
      2,
    );
    writeFileSync(join(dir, 'package.json'), manifest);
    bytes += manifest.length;
    if (i % 25 === 0) {
      const license = `MIT License\n\nCopyright (c) ${name}\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the "Software"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n`;
      writeFileSync(join(dir, 'LICENSE'), license);
      bytes += license.length;
    }
    lock[dir.slice(project.length + 1)] = { version: `${i % 9}.${i % 17}.${i % 5}` };
  }
  const text = JSON.stringify({ name: 'tree-app', lockfileVersion: 3, packages: lock }, null, 2);
  writeFileSync(join(project, 'package-lock.json'), text);
  return bytes;
}

function generate(): void {
  // Written aside and renamed into place, so an interrupted run never leaves half a tree.
  rmSync(PARTIAL, { recursive: true, force: true });
  const lockBytes = generateLock(join(PARTIAL, 'lock'));
  const treeBytes = generateTree(join(PARTIAL, 'tree'));
  renameSync(PARTIAL, DIR);
  process.stdout.write(
    `generated package-lock.json ${(lockBytes / 2 ** 20).toFixed(1)} MiB (${LOCK_PACKAGES} packages); node_modules ${TREE_PACKAGES} packages, ${(treeBytes / 2 ** 20).toFixed(1)} MiB\n`,
  );
}

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? walk(join(dir, entry.name), `${prefix}${entry.name}/`)
      : entry.isFile()
        ? [`${prefix}${entry.name}`]
        : [],
  );
}

/** The files an analyzer asks for under `root`, read on demand as a directory scan does. */
function collected(analyzer: Analyzer, root: string): CollectedFiles {
  const paths = walk(root).filter((path) => analyzer.required(path, { size: 1, mode: 0o100644 }));
  return {
    paths: () => paths,
    read: async (path) => readFileSync(join(root, path)),
    info: (path) => ({ size: statSync(join(root, path)).size, mode: 0o100644 }),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function timed(run: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

async function readAll(files: CollectedFiles): Promise<number> {
  let total = 0;
  for (const path of files.paths()) total += (await files.read(path)).length;
  return total;
}

async function measure(scenario: string): Promise<void> {
  const startRss = process.memoryUsage().rss / 2 ** 20;
  const out: string[] = [];
  if (scenario === 'lock') {
    const files = collected(npmAnalyzer, LOCK_PROJECT);
    const bytes = await readAll(files);
    const baseline = await timed(() => readAll(files));
    const jsonParse = await timed(async () => JSON.parse((await files.read('package-lock.json')).toString('utf8')));
    let packages = 0;
    const parse = await timed(async () => {
      packages = parsePackageLock((await files.read('package-lock.json')).toString('utf8')).packages.length;
    });
    const analyze = await timed(() => npmAnalyzer.analyze(files, { scanKind: 'fs', includeDevDeps: true }));
    out.push(
      `package-lock.json: ${(bytes / 2 ** 20).toFixed(1)} MiB, ${packages} packages`,
      `  npm analyzer (parse, graph, PURLs):  ${analyze.toFixed(0)} ms`,
      `  parser alone (with line locations):  ${parse.toFixed(0)} ms`,
      `  reference, JSON.parse of the file:   ${jsonParse.toFixed(0)} ms`,
      `  baseline, read the same bytes:       ${baseline.toFixed(1)} ms`,
    );
  } else {
    const installed = collected(nodePkgAnalyzer, TREE_PROJECT);
    const withLicenses = collected(npmAnalyzer, TREE_PROJECT);
    const bytes = await readAll(installed);
    const baseline = await timed(() => readAll(installed));
    let apps = 0;
    const nodePkg = await timed(async () => {
      apps = (await nodePkgAnalyzer.analyze(installed, { scanKind: 'rootfs', includeDevDeps: false })).Applications
        ?.length as number;
    });
    const npm = await timed(() => npmAnalyzer.analyze(withLicenses, { scanKind: 'fs', includeDevDeps: true }));
    const licenseBytes = await readAll(withLicenses);
    const licenseBaseline = await timed(() => readAll(withLicenses));
    out.push(
      `node_modules: ${installed.paths().length} package.json files, ${(bytes / 2 ** 20).toFixed(1)} MiB; ${apps} installed packages`,
      `  node-pkg analyzer (rootfs/image):    ${nodePkg.toFixed(0)} ms`,
      `  baseline, read the same bytes:       ${baseline.toFixed(0)} ms`,
      `  npm analyzer + node_modules licences: ${npm.toFixed(0)} ms  (${withLicenses.paths().length} files, ${(licenseBytes / 2 ** 20).toFixed(1)} MiB)`,
      `  baseline, read the same bytes:       ${licenseBaseline.toFixed(0)} ms`,
    );
  }
  const rss = process.resourceUsage().maxRSS / 1024;
  out.push(`  peak RSS: ${rss.toFixed(0)} MiB (includes ${startRss.toFixed(0)} MiB for Node and the loaded modules)`);
  process.stdout.write(`${out.join('\n')}\n`);
}

const self = fileURLToPath(import.meta.url);
if (process.argv[2] === '--generate') {
  generate();
} else if (process.argv[2] === '--measure') {
  await measure(process.argv[3] ?? 'lock');
} else {
  if (!existsSync(DIR)) {
    // Generated in a child process so its memory does not count in any measured peak RSS.
    if (spawnSync(process.execPath, [self, '--generate'], { stdio: 'inherit' }).status !== 0) process.exit(1);
  }
  for (const scenario of ['lock', 'node_modules']) {
    // One process per scenario, so each peak RSS is its own.
    if (spawnSync(process.execPath, [self, '--measure', scenario], { stdio: 'inherit' }).status !== 0) process.exit(1);
  }
}
