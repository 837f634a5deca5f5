import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { BoltWriter } from '../../src/db/bolt/index.ts';
import { type DbArtifactKind, goTimeText, planArtifactPush } from '../../src/db/build/index.ts';
import type { Reference, RegistryClient } from '../../src/oci/registry/index.ts';

export interface ArchiveMember {
  readonly name: string;
  /** Bytes, or a file to stream. */
  readonly content?: string | Buffer;
  readonly file?: string;
  readonly type?: 'file' | 'symlink' | 'directory';
}

/** Writes a `.tar.gz` of the given members (any names, even hostile ones, for refusal tests). */
export async function writeTarGz(output: string, members: readonly ArchiveMember[]): Promise<string> {
  const archive = pack();
  const done = pipeline(archive, createGzip({ level: 1 }), createWriteStream(output));
  const mtime = new Date('2026-01-01T00:00:00Z');
  for (const member of members) {
    if (member.type === 'symlink') {
      archive.entry({ name: member.name, type: 'symlink', linkname: '/etc/passwd', mtime });
    } else if (member.type === 'directory') {
      archive.entry({ name: member.name, type: 'directory', mtime });
    } else if (member.file) {
      const size = statSync(member.file).size;
      await pipeline(createReadStream(member.file), archive.entry({ name: member.name, size, mtime }));
    } else {
      archive.entry({ name: member.name, mtime }, member.content ?? '');
    }
  }
  archive.finalize();
  await done;
  return output;
}

export interface DbFixtureOptions {
  readonly updatedAt: Date;
  readonly nextUpdate: Date;
  /** Schema version in metadata.json (default: 2 for the DB, 1 for the Java DB). */
  readonly version?: number;
  /** A vulnerability ID stored in the `vulnerability` bucket, to tell two DBs apart. */
  readonly marker?: string;
  /** Extra incompressible bytes in the DB file (for large-artifact tests and benchmarks). */
  readonly padMiB?: number;
}

/** A real bbolt trivy.db (written by Vigil's own BoltWriter, read back by Go's bbolt in its tests). */
export function writeTrivyDb(path: string, options: DbFixtureOptions): void {
  const writer = new BoltWriter(path);
  if (options.padMiB) {
    writer.beginBucket('padding');
    for (let index = 0; index < options.padMiB; index++)
      writer.put(String(index).padStart(6, '0'), randomBytes(1024 * 1024));
    writer.endBucket();
  }
  writer.beginBucket('vulnerability');
  writer.put(
    options.marker ?? 'CVE-2026-0001',
    JSON.stringify({ Title: `marker ${options.marker ?? 'CVE-2026-0001'}` }),
  );
  writer.endBucket();
  writer.finish();
}

function metadataText(options: DbFixtureOptions, version: number): string {
  return `${JSON.stringify({
    Version: version,
    NextUpdate: goTimeText(options.nextUpdate),
    UpdatedAt: goTimeText(options.updatedAt),
    DownloadedAt: '0001-01-01T00:00:00Z',
  })}\n`;
}

/** `db.tar.gz` as trivy-db publishes it: trivy.db and metadata.json with a zero DownloadedAt. */
export async function makeDbArchive(dir: string, options: DbFixtureOptions): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const dbFile = join(dir, 'trivy.db');
  writeTrivyDb(dbFile, options);
  return writeTarGz(join(dir, 'db.tar.gz'), [
    { name: 'trivy.db', file: dbFile },
    { name: 'metadata.json', content: metadataText(options, options.version ?? 2) },
  ]);
}

/** `javadb.tar.gz`: an SQLite trivy-java.db with trivy-java-db's tables, and metadata.json. */
export async function makeJavaDbArchive(dir: string, options: DbFixtureOptions): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const dbFile = join(dir, 'trivy-java.db');
  const db = new DatabaseSync(dbFile);
  db.exec(
    'CREATE TABLE artifacts(id INTEGER PRIMARY KEY, group_id TEXT, artifact_id TEXT);' +
      'CREATE TABLE indices(artifact_id INTEGER, version TEXT, sha1 BLOB, archive_type TEXT);',
  );
  db.prepare('INSERT INTO artifacts(group_id, artifact_id) VALUES (?, ?)').run(
    'org.example',
    options.marker ?? 'marker',
  );
  db.close();
  return writeTarGz(join(dir, 'javadb.tar.gz'), [
    { name: 'trivy-java.db', file: dbFile },
    { name: 'metadata.json', content: metadataText(options, options.version ?? 1) },
  ]);
}

/** `bundle.tar.gz` with a couple of Rego files, as trivy-checks lays it out. */
export async function makeChecksArchive(dir: string, marker = 'v1'): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const rego = (name: string) =>
    `# METADATA\n# title: ${name} ${marker}\npackage builtin.docker.${name}\n\ndeny[msg] { false; msg := "${marker}" }\n`;
  return writeTarGz(join(dir, 'bundle.tar.gz'), [
    { name: 'policies/', type: 'directory' },
    { name: 'policies/docker/policies/user.rego', content: rego('user') },
    { name: 'policies/docker/lib/docker.rego', content: rego('lib') },
    { name: 'commands/config/config.yaml', content: `marker: ${marker}\n` },
  ]);
}

/**
 * Pushes an artifact file with Trivy's media types and title (the push plan from src/db/build)
 * through Vigil's registry client; returns the manifest digest.
 */
export async function pushDbArtifact(
  registry: RegistryClient,
  reference: Reference,
  file: string,
  kind: DbArtifactKind,
  annotations: Record<string, string> = {},
): Promise<string> {
  const plan = await planArtifactPush(file, kind, annotations);
  await registry.pushBlob(reference, { digest: plan.config.digest, size: plan.config.size, bytes: plan.config.bytes });
  await registry.pushBlob(reference, { digest: plan.layer.digest, size: plan.layer.size, file });
  return registry.pushManifest(reference, plan.manifest, 'application/vnd.oci.image.manifest.v1+json');
}

/** A manifest whose layer is wrong in one way, for refusal tests. */
export async function pushRawArtifact(
  registry: RegistryClient,
  reference: Reference,
  layers: ReadonlyArray<{ file: string; mediaType: string; title?: string }>,
): Promise<string> {
  const config = Buffer.from('{}');
  const digest = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  await registry.pushBlob(reference, { digest: digest(config), size: 2, bytes: config });
  const descriptors = [];
  for (const layer of layers) {
    const bytes = readFileSync(layer.file);
    await registry.pushBlob(reference, { digest: digest(bytes), size: bytes.length, bytes });
    descriptors.push({
      mediaType: layer.mediaType,
      digest: digest(bytes),
      size: bytes.length,
      ...(layer.title ? { annotations: { 'org.opencontainers.image.title': layer.title } } : {}),
    });
  }
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.aquasec.trivy.config.v1+json', digest: digest(config), size: 2 },
      layers: descriptors,
    }),
  );
  return registry.pushManifest(reference, manifest, 'application/vnd.oci.image.manifest.v1+json');
}

export function writeText(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}
