import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DetectedVulnerability, Report } from '../../src/report/index.ts';
import { runVigil, type VigilRun } from '../helpers/run-vigil.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { INTEGRATION_DB_FIXTURES, seedVulnDb } from '../helpers/vuln-db.ts';
import { FIXTURES } from './os-files.ts';

/**
 * Fills a fresh cache directory with a DB built from Trivy's integration fixtures plus
 * test/fixtures/os-images/advisories.yaml. (Create the directory with tempDir outside hooks, so
 * it lives as long as the test file.)
 */
export async function seededCache(cache: string): Promise<string> {
  await seedVulnDb(cache, [INTEGRATION_DB_FIXTURES, join(FIXTURES, 'advisories.yaml')]);
  return cache;
}

export interface ScanOutcome extends VigilRun {
  report: Report | undefined;
}

const emptyHome = tempDir('vigil-e2e-os-home-');

/** Runs `vigil ARGS` with an empty HOME; the JSON report is parsed when stdout holds one. */
export async function vigil(args: readonly string[], env: Record<string, string> = {}): Promise<ScanOutcome> {
  const run = await runVigil(args, { env: { HOME: emptyHome, ...env } });
  const report = run.stdout.startsWith('{') ? (JSON.parse(run.stdout) as Report) : undefined;
  return { ...run, report };
}

/** One finding in one line: what a reader checks first (ID, package, versions, status, severity and its sources). */
export function findingLine(v: DetectedVulnerability): string {
  const vendorIds = v.VendorIDs?.length ? ` ${v.VendorIDs.join(',')}` : '';
  return (
    `${v.VulnerabilityID} ${v.PkgName}@${v.InstalledVersion} fixed:${v.FixedVersion || '-'} ${v.Status} ` +
    `${v.Severity}/${v.SeveritySource || '-'} ds:${v.DataSource?.ID ?? '-'}${vendorIds}`
  );
}

export const osFindings = (report: Report | undefined): DetectedVulnerability[] =>
  report?.Results.find((result) => result.Class === 'os-pkgs')?.Vulnerabilities ?? [];

interface Descriptor {
  mediaType: string;
  digest: string;
}

/** The layer media types, compressed digests and diff IDs of an OCI layout's only image, in layer order. */
export function layoutLayers(layout: string): { mediaTypes: string[]; digests: string[]; diffIds: string[] } {
  const blob = (digest: string) =>
    JSON.parse(readFileSync(join(layout, 'blobs', ...digest.split(':')), 'utf8')) as Record<string, unknown>;
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  const manifest = blob((index.manifests[0] as Descriptor).digest) as { config: Descriptor; layers: Descriptor[] };
  const config = blob(manifest.config.digest) as { rootfs: { diff_ids: string[] } };
  return {
    mediaTypes: manifest.layers.map((layer) => layer.mediaType),
    digests: manifest.layers.map((layer) => layer.digest),
    diffIds: config.rootfs.diff_ids,
  };
}
