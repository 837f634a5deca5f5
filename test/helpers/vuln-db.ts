import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTrivyDb } from '../../src/db/build/index.ts';

/** Trivy's integration DB fixtures (bolt-fixtures YAML), copied into test/fixtures/db/integration. */
export const INTEGRATION_DB_FIXTURES = fileURLToPath(new URL('../fixtures/db/integration', import.meta.url));

/**
 * Fills `<cacheDir>/db/` the way a pull would, from bolt-fixtures YAML, through our own builder
 * and the real archive (so the cache holds exactly what `vigil db build` publishes).
 */
export async function seedVulnDb(
  cacheDir: string,
  fixtures: readonly string[] = [INTEGRATION_DB_FIXTURES],
  updatedAt = new Date(),
): Promise<void> {
  const archive = join(cacheDir, 'seed-db.tar.gz');
  mkdirSync(join(cacheDir, 'db'), { recursive: true });
  await buildTrivyDb({ fixtures, output: archive, updatedAt, nextUpdateMs: 24 * 3_600_000 });
  execFileSync('tar', ['-xzf', archive, '-C', join(cacheDir, 'db')]);
}
