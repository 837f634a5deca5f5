import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type {
  AnalysisResult,
  Analyzer,
  AnalyzerContext,
  CollectedFiles,
  FileInfo,
} from '../../../src/analyzer/types.ts';

export const imageContext: AnalyzerContext = { scanKind: 'image', includeDevDeps: false };

/** Files held in memory under slash-separated relative paths, as a layer hands them to analyzers. */
export function memoryFiles(files: Readonly<Record<string, string | Buffer>>): CollectedFiles {
  const buffers = new Map(Object.entries(files).map(([path, body]) => [path, Buffer.from(body)]));
  return {
    paths: () => [...buffers.keys()],
    read: async (path) => {
      const body = buffers.get(path);
      if (!body) throw new Error(`${path} was not collected`);
      return body;
    },
    info: (path): FileInfo | undefined => {
      const body = buffers.get(path);
      return body ? { size: body.length, mode: 0o644 } : undefined;
    },
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : entry.isFile() ? [join(dir, entry.name)] : [],
  );
}

/** Runs an analyzer the way a rootfs scan does: only the files it asks for under `root`, by relative path. */
export async function analyzeRoot(analyzer: Analyzer, root: string): Promise<AnalysisResult> {
  const picked: Record<string, Buffer> = {};
  for (const file of walk(root)) {
    const path = relative(root, file).split(sep).join('/');
    const stat = statSync(file);
    if (analyzer.maxFileSize !== undefined && stat.size > analyzer.maxFileSize) continue;
    if (analyzer.required(path, { size: stat.size, mode: stat.mode })) picked[path] = readFileSync(file);
  }
  return analyzer.analyze(memoryFiles(picked), imageContext);
}

/** Golden tables name Trivy's Go constants as "$pkg.Name" strings. */
export function goConstant(value: unknown, table: Readonly<Record<string, string>>): string {
  if (typeof value !== 'string' || !value.startsWith('$')) return value as string;
  const name = value.slice(value.indexOf('.') + 1);
  const mapped = table[name];
  if (mapped === undefined) throw new Error(`unmapped Go constant ${value}`);
  return mapped;
}

export interface GoldenTable<Case> {
  func: string;
  cases: Case[];
}

export function goldenTables<Case>(file: string): GoldenTable<Case>[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { tables: GoldenTable<Case>[] }).tables;
}
