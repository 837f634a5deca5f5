import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Dependency } from '../../../src/analyzer/lang/application.ts';
import type {
  AnalysisResult,
  Analyzer,
  AnalyzerContext,
  CollectedFiles,
  FileInfo,
  Package,
} from '../../../src/analyzer/types.ts';

/**
 * Golden cases from Trivy's Go test tables (converted to JSON, see SOURCES.md) and the helpers
 * to compare Vigil's packages with them. Trivy's Go constants arrive as `"$pkg.Name"` strings.
 */
export const FIXTURES = fileURLToPath(new URL('../../fixtures/analyzer-lang/', import.meta.url));

/** `fixture('nodejs', 'pkg/dependency/parser/nodejs/npm/testdata/x.json')`: an upstream file copied here. */
export function fixture(ecosystem: string, upstreamPath: string): string {
  return join(FIXTURES, ecosystem, upstreamPath);
}

export function readFixture(ecosystem: string, upstreamPath: string): string {
  return readFileSync(fixture(ecosystem, upstreamPath), 'utf8');
}

// biome-ignore lint/suspicious/noExplicitAny: golden cases are free-form JSON from Go tables.
export type GoldenCase = Record<string, any>;

/** The cases of the table in `func` of the expected file converted from `<test>.go`. */
export function goldenCases(ecosystem: string, expectedPath: string, func: string): GoldenCase[] {
  const file = join(FIXTURES, ecosystem, 'expected', expectedPath);
  const tables = (JSON.parse(readFileSync(file, 'utf8')) as { tables: { func: string; cases: GoldenCase[] }[] }).tables;
  const table = tables.find((candidate) => candidate.func === func);
  if (!table) throw new Error(`no table ${func} in ${expectedPath}`);
  return table.cases;
}

const RELATIONSHIPS: Readonly<Record<string, string>> = {
  RelationshipRoot: 'root',
  RelationshipWorkspace: 'workspace',
  RelationshipDirect: 'direct',
  RelationshipIndirect: 'indirect',
  RelationshipUnknown: 'unknown',
};

const LANG_TYPES: Readonly<Record<string, string>> = {
  Bun: 'bun',
  Bundler: 'bundler',
  Cargo: 'cargo',
  Cocoapods: 'cocoapods',
  Composer: 'composer',
  ComposerVendor: 'composer-vendor',
  Conan: 'conan',
  CondaEnv: 'conda-environment',
  CondaPkg: 'conda-pkg',
  DotNetCore: 'dotnet-core',
  GemSpec: 'gemspec',
  Hex: 'hex',
  Julia: 'julia',
  NodePkg: 'node-pkg',
  Npm: 'npm',
  NuGet: 'nuget',
  PackagesProps: 'packages-props',
  Pip: 'pip',
  Pipenv: 'pipenv',
  Pnpm: 'pnpm',
  Poetry: 'poetry',
  Pub: 'pub',
  PyLock: 'pylock',
  PythonPkg: 'python-pkg',
  Swift: 'swift',
  Uv: 'uv',
  Yarn: 'yarn',
};

/** Maps `"$types.Npm"` and friends to their string values. */
export function goConstant(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('$')) return value as string;
  const name = value.slice(value.indexOf('.') + 1);
  const mapped = RELATIONSHIPS[name] ?? LANG_TYPES[name];
  if (mapped === undefined) throw new Error(`unmapped Go constant ${value}`);
  return mapped;
}

/**
 * A package reduced to what both sides model, zero values dropped as Go's omitempty does.
 * Trivy's ExternalReferences are not part of Vigil's package model; PURLs are set by Vigil's
 * analyzers but by Trivy only later (applier), so they are checked separately.
 */
export function comparable(pkg: GoldenCase | Package): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(pkg)) {
    if (key === 'ExternalReferences' || key === 'Identifier') continue;
    let value: unknown = raw;
    if (key === 'Relationship') value = goConstant(raw);
    if (value === undefined || value === null || value === false || value === '' || value === 0) continue;
    if (key === 'Relationship' && value === 'unknown') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (key === 'DependsOn') value = [...(value as string[])].sort();
    out[key] = value;
  }
  return out;
}

const sortKey = (pkg: Record<string, unknown>) => `${pkg.ID ?? ''}\u0000${pkg.Name}\u0000${pkg.FilePath ?? ''}`;

/** Packages as a sorted list of comparable objects (Trivy's own tests sort before comparing). */
export function comparablePackages(packages: readonly (GoldenCase | Package)[] | null | undefined) {
  return (packages ?? []).map(comparable).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
}

export function comparableDependencies(dependencies: readonly Dependency[] | null | undefined) {
  // The Go-table converter writes an empty slice literal as `{}`.
  return (Array.isArray(dependencies) ? dependencies : [])
    .map((dependency) => ({ ID: dependency.ID, DependsOn: [...dependency.DependsOn].sort() }))
    .sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0));
}

/** Applications in a comparable form, each by file path. */
export function comparableApplications(applications: readonly GoldenCase[] | null | undefined) {
  return (applications ?? [])
    .map((app) => ({ Type: goConstant(app.Type), FilePath: app.FilePath, Packages: comparablePackages(app.Packages) }))
    .sort((a, b) => (a.FilePath < b.FilePath ? -1 : a.FilePath > b.FilePath ? 1 : 0));
}

export function assertSameApplications(got: AnalysisResult, want: GoldenCase | null | undefined, message?: string) {
  assert.deepEqual(
    comparableApplications((got.Applications ?? []) as unknown as GoldenCase[]),
    comparableApplications(want?.Applications),
    message,
  );
}

export const fsContext: AnalyzerContext = { scanKind: 'fs', includeDevDeps: true };
export const imageContext: AnalyzerContext = { scanKind: 'image', includeDevDeps: true };

/** Files held in memory under slash-separated relative paths, as a layer hands them over. */
export function memoryFiles(files: ReadonlyMap<string, Buffer>): CollectedFiles {
  return {
    paths: () => [...files.keys()],
    read: async (path) => {
      const body = files.get(path);
      if (!body) throw new Error(`${path} was not collected`);
      return body;
    },
    info: (path): FileInfo | undefined => {
      const body = files.get(path);
      return body ? { size: body.length, mode: 0o644 } : undefined;
    },
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : [],
  );
}

/** The files under `root` that the analyzer asks for, by path relative to `root` (prefixed). */
export function collectFiles(analyzer: Analyzer, root: string, prefix = ''): Map<string, Buffer> {
  const picked = new Map<string, Buffer>();
  for (const file of walk(root)) {
    const path = prefix + relative(root, file).split(sep).join('/');
    const stat = statSync(file);
    if (analyzer.maxFileSize !== undefined && stat.size > analyzer.maxFileSize) continue;
    if (analyzer.required(path, { size: stat.size, mode: stat.mode })) picked.set(path, readFileSync(file));
  }
  return picked;
}

/** Runs an analyzer as a directory scan does: the files it asks for under `root`. */
export async function analyzeDirectory(
  analyzer: Analyzer,
  root: string,
  context: AnalyzerContext = fsContext,
  prefix = '',
): Promise<AnalysisResult> {
  return analyzer.analyze(memoryFiles(collectFiles(analyzer, root, prefix)), context);
}

/**
 * Runs `check` for every golden case except the listed exceptions (case name → why Vigil
 * differs); an exception that names no case fails, so the list cannot go stale.
 */
export async function eachGolden(
  t: TestContext,
  cases: readonly GoldenCase[],
  exceptions: Readonly<Record<string, string>>,
  check: (c: GoldenCase) => unknown,
): Promise<void> {
  const names = new Set(cases.map((c) => c.name as string));
  for (const name of Object.keys(exceptions)) assert.ok(names.has(name), `exception for unknown case ${name}`);
  for (const c of cases) {
    if (Object.hasOwn(exceptions, c.name)) continue;
    await t.test(String(c.name ?? c.file ?? c.dir), async () => {
      await check(c);
    });
  }
}

/** The files of a txtar archive (golang.org/x/tools/txtar): each `-- name --` line starts a file. */
export function parseTxtar(text: string): Map<string, Buffer> {
  const files = new Map<string, string>();
  let current: string | undefined;
  for (const line of text.split(/(?<=\n)/)) {
    const marker = /^-- (.+) --\r?\n?$/.exec(line);
    if (marker) {
      current = marker[1] ?? '';
      files.set(current, '');
    } else if (current !== undefined) {
      files.set(current, (files.get(current) ?? '') + line);
    }
  }
  return new Map([...files].map(([path, body]) => [path, Buffer.from(body)]));
}
