import { flattenRedHatAdvisories } from './redhat.ts';
import { type AdvisoryHit, RED_HAT_BUCKET, type TrivyDb } from './trivy-db.ts';
import { LANGUAGE_ECOSYSTEMS, normalizePackageName, type Vulnerability } from './types.ts';

/** What `vigil db search ID` shows: the vulnerability record and every advisory for the ID. */
export interface IdSearchResult {
  readonly id: string;
  readonly vulnerability: Vulnerability | undefined;
  readonly advisories: AdvisoryHit[];
}

export function searchById(db: TrivyDb, id: string): IdSearchResult {
  return { id, vulnerability: db.vulnerability(id), advisories: db.findAdvisories(id) };
}

/** What `vigil db search ECOSYSTEM PACKAGE` shows. */
export interface PackageSearchResult {
  readonly ecosystem: string;
  /** The name as the DB stores it (normalized for language ecosystems). */
  readonly packageName: string;
  /** The buckets searched. */
  readonly buckets: string[];
  readonly advisories: AdvisoryHit[];
}

/**
 * Advisories for a package. A language ecosystem (`npm`, `pip`, …) searches every
 * `<ecosystem>::` bucket with trivy-db's rule (a later bucket replaces an earlier one's advisory
 * for the same ID); anything else names OS buckets: an exact bucket (`debian 12`, `Red Hat`) or
 * every bucket that starts with the word (`debian` → `debian 11`, `debian 12`), case-insensitively.
 */
export function searchPackage(db: TrivyDb, ecosystem: string, name: string): PackageSearchResult {
  const eco = ecosystem.toLowerCase();
  if ((LANGUAGE_ECOSYSTEMS as readonly string[]).includes(eco)) {
    const packageName = normalizePackageName(eco, name);
    const prefix = `${eco}::`;
    const hits = [...db.forEachAdvisory(prefix, packageName).values()]
      .map((hit) => ({ bucket: hit.bucket, packageName, advisory: hit.advisory }))
      .sort(byId);
    const buckets = db.bucketNames().filter((bucket) => bucket.startsWith(prefix));
    return { ecosystem: eco, packageName, buckets, advisories: hits };
  }
  const buckets = db
    .bucketNames()
    .filter((bucket) => bucket.toLowerCase() === eco || bucket.toLowerCase().startsWith(`${eco} `))
    .filter((bucket) => !bucket.includes('::') && bucket !== 'Red Hat CPE');
  const advisories: AdvisoryHit[] = [];
  for (const bucket of buckets) {
    if (bucket === RED_HAT_BUCKET) {
      const flattened = flattenRedHatAdvisories(db.redHatEntries(name), undefined, db.dataSource(bucket));
      for (const advisory of flattened) advisories.push({ bucket, packageName: name, advisory });
      continue;
    }
    for (const advisory of db.advisories(bucket, name)) advisories.push({ bucket, packageName: name, advisory });
  }
  return { ecosystem, packageName: name, buckets, advisories: advisories.sort(byId) };
}

function byId(a: AdvisoryHit, b: AdvisoryHit): number {
  const x = `${a.advisory.VulnerabilityID}\0${a.bucket}`;
  const y = `${b.advisory.VulnerabilityID}\0${b.bucket}`;
  return x < y ? -1 : x > y ? 1 : 0;
}
