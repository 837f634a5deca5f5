import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { VigilError } from '../../errors/index.ts';
import { type BoltTree, writeBoltTree } from '../bolt/index.ts';
import { dbMetadata, writeDbArchive } from './artifact.ts';
import { finalizeTrivyLayout } from './finalize.ts';
import { loadBoltFixtures } from './fixtures.ts';
import { loadOsvDirectories } from './osv.ts';

export interface BuildTrivyDbOptions {
  /** bolt-fixtures YAML files, or directories whose *.yaml / *.yml files are loaded in name order. */
  readonly fixtures?: readonly string[];
  /** Directories of OSV JSON advisories (searched recursively). */
  readonly osv?: readonly string[];
  /** The db.tar.gz to write. */
  readonly output: string;
  readonly updatedAt: Date;
  /** Milliseconds after `updatedAt` when clients should look for a newer DB. */
  readonly nextUpdateMs: number;
  /** Keep a copy of the bare trivy.db here too (optional). */
  readonly dbOutput?: string;
}

export interface BuildSummary {
  readonly buckets: number;
  readonly fixtureFiles: number;
  readonly osvFiles: number;
  readonly dbBytes: number;
}

/** Expands directories into their YAML files, sorted by name. */
export function fixtureFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new VigilError('FIXTURE_MISSING', `no such fixture file or directory: ${path}`);
    }
    if (!isDir) return [path];
    return readdirSync(path)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join(path, name));
  });
}

/** Loads fixtures and OSV advisories into the shipped trivy-db layout, in memory. */
export function buildTrivyTree(options: Pick<BuildTrivyDbOptions, 'fixtures' | 'osv' | 'updatedAt'>): {
  tree: BoltTree;
  fixtureFiles: number;
  osvFiles: number;
} {
  const tree: BoltTree = new Map();
  const files = fixtureFiles(options.fixtures ?? []);
  loadBoltFixtures(files, tree);
  const osvFiles = loadOsvDirectories(options.osv ?? [], tree, { now: options.updatedAt });
  finalizeTrivyLayout(tree);
  return { tree, fixtureFiles: files.length, osvFiles };
}

/** `vigil db build`: fixtures and OSV advisories → trivy.db → db.tar.gz with metadata.json. */
export async function buildTrivyDb(options: BuildTrivyDbOptions): Promise<BuildSummary> {
  if ((options.fixtures ?? []).length === 0 && (options.osv ?? []).length === 0) {
    throw new VigilError('USAGE', 'nothing to build from', {
      hint: 'give --from-fixtures FILE|DIR and/or --from-osv DIR',
      exitCode: 2,
    });
  }
  const { tree, fixtureFiles: fixtureCount, osvFiles } = buildTrivyTree(options);
  const work = mkdtempSync(join(options.dbOutput ? dirname(options.dbOutput) : tmpdir(), 'vigil-db-build-'));
  try {
    const dbFile = options.dbOutput ?? join(work, 'trivy.db');
    writeBoltTree(dbFile, tree);
    const nextUpdate = new Date(options.updatedAt.getTime() + options.nextUpdateMs);
    await writeDbArchive(dbFile, dbMetadata(options.updatedAt, nextUpdate), options.output, options.updatedAt);
    return { buckets: tree.size, fixtureFiles: fixtureCount, osvFiles, dbBytes: statSync(dbFile).size };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
