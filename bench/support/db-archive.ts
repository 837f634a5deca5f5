import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A trivy-db-shaped db.tar.gz padded to `sizeMiB`, built once in `dir` and reused by later runs
 * (the benchmarks that move a large DB artifact share this). Returns its path.
 */
export async function ensureBenchDbArchive(dir: string, sizeMiB: number): Promise<string> {
  const archive = join(dir, 'db.tar.gz');
  if (existsSync(archive)) return archive;
  const { makeDbArchive } = await import('../../test/helpers/registry-db-artifact.ts');
  mkdirSync(dir, { recursive: true });
  process.stdout.write(`generating a ${sizeMiB} MiB artifact in ${dir} (once)\n`);
  const now = Date.now();
  const built = await makeDbArchive(join(dir, 'build'), {
    updatedAt: new Date(now),
    nextUpdate: new Date(now + 86_400_000),
    padMiB: sizeMiB,
  });
  renameSync(built, archive);
  rmSync(join(dir, 'build'), { recursive: true, force: true });
  return archive;
}
