import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Duplex, PassThrough, type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { extract } from 'tar-stream';
import { DEFAULT_ZIP_LIMITS, openZipFile, type ZipFile } from '../../archive/zip/index.ts';
import { describeError, VigilError } from '../../errors/index.ts';

/**
 * Unpacks a VEX repository archive (tar.gz, tar.bz2, tar.xz, tar.zst, plain tar or zip, told
 * apart by their first bytes, not by the URL) into a directory. Only the `subdir` part is kept.
 * Every entry name is checked: an absolute path or a `..` segment refuses the whole archive;
 * links and devices are skipped; file count, file size and the total are bounded, and so is the
 * expanded size relative to the download (a decompression bomb stops early).
 */
export interface ExtractLimits {
  readonly maxEntries: number;
  readonly maxFileBytes: number;
  readonly maxTotalBytes: number;
  /** Expanded bytes allowed per downloaded byte, past `ratioFloorBytes`. */
  readonly maxRatio: number;
  readonly ratioFloorBytes: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = {
  maxEntries: 200_000,
  maxFileBytes: 256 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 64 * 1024 * 1024,
};

export interface ExtractResult {
  readonly files: number;
  readonly bytes: number;
}

export type ArchiveKind = 'zip' | 'gzip' | 'bzip2' | 'xz' | 'zstd' | 'tar';

export function archiveError(label: string, detail: string): VigilError {
  return new VigilError('VEX_REPO_ARCHIVE', `VEX repository archive ${label}: ${detail}`, {
    hint: 'the repository serves a broken or unsafe archive; tell its maintainers, or try again later',
  });
}

export async function sniffArchive(path: string): Promise<ArchiveKind | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(262);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const starts = (...bytes: number[]) => bytesRead >= bytes.length && bytes.every((b, i) => head[i] === b);
    if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'zip';
    if (starts(0x1f, 0x8b)) return 'gzip';
    if (starts(0x42, 0x5a, 0x68)) return 'bzip2';
    if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz';
    if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'zstd';
    if (bytesRead >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
    return undefined;
  } finally {
    await handle.close();
  }
}

/** Checks an entry name; returns the path relative to `subdir`, or undefined for entries outside it. */
export function entryPath(name: string, subdir: string, label: string): string | undefined {
  const cleaned = name.replace(/^(\.\/)+/, '');
  if (cleaned.startsWith('/') || /^[A-Za-z]:/.test(cleaned) || cleaned.includes('\\') || cleaned.includes('\0')) {
    throw archiveError(label, `entry ${JSON.stringify(name)} has an absolute or unsafe path`);
  }
  const segments = cleaned.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw archiveError(label, `entry ${JSON.stringify(name)} escapes the archive with '..'`);
  const prefix = subdir === '' ? [] : subdir.split('/');
  if (segments.length < prefix.length || prefix.some((segment, i) => segments[i] !== segment)) return undefined;
  const relative = segments.slice(prefix.length).join('/');
  return relative === '' ? undefined : relative;
}

export async function extractArchive(
  archive: string,
  destination: string,
  subdir: string,
  label: string,
  limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS,
): Promise<ExtractResult> {
  const kind = await sniffArchive(archive);
  if (kind === undefined) {
    throw archiveError(label, 'not a zip, tar, tar.gz, tar.bz2, tar.xz or tar.zst archive');
  }
  const downloaded = (await stat(archive)).size;
  const budget = new Budget(label, limits, Math.max(limits.ratioFloorBytes, downloaded * limits.maxRatio));
  await mkdir(destination, { recursive: true });
  if (kind === 'zip') return extractZip(archive, destination, subdir, label, budget, limits);
  return extractTar(archive, kind, destination, subdir, label, budget);
}

/** Counts what an archive expands to and stops it at the first limit crossed. */
class Budget {
  files = 0;
  written = 0;
  expanded = 0;
  readonly #label: string;
  readonly #limits: ExtractLimits;
  readonly #maxExpanded: number;

  constructor(label: string, limits: ExtractLimits, maxExpanded: number) {
    this.#label = label;
    this.#limits = limits;
    this.#maxExpanded = Math.min(maxExpanded, limits.maxTotalBytes);
  }

  entry(): void {
    if (++this.files > this.#limits.maxEntries) {
      throw archiveError(this.#label, `more than ${this.#limits.maxEntries} entries`);
    }
  }

  expand(bytes: number): void {
    this.expanded += bytes;
    if (this.expanded > this.#maxExpanded) {
      throw archiveError(this.#label, `expands to more than ${this.#maxExpanded} bytes (a decompression bomb?)`);
    }
  }

  file(name: string, size: number): void {
    if (size > this.#limits.maxFileBytes) {
      throw archiveError(
        this.#label,
        `entry ${name} is ${size} bytes, over the ${this.#limits.maxFileBytes}-byte limit`,
      );
    }
    this.written += size;
    if (this.written > this.#limits.maxTotalBytes) {
      throw archiveError(this.#label, `more than ${this.#limits.maxTotalBytes} bytes of files`);
    }
  }

  meter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        try {
          this.expand(chunk.length);
          callback(null, chunk);
        } catch (error) {
          callback(error as Error);
        }
      },
    });
  }
}

function decompressor(kind: Exclude<ArchiveKind, 'zip'>, label: string): Duplex {
  switch (kind) {
    case 'tar':
      return new PassThrough();
    case 'gzip':
      return createGunzip();
    case 'zstd':
      return createZstdDecompress();
    case 'bzip2':
      return externalDecompressor('bzip2', 'bzip2', label);
    case 'xz':
      return externalDecompressor('xz', 'xz-utils', label);
  }
}

/** Node has no bzip2 or xz: the system's `bzip2 -dc` / `xz -dc` does the work, as a stream. */
function externalDecompressor(command: string, debianPackage: string, label: string): Duplex {
  const child = spawn(command, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < 2000) stderr += text;
  });
  // The output ends only once the process has exited cleanly, so a corrupt stream is an error,
  // not a silently shorter archive.
  const output = new PassThrough();
  child.stdout.pipe(output, { end: false });
  const duplex = Duplex.from({ writable: child.stdin, readable: output });
  child.stdin.on('error', () => {});
  child.on('error', (error) => {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    duplex.destroy(
      missing
        ? new VigilError('VEX_REPO_ARCHIVE', `cannot unpack ${label}: '${command}' is not installed`, {
            hint: `install it (Debian: apt-get install ${debianPackage}), or serve the repository as tar.gz or zip`,
          })
        : archiveError(label, `${command} failed: ${describeError(error)}`),
    );
  });
  child.on('close', (code) => {
    if (code === 0) output.end();
    else
      output.destroy(archiveError(label, `${command} -dc failed: ${stderr.trim().split('\n')[0] || `exit ${code}`}`));
  });
  duplex.on('close', () => {
    if (child.exitCode === null) child.kill();
  });
  return duplex;
}

async function extractTar(
  archive: string,
  kind: Exclude<ArchiveKind, 'zip'>,
  destination: string,
  subdir: string,
  label: string,
  budget: Budget,
): Promise<ExtractResult> {
  const tar = extract();
  const reading = pipeline(createReadStream(archive), decompressor(kind, label), budget.meter(), tar);
  // tar-stream's entries are streamx streams that do not end when the source fails: every wait
  // below races the source, so a corrupt archive ends the extraction instead of hanging it.
  const failed = new Promise<never>((_, reject) => {
    reading.catch(reject);
  });
  failed.catch(() => {});
  const iterator = tar[Symbol.asyncIterator]();
  let current: Readable | undefined;
  try {
    for (;;) {
      const step = await Promise.race([iterator.next(), failed]);
      if (step.done) break;
      const entry = step.value;
      const header = entry.header;
      budget.entry();
      const relative = entryPath(header.name, subdir, label);
      const kept = header.type === 'file' || header.type === 'contiguous-file' || header.type === 'directory';
      if (relative === undefined || !kept) {
        entry.resume();
        continue;
      }
      const target = join(destination, relative);
      if (header.type === 'directory') {
        await mkdir(target, { recursive: true });
        entry.resume();
        continue;
      }
      budget.file(relative, header.size ?? 0);
      current = entry as unknown as Readable;
      await Promise.race([writeEntry(current, target, header.size ?? 0, relative, label), failed]);
      current = undefined;
    }
    await reading;
  } catch (error) {
    current?.destroy();
    tar.destroy();
    throw wrap(error, label, kind);
  }
  return { files: budget.files, bytes: budget.written };
}

async function extractZip(
  archive: string,
  destination: string,
  subdir: string,
  label: string,
  budget: Budget,
  limits: ExtractLimits,
): Promise<ExtractResult> {
  let zip: ZipFile;
  try {
    zip = await openZipFile(archive, {
      ...DEFAULT_ZIP_LIMITS,
      maxEntries: limits.maxEntries,
      maxEntrySize: limits.maxFileBytes,
    });
  } catch (error) {
    throw wrap(error, label, 'zip');
  }
  try {
    for (const entry of zip.entries) {
      budget.entry();
      const relative = entryPath(entry.name, subdir, label);
      if (relative === undefined || entry.kind === 'symlink') continue;
      const target = join(destination, relative);
      if (entry.kind === 'directory') {
        await mkdir(target, { recursive: true });
        continue;
      }
      budget.file(relative, entry.size);
      budget.expand(entry.size);
      await writeEntry(await zip.open(entry), target, entry.size, relative, label);
    }
  } catch (error) {
    throw wrap(error, label, 'zip');
  } finally {
    await zip.close();
  }
  return { files: budget.files, bytes: budget.written };
}

/** Writes one entry, refusing content longer or shorter than declared (zip streams check their CRC themselves). */
async function writeEntry(
  content: Readable,
  target: string,
  declared: number,
  name: string,
  label: string,
): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  let seen = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > declared) {
        callback(archiveError(label, `entry ${name} is longer than its header says`));
        return;
      }
      callback(null, chunk);
    },
    flush(callback) {
      if (seen !== declared) callback(archiveError(label, `entry ${name} is truncated`));
      else callback();
    },
  });
  await pipeline(content, check, createWriteStream(target, { mode: 0o644 }));
}

function wrap(error: unknown, label: string, kind: ArchiveKind): unknown {
  if (error instanceof VigilError && error.code === 'ZIP_CORRUPT') return archiveError(label, error.message);
  if (error instanceof VigilError) return error;
  return archiveError(label, `cannot read the ${kind} data: ${describeError(error)}`);
}
