import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { describeError, VigilError } from '../../errors/index.ts';
import { isCsaf } from '../csaf.ts';
import { isCycloneDx } from '../cyclonedx.ts';
import { MAX_VEX_DOCUMENT_BYTES, parseVexDocument } from '../document.ts';
import type { VexComponent, VexDocument, VexStatement } from '../model.ts';
import { isOpenVex } from '../openvex.ts';
import { parsePurl, repositoryPackageKey } from '../purl-match.ts';
import { MANIFEST_FILE, SPEC_VERSION } from './manifest.ts';

/**
 * `vigil vex repo build DIR --out OUT`: a VEX repository (spec 0.1) from a folder of OpenVEX and
 * CSAF documents, ready for any static web server:
 *
 *   OUT/.well-known/vex-repository.json   the manifest
 *   OUT/vex-repository.tar.gz             index.json + documents (deterministic bytes)
 *   OUT/index.json                        the same index, for people and scripts
 *
 * Each product PURL (without version, qualifiers and subpath; OCI keeps repository_url) becomes
 * a package. A package named by one document points at that document, copied byte for byte; a
 * package named by several OpenVEX documents gets one merged document, so no statement is lost.
 */
export const ARCHIVE_NAME = 'vex-repository.tar.gz';
const MAX_DOCUMENTS = 100_000;

export interface BuildOptions {
  readonly name?: string;
  readonly description?: string;
  /** Where OUT will be served; without it the manifest's location is relative to the manifest. */
  readonly baseUrl?: string;
  /** Go duration, default 24h. */
  readonly updateInterval?: string;
  /** index.json `updated_at`; default: the newest time in the documents, else `now`. */
  readonly updatedAt?: Date;
  readonly now: () => Date;
}

export interface BuildResult {
  readonly packages: number;
  readonly documents: number;
  readonly statements: number;
  readonly skipped: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
  readonly archive: string;
  readonly archiveSha256: string;
  readonly archiveBytes: number;
  readonly manifest: string;
  readonly location: string;
}

interface SourceDocument {
  readonly path: string;
  readonly bytes: Buffer;
  readonly document: VexDocument;
}

export async function buildRepository(dir: string, out: string, options: BuildOptions): Promise<BuildResult> {
  const skipped: Array<{ path: string; reason: string }> = [];
  const documents = await readDocuments(dir, skipped);
  const byPackage = new Map<string, SourceDocument[]>();
  for (const source of documents) {
    const keys = packageKeys(source.document);
    if (keys.size === 0)
      skipped.push({ path: source.path, reason: 'no product has a PURL, so no package can find it' });
    for (const key of keys) byPackage.set(key, [...(byPackage.get(key) ?? []), source]);
  }
  if (byPackage.size === 0) {
    throw new VigilError('VEX_BUILD_EMPTY', `no VEX document with product PURLs in ${dir}`, {
      hint: 'put OpenVEX or CSAF VEX JSON files whose products are PURLs (pkg:...) in the folder',
    });
  }
  const files = new Map<string, Buffer>();
  const packages: Array<{ id: string; location: string; format: 'openvex' | 'csaf' }> = [];
  for (const key of [...byPackage.keys()].sort()) {
    // Byte-identical copies (VEX Hub keeps one per OCI registry) count once.
    const sources = [...new Map((byPackage.get(key) as SourceDocument[]).map((s) => [digest(s.bytes), s])).values()];
    if (sources.length === 1) {
      const [only] = sources as [SourceDocument];
      files.set(only.path, only.bytes);
      packages.push({ id: key, location: only.path, format: only.document.format as 'openvex' | 'csaf' });
      continue;
    }
    const csaf = sources.filter((source) => source.document.format === 'csaf');
    if (csaf.length > 0) {
      throw new VigilError(
        'VEX_BUILD_CONFLICT',
        `package ${key} is named by several documents (${sources.map((s) => s.path).join(', ')}), and CSAF documents cannot be merged`,
        { hint: 'keep one CSAF document per package, or write the statements as OpenVEX' },
      );
    }
    const location = mergedLocation(key);
    files.set(location, Buffer.from(`${JSON.stringify(mergeOpenVex(key, sources), null, 2)}\n`));
    packages.push({ id: key, location, format: 'openvex' });
  }
  const updatedAt = (options.updatedAt ?? newest(documents) ?? options.now()).toISOString();
  const index = `${JSON.stringify({ updated_at: updatedAt, packages }, null, 2)}\n`;
  files.set('index.json', Buffer.from(index));
  const archive = await deterministicTarGz(files, new Date(updatedAt));
  const location = options.baseUrl ? `${options.baseUrl.replace(/\/+$/, '')}/${ARCHIVE_NAME}` : `../${ARCHIVE_NAME}`;
  const manifest = {
    name: options.name ?? 'VEX repository',
    description: options.description ?? `VEX repository built by vigil vex repo build (${packages.length} packages)`,
    versions: [
      { spec_version: SPEC_VERSION, locations: [{ url: location }], update_interval: options.updateInterval ?? '24h' },
    ],
  };
  await mkdir(join(out, '.well-known'), { recursive: true });
  await writeAtomically(join(out, ARCHIVE_NAME), archive);
  await writeAtomically(join(out, 'index.json'), Buffer.from(index));
  await writeAtomically(join(out, '.well-known', MANIFEST_FILE), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  return {
    packages: packages.length,
    documents: documents.length,
    statements: documents.reduce((sum, source) => sum + source.document.statements.length, 0),
    skipped,
    archive: join(out, ARCHIVE_NAME),
    archiveSha256: createHash('sha256').update(archive).digest('hex'),
    archiveBytes: archive.length,
    manifest: join(out, '.well-known', MANIFEST_FILE),
    location,
  };
}

async function readDocuments(dir: string, skipped: Array<{ path: string; reason: string }>): Promise<SourceDocument[]> {
  let paths: string[];
  try {
    paths = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .filter((path) => !path.split('/').some((segment) => segment.startsWith('.')))
      .sort();
  } catch (error) {
    throw new VigilError('VEX_BUILD_INPUT', `cannot read the folder ${dir}: ${describeError(error)}`, {
      hint: 'give a folder of VEX documents',
    });
  }
  if (paths.length > MAX_DOCUMENTS) {
    throw new VigilError('VEX_BUILD_INPUT', `${dir} holds ${paths.length} JSON files, over ${MAX_DOCUMENTS}`);
  }
  const documents: SourceDocument[] = [];
  for (const path of paths) {
    const bytes = await readFile(join(dir, path));
    if (bytes.length > MAX_VEX_DOCUMENT_BYTES) {
      skipped.push({ path, reason: `over ${MAX_VEX_DOCUMENT_BYTES} bytes` });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      skipped.push({ path, reason: 'not valid JSON' });
      continue;
    }
    if (isCycloneDx(json)) {
      skipped.push({ path, reason: 'CycloneDX: a VEX repository holds OpenVEX or CSAF only' });
      continue;
    }
    if (!isOpenVex(json) && !isCsaf(json)) {
      skipped.push({ path, reason: 'not a VEX document' });
      continue;
    }
    // A document that claims to be VEX but is broken stops the build: it would fail every client.
    documents.push({ path, bytes, document: parseVexDocument(bytes.toString('utf8'), join(dir, path)) });
  }
  return documents;
}

function packageKeys(document: VexDocument): Set<string> {
  const keys = new Set<string>();
  for (const statement of document.statements) {
    for (const product of statement.products) {
      for (const purl of product.purls) {
        const key = repositoryPackageKey(purl);
        if (key !== undefined) keys.add(key);
      }
    }
  }
  return keys;
}

/** `pkg:golang/github.com/a/b` → `pkg/golang/github.com/a/b/merged.openvex.json` (vex-repo-spec §3.4). */
function mergedLocation(key: string): string {
  const purl = parsePurl(key);
  const parts = purl
    ? [purl.type, ...purl.namespace.split('/'), purl.name, ...(purl.qualifiers.repository_url?.split('/') ?? [])]
    : [key];
  const safe = parts.filter(Boolean).map((part) => encodeURIComponent(part).replace(/^\.+$/, '_'));
  return `pkg/${safe.join('/')}/merged.openvex.json`;
}

function mergeOpenVex(key: string, sources: readonly SourceDocument[]): unknown {
  const statements = sources.flatMap((source) =>
    source.document.statements
      .filter((statement) => statement.products.some((p) => p.purls.some((purl) => repositoryPackageKey(purl) === key)))
      .map((statement) => statementJson(statement)),
  );
  const newestTime = newest(sources);
  return {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': `vigil-merged:${key}`,
    author: 'vigil vex repo build',
    ...(newestTime ? { timestamp: newestTime.toISOString() } : {}),
    version: 1,
    tooling: `merged from ${sources.map((source) => source.path).join(', ')}`,
    statements,
  };
}

function componentJson(component: VexComponent): Record<string, unknown> {
  const [purl] = component.purls;
  return {
    ...(component.id ? { '@id': component.id } : {}),
    ...(purl && purl !== component.id ? { identifiers: { purl } } : {}),
  };
}

function statementJson(statement: VexStatement): Record<string, unknown> {
  const [name, ...aliases] = statement.vulnerabilityIds;
  return {
    vulnerability: { name, ...(aliases.length > 0 ? { aliases } : {}) },
    ...(statement.timestamp === undefined ? {} : { timestamp: new Date(statement.timestamp).toISOString() }),
    products: statement.products.map((product) => ({
      ...componentJson(product),
      ...(product.subcomponents.length > 0 ? { subcomponents: product.subcomponents.map(componentJson) } : {}),
    })),
    status: statement.status,
    ...(statement.justification ? { justification: statement.justification } : {}),
    ...(statement.impactStatement ? { impact_statement: statement.impactStatement } : {}),
    ...(statement.actionStatement ? { action_statement: statement.actionStatement } : {}),
  };
}

function newest(documents: readonly { document: VexDocument }[]): Date | undefined {
  let latest: number | undefined;
  for (const { document } of documents) {
    for (const statement of document.statements) {
      if (statement.timestamp !== undefined && (latest === undefined || statement.timestamp > latest)) {
        latest = statement.timestamp;
      }
    }
  }
  return latest === undefined ? undefined : new Date(latest);
}

/** Sorted entries, fixed owner, mode and time: the same inputs give the same bytes. */
async function deterministicTarGz(files: ReadonlyMap<string, Buffer>, mtime: Date): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (chunk: unknown) => {
    chunks.push(chunk as Buffer);
  });
  const done = new Promise<void>((resolve, reject) => {
    tar.on('end', resolve);
    tar.on('error', reject);
  });
  for (const name of [...files.keys()].sort()) {
    const content = files.get(name) as Buffer;
    await new Promise<void>((resolve, reject) => {
      tar.entry(
        { name, size: content.length, mode: 0o644, mtime, uid: 0, gid: 0, uname: '', gname: '', type: 'file' },
        content,
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }
  tar.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function writeAtomically(path: string, content: Buffer): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content, { mode: 0o644 });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new VigilError('VEX_BUILD_OUTPUT', `cannot write ${path}: ${describeError(error)}`, {
      hint: 'check that --out is a writable folder',
    });
  }
}
