import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { describeError, VigilError } from '../../errors/index.ts';

/**
 * Read access to Trivy's Java DB (`trivy-java.db`, SQLite): Maven artifacts indexed by the
 * SHA-1 of their jar, as trivy-java-db builds it. Opened read-only, so any number of scans
 * can share one file while the DB lifecycle replaces it by rename.
 */
export interface MavenCoordinates {
  groupId: string;
  artifactId: string;
  version: string;
}

export interface JavaDb {
  /** The artifact whose jar has this SHA-1 (40 hex digits), if the DB knows it. */
  searchBySha1(sha1Hex: string): MavenCoordinates | undefined;
  /** Whether the DB lists any version of `groupId:artifactId`. */
  exists(groupId: string, artifactId: string): boolean;
  /**
   * The group ID for a jar known only by file name (`artifactId-version.jar`): among the
   * artifacts called `artifactId` that have `version` as a jar, the one with the most indexed
   * versions (ties broken by name, where Trivy leaves it to Go's map order).
   */
  searchByArtifactId(artifactId: string, version: string): string | undefined;
  close(): void;
}

const REQUIRED_TABLES = ['artifacts', 'indices'];

function javaDbError(path: string, detail: string): VigilError {
  return new VigilError('JAVA_DB_CORRUPT', `the Java DB ${path} is unreadable: ${detail}`, {
    hint: 'remove the java-db directory from the cache and download the Java DB again (vigil db pull --java)',
  });
}

export function openJavaDb(path: string): JavaDb {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((row) => String(row.name));
    const missing = REQUIRED_TABLES.filter((table) => !tables.includes(table));
    if (missing.length > 0) {
      db.close();
      throw javaDbError(path, `missing table ${missing.join(', ')}`);
    }
  } catch (error) {
    if (error instanceof VigilError) throw error;
    throw javaDbError(path, describeError(error));
  }

  let bySha1: StatementSync | undefined;
  let byCoordinates: StatementSync | undefined;
  let byArtifactId: StatementSync | undefined;
  const run = <T>(what: string, query: () => T): T => {
    try {
      return query();
    } catch (error) {
      throw javaDbError(path, `${what}: ${describeError(error)}`);
    }
  };

  return {
    searchBySha1(sha1Hex) {
      if (!/^[0-9a-fA-F]{40}$/.test(sha1Hex)) throw new VigilError('JAVA_DB_QUERY', `not a SHA-1 digest: ${sha1Hex}`);
      return run('SHA-1 lookup', () => {
        bySha1 ??= db.prepare(
          `SELECT a.group_id, a.artifact_id, i.version FROM indices i
           JOIN artifacts a ON a.id = i.artifact_id WHERE i.sha1 = ?`,
        );
        const row = bySha1.get(Buffer.from(sha1Hex, 'hex'));
        if (!row || typeof row.artifact_id !== 'string' || row.artifact_id === '') return undefined;
        return { groupId: String(row.group_id), artifactId: row.artifact_id, version: String(row.version) };
      });
    },
    exists(groupId, artifactId) {
      return run('artifact lookup', () => {
        byCoordinates ??= db.prepare(
          `SELECT a.artifact_id FROM indices i JOIN artifacts a ON a.id = i.artifact_id
           WHERE a.group_id = ? AND a.artifact_id = ? LIMIT 1`,
        );
        const row = byCoordinates.get(groupId, artifactId);
        return row !== undefined && typeof row.artifact_id === 'string' && row.artifact_id !== '';
      });
    },
    searchByArtifactId(artifactId, version) {
      return run('artifact ID lookup', () => {
        byArtifactId ??= db.prepare(
          `SELECT f.group_id AS group_id, COUNT(*) AS versions FROM indices i
           JOIN (SELECT a.id, a.group_id FROM indices i
                 JOIN artifacts a ON a.id = i.artifact_id
                 WHERE a.artifact_id = ? AND i.version = ? AND i.archive_type = 'jar') f ON f.id = i.artifact_id
           GROUP BY f.group_id ORDER BY versions DESC, f.group_id ASC LIMIT 1`,
        );
        const row = byArtifactId.get(artifactId, version);
        return row && typeof row.group_id === 'string' ? row.group_id : undefined;
      });
    },
    close() {
      db.close();
    },
  };
}
