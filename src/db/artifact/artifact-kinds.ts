import { join } from 'node:path';
import type { CacheLayout } from '../../cache/layout.ts';
// The artifact types' own file, not db/build's index: that one loads the DB builder with its YAML,
// version-range and CVSS libraries (~200 modules, ~12 MB) that a pull or a status never uses.
import { DB_ARTIFACT_TYPES, type DbArtifactKind } from '../build/artifact-manifest.ts';

/**
 * The three artifacts Vigil downloads, with Trivy's names, media types, cache paths and update
 * rules (trivy-compat §2–§4). Everything that differs between them is data here.
 */
export interface ArtifactSpec {
  readonly kind: DbArtifactKind;
  /** For messages: `vulnerability DB`, `Java DB`, `checks bundle`. */
  readonly label: string;
  readonly layerMediaType: string;
  /** Schema (DBs) or bundle major version this Vigil reads. */
  readonly schemaVersion: number;
  /** Tag appended to a tagless repository value. */
  readonly taglessTag: string;
  readonly defaultRepositories: readonly string[];
  /** The repository's last path component, as Trivy publishes it; the name `vigil mirror` and bundles use. */
  readonly repositoryName: string;
  /** A download newer than this counts as fresh whatever NextUpdate says. */
  readonly freshForMs: number;
  /** The flag that skips the update, for messages. */
  readonly skipFlag: string;
  /** The command that downloads it. */
  readonly pullCommand: string;
  /** The repository option, for messages. */
  readonly repositoryFlag: string;
  /** Files the layer's archive must hold; `undefined` for the checks bundle, which is a tree. */
  readonly files: { readonly data: string; readonly metadata: string } | undefined;
  readonly dataFormat: 'bbolt' | 'sqlite' | 'tree';
}

const HOUR = 3_600_000;

export const ARTIFACT_SPECS: Readonly<Record<DbArtifactKind, ArtifactSpec>> = {
  db: {
    kind: 'db',
    label: 'vulnerability DB',
    layerMediaType: DB_ARTIFACT_TYPES.db.layerMediaType,
    schemaVersion: 2,
    taglessTag: '2',
    defaultRepositories: ['mirror.gcr.io/aquasec/trivy-db:2', 'ghcr.io/aquasecurity/trivy-db:2'],
    repositoryName: 'trivy-db',
    freshForMs: HOUR,
    skipFlag: '--skip-db-update',
    pullCommand: 'vigil db pull',
    repositoryFlag: '--db-repository',
    files: { data: 'trivy.db', metadata: 'metadata.json' },
    dataFormat: 'bbolt',
  },
  'java-db': {
    kind: 'java-db',
    label: 'Java DB',
    layerMediaType: DB_ARTIFACT_TYPES['java-db'].layerMediaType,
    schemaVersion: 1,
    taglessTag: '1',
    defaultRepositories: ['mirror.gcr.io/aquasec/trivy-java-db:1', 'ghcr.io/aquasecurity/trivy-java-db:1'],
    repositoryName: 'trivy-java-db',
    freshForMs: 24 * HOUR,
    skipFlag: '--skip-java-db-update',
    pullCommand: 'vigil db pull --java',
    repositoryFlag: '--java-db-repository',
    files: { data: 'trivy-java.db', metadata: 'metadata.json' },
    dataFormat: 'sqlite',
  },
  checks: {
    kind: 'checks',
    label: 'checks bundle',
    layerMediaType: DB_ARTIFACT_TYPES.checks.layerMediaType,
    schemaVersion: 2,
    // Trivy gives a tagless checks repository no schema tag: it resolves to latest.
    taglessTag: 'latest',
    defaultRepositories: ['mirror.gcr.io/aquasec/trivy-checks:2'],
    repositoryName: 'trivy-checks',
    freshForMs: 24 * HOUR,
    skipFlag: '--skip-check-update',
    pullCommand: 'vigil db pull --checks',
    repositoryFlag: '--checks-bundle-repository',
    files: undefined,
    dataFormat: 'tree',
  },
};

/** Where an artifact lives in the cache. */
export interface ArtifactPaths {
  readonly dir: string;
  /** trivy.db, trivy-java.db, or the checks' content/ directory. */
  readonly data: string;
  readonly metadata: string;
  /** Vigil's own record of where the artifact came from (repository and manifest digest). */
  readonly source: string;
}

export const SOURCE_FILE_NAME = 'vigil-source.json';

export function artifactPaths(layout: CacheLayout, kind: DbArtifactKind): ArtifactPaths {
  switch (kind) {
    case 'db':
      return {
        dir: layout.vulnDbDir,
        data: layout.vulnDbFile,
        metadata: layout.vulnDbMetadata,
        source: join(layout.vulnDbDir, SOURCE_FILE_NAME),
      };
    case 'java-db':
      return {
        dir: layout.javaDbDir,
        data: layout.javaDbFile,
        metadata: layout.javaDbMetadata,
        source: join(layout.javaDbDir, SOURCE_FILE_NAME),
      };
    case 'checks':
      return {
        dir: layout.checksDir,
        data: layout.checksContent,
        metadata: layout.checksMetadata,
        source: join(layout.checksDir, SOURCE_FILE_NAME),
      };
  }
}
