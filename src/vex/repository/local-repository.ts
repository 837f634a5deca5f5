import { closeSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { describeError, VigilError } from '../../errors/index.ts';
import type { Logger } from '../../log/index.ts';
import { type ExpectedFormat, MAX_VEX_DOCUMENT_BYTES, parseVexDocument } from '../document.ts';
import { isObject } from '../json-fields.ts';
import { repositoryPackageKey } from '../purl-match.ts';
import { DocumentMatcher, type MatchedStatement } from '../statement-matcher.ts';
import type { VexSource } from '../suppress.ts';
import { SPEC_VERSION } from './manifest.ts';

/**
 * A downloaded VEX repository (`<cache>/vex/repositories/<name>/0.1/`) as a VEX source: the
 * product's PURL, without version, qualifiers and subpath (OCI keeps `repository_url`), finds
 * the package's document through `index.json`. Documents load on first use and only from inside
 * the repository directory: a location with `..`, an absolute path or a symlink leading out is refused.
 */
export const INDEX_FILE = 'index.json';
export const MAX_INDEX_BYTES = 256 * 1024 * 1024;

export interface IndexEntry {
  readonly id: string;
  readonly location: string;
  readonly format: ExpectedFormat;
}

export interface RepositoryIndex {
  readonly updatedAt?: string;
  /** By package key (see repositoryPackageKey). */
  readonly entries: ReadonlyMap<string, IndexEntry>;
  /** Entries refused because their location is unsafe or their format unknown. */
  readonly rejected: ReadonlyArray<{ readonly id: string; readonly location: string; readonly reason: string }>;
}

export function isSafeLocation(location: string): boolean {
  if (location === '' || isAbsolute(location) || /^[A-Za-z]:/.test(location)) return false;
  if (location.includes('\\') || location.includes('\0')) return false;
  return !location.split('/').some((segment) => segment === '..');
}

export function parseRepositoryIndex(text: string, source: string): RepositoryIndex {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw indexError(source, `not valid JSON: ${describeError(error)}`);
  }
  if (!isObject(json) || !Array.isArray(json.packages)) throw indexError(source, '`packages` must be an array');
  const entries = new Map<string, IndexEntry>();
  const rejected: Array<{ id: string; location: string; reason: string }> = [];
  json.packages.forEach((raw, index) => {
    if (!isObject(raw) || typeof raw.id !== 'string' || typeof raw.location !== 'string') {
      throw indexError(source, `packages[${index}] needs string id and location`);
    }
    const format = raw.format === undefined || raw.format === '' ? 'openvex' : raw.format;
    if (format !== 'openvex' && format !== 'csaf') {
      rejected.push({ id: raw.id, location: raw.location, reason: `unknown format ${JSON.stringify(format)}` });
      return;
    }
    if (!isSafeLocation(raw.location)) {
      rejected.push({ id: raw.id, location: raw.location, reason: 'the location leaves the repository directory' });
      return;
    }
    const key = repositoryPackageKey(raw.id) ?? raw.id;
    // The first entry for a package wins, as a map keyed by ID would keep only one anyway.
    if (!entries.has(key)) entries.set(key, { id: raw.id, location: raw.location, format });
  });
  return { updatedAt: typeof json.updated_at === 'string' ? json.updated_at : undefined, entries, rejected };
}

/** Reads a file of at most `limit` bytes synchronously (documents load while findings are filtered). */
export function readBoundedFileSync(path: string, limit: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > limit) throw new Error(`${info.size} bytes, over the ${limit}-byte limit`);
    const buffer = Buffer.alloc(info.size);
    let offset = 0;
    while (offset < info.size) {
      const read = readSync(fd, buffer, offset, info.size - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return buffer.subarray(0, offset);
  } finally {
    closeSync(fd);
  }
}

export interface LocalRepositoryOptions {
  readonly name: string;
  readonly url: string;
  readonly logger: Logger;
}

export class LocalRepository implements VexSource {
  readonly name: string;
  readonly root: string;
  readonly index: RepositoryIndex;
  /** Documents that could not be used, with why: reported, never silently dropped. */
  readonly problems: string[] = [];
  readonly #realRoot: string;
  readonly #documents = new Map<string, DocumentMatcher | null>();
  readonly #logger: Logger;

  constructor(root: string, index: RepositoryIndex, options: LocalRepositoryOptions) {
    this.root = root;
    this.index = index;
    this.name = `VEX repository ${options.name} (${options.url})`;
    this.#realRoot = realpathSync(root);
    this.#logger = options.logger;
    for (const entry of index.rejected) {
      this.#problem(`index entry ${entry.id} (${entry.location}) refused: ${entry.reason}`);
    }
  }

  statementFor(vulnerabilityId: string, product: string, subcomponent?: string): MatchedStatement | undefined {
    const key = repositoryPackageKey(product);
    if (key === undefined) return undefined;
    const entry = this.index.entries.get(key);
    if (entry === undefined) return undefined;
    return this.#document(entry)?.statementFor(vulnerabilityId, product, subcomponent);
  }

  /** Every document in the index, loaded now (for listing and benchmarks). */
  loadAll(): DocumentMatcher[] {
    return [...this.index.entries.values()].flatMap((entry) => this.#document(entry) ?? []);
  }

  #document(entry: IndexEntry): DocumentMatcher | undefined {
    const cached = this.#documents.get(entry.location);
    if (cached !== undefined) return cached ?? undefined;
    let matcher: DocumentMatcher | null = null;
    try {
      const path = this.#confined(entry.location);
      const text = readBoundedFileSync(path, MAX_VEX_DOCUMENT_BYTES).toString('utf8');
      matcher = new DocumentMatcher(parseVexDocument(text, `${entry.location} in ${this.name}`, entry.format));
    } catch (error) {
      this.#problem(`document ${entry.location} for ${entry.id} not used: ${describeError(error)}`);
    }
    this.#documents.set(entry.location, matcher);
    return matcher ?? undefined;
  }

  #confined(location: string): string {
    const path = resolve(this.root, location);
    const real = realpathSync(path);
    if (!real.startsWith(this.#realRoot + sep)) throw new Error('it resolves outside the repository directory');
    return real;
  }

  #problem(message: string): void {
    this.problems.push(message);
    this.#logger.warn(`${this.name}: ${message}`);
  }
}

/** The directory holding the current index and documents of a repository. */
export function repositoryContentDir(repositoryDir: string): string {
  return join(repositoryDir, SPEC_VERSION);
}

/** Opens a downloaded repository; a VigilError with code VEX_REPO_MISSING when it was never downloaded. */
export function openLocalRepository(repositoryDir: string, options: LocalRepositoryOptions): LocalRepository {
  const root = repositoryContentDir(repositoryDir);
  const indexPath = join(root, INDEX_FILE);
  let text: string;
  try {
    text = readBoundedFileSync(indexPath, MAX_INDEX_BYTES).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new VigilError('VEX_REPO_MISSING', `VEX repository ${options.name} is not downloaded (no ${indexPath})`, {
        hint: `run 'vigil vex repo download ${options.name}' while online, or copy the cache directory from a machine that has it`,
      });
    }
    throw indexError(indexPath, describeError(error));
  }
  return new LocalRepository(root, parseRepositoryIndex(text, indexPath), options);
}

function indexError(source: string, detail: string): VigilError {
  return new VigilError('VEX_REPO_INDEX', `VEX repository index ${source}: ${detail}`, {
    hint: 'download the repository again with vigil vex repo download',
  });
}
