import type { Repository } from '../../analyzer/types.ts';
import type { Logger } from '../../log/index.ts';
import type { AdvisoryStore, StoredAdvisory } from '../advisory-store.ts';
import type { RawFinding } from '../finding.ts';
import type { DetectablePackage } from '../types.ts';

export interface OsDetectContext {
  readonly store: AdvisoryStore;
  readonly logger: Logger;
  readonly now: Date;
}

/** One OS family's detector (Trivy's ospkg Driver). */
export interface OsDriver {
  /** Trivy's IsSupportedVersion: false once the release is past its end of service life. */
  isSupported(family: string, osVersion: string, now: Date, logger: Logger): boolean;
  detect(
    osVersion: string,
    repository: Repository | undefined,
    packages: readonly DetectablePackage[],
    context: OsDetectContext,
  ): RawFinding[];
  /** Keep packages from third-party repositories (a feed that covers them, like Echo's). */
  readonly keepsThirdPartyPackages?: boolean;
}

/**
 * Advisories that keep a fixed version per architecture (Oracle, Rocky, Alma `Entries`) flattened
 * for one package architecture, as trivy-db's Get does; older values without entries stand as they are.
 */
export function advisoriesForArch(advisories: readonly StoredAdvisory[], arch: string | undefined): StoredAdvisory[] {
  const out: StoredAdvisory[] = [];
  for (const advisory of advisories) {
    const { Entries: entries, ...rest } = advisory;
    if (entries === undefined || entries.length === 0) {
      out.push(rest);
      continue;
    }
    for (const entry of entries) {
      if (!(entry.Arches ?? []).includes(arch ?? '')) continue;
      const flattened: StoredAdvisory = { ...rest };
      if (entry.FixedVersion) flattened.FixedVersion = entry.FixedVersion;
      else delete flattened.FixedVersion;
      out.push(flattened);
    }
  }
  return out;
}

/** Red Hat module streams prefix binary names: `npm` + `nodejs:12:8030…:229f0a1c` → `nodejs:12::npm`. */
export function modularPackageName(name: string, modularityLabel: string | undefined): string {
  if (!modularityLabel) return name;
  let colons = 0;
  for (let i = 0; i < modularityLabel.length; i++) {
    if (modularityLabel[i] === ':' && ++colons === 2) return `${modularityLabel.slice(0, i)}::${name}`;
  }
  return name;
}

/** Stable order for a driver's findings: by vulnerability ID, as Trivy's detector tests sort them. */
export function byVulnerabilityId(a: RawFinding, b: RawFinding): number {
  return a.VulnerabilityID < b.VulnerabilityID ? -1 : a.VulnerabilityID > b.VulnerabilityID ? 1 : 0;
}
