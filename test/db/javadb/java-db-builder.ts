import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';

/** The real 20 KB trivy-java.db from Trivy's jar analyzer tests (one artifact). */
export const REAL_JAVA_DB = fileURLToPath(
  new URL(
    '../../fixtures/analyzer-lang/java/pkg/fanal/analyzer/language/java/jar/testdata/java-db/trivy-java.db',
    import.meta.url,
  ),
);

export interface IndexRow {
  groupId: string;
  artifactId: string;
  version: string;
  sha1: string;
  archiveType?: string;
}

/**
 * A Java DB written as trivy-java-db's builder writes it (pkg/db/db.go): the same tables and
 * indexes, `INSERT OR IGNORE` artifacts, indices keyed by the raw 20-byte SHA-1.
 */
export function buildJavaDb(path: string, rows: readonly IndexRow[]): string {
  const db = new DatabaseSync(path);
  db.exec(`CREATE TABLE artifacts(id INTEGER PRIMARY KEY, group_id TEXT, artifact_id TEXT);
    CREATE TABLE indices(artifact_id INTEGER, version TEXT, sha1 BLOB, archive_type TEXT,
      foreign key (artifact_id) references artifacts(id));
    CREATE UNIQUE INDEX artifacts_idx ON artifacts(artifact_id, group_id);
    CREATE INDEX indices_artifact_idx ON indices(artifact_id);
    CREATE UNIQUE INDEX indices_sha1_idx ON indices(sha1);`);
  const artifact = db.prepare('INSERT OR IGNORE INTO artifacts(group_id, artifact_id) VALUES (?, ?)');
  const index = db.prepare(`INSERT INTO indices(artifact_id, version, sha1, archive_type)
    VALUES ((SELECT id FROM artifacts WHERE group_id=? AND artifact_id=?), ?, ?, ?) ON CONFLICT(sha1) DO NOTHING`);
  for (const row of rows) {
    artifact.run(row.groupId, row.artifactId);
    index.run(row.groupId, row.artifactId, row.version, Buffer.from(row.sha1, 'hex'), row.archiveType ?? 'jar');
  }
  db.close();
  return path;
}
