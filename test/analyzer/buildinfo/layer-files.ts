import { readFileSync } from 'node:fs';
import type { AnalyzerContext, CollectedFiles, FileInfo } from '../../../src/analyzer/types.ts';

export const imageContext: AnalyzerContext = { scanKind: 'image', includeDevDeps: false };

/** Files held in memory under slash-separated paths, as a layer hands them to analyzers. */
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

/** The cases of one Go test function in a corpus `*.expected.json` file. */
export function goldenCases<Case>(file: string, func: string): Case[] {
  const document = JSON.parse(readFileSync(file, 'utf8')) as { tables: Array<{ func: string; cases: Case[] }> };
  const table = document.tables.find((candidate) => candidate.func === func);
  if (!table) throw new Error(`${file} has no table for ${func}`);
  return table.cases;
}
