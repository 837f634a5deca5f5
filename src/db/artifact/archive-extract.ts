import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { VigilError } from '../../errors/index.ts';

/** Bounds on what an untrusted archive may unpack to. */
export interface ExtractLimits {
  readonly maxEntries: number;
  readonly maxFileBytes: number;
  readonly maxTotalBytes: number;
}

/** Only these regular files (others are skipped), or a whole tree of regular files and directories. */
export type ExtractPlan = { readonly kind: 'files'; readonly names: readonly string[] } | { readonly kind: 'tree' };

export interface ExtractResult {
  readonly files: string[];
  readonly skipped: string[];
}

function refuse(what: string, why: string): VigilError {
  return new VigilError('ARCHIVE_REFUSED', `${what}: ${why}`, {
    hint: 'the artifact is damaged or was not built for Vigil/Trivy; try another repository',
  });
}

/** A tar member name as a safe relative path, or undefined for the archive root. */
function safeName(raw: string, what: string): string | undefined {
  const name = posix
    .normalize(raw.replace(/\\/g, '/'))
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
  if (name === '' || name === '.') return undefined;
  if (name.startsWith('/') || name === '..' || name.startsWith('../') || name.includes('\0')) {
    throw refuse(what, `the archive member ${JSON.stringify(raw)} points outside the destination`);
  }
  return name;
}

/**
 * Unpacks a `.tar.gz` into `destination` (which must exist), with every size bounded and names
 * checked, so a hostile or corrupt archive fails cleanly instead of filling the disk or escaping.
 */
export async function extractTarGz(
  archive: string,
  destination: string,
  plan: ExtractPlan,
  limits: ExtractLimits,
  what: string,
  signal?: AbortSignal,
): Promise<ExtractResult> {
  const wanted = plan.kind === 'files' ? new Set(plan.names) : undefined;
  const files: string[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  let entries = 0;
  let total = 0;
  const extractor = tarExtract();
  extractor.on('entry', (header, stream, next) => {
    const fail = (error: unknown) => {
      // The entry stream dies with the extractor; its own error event would otherwise go unheard.
      stream.on('error', () => undefined);
      stream.resume();
      extractor.destroy(error as Error);
    };
    try {
      entries++;
      if (entries > limits.maxEntries) throw refuse(what, `more than ${limits.maxEntries} archive members`);
      const name = safeName(header.name, what);
      const skip = () => {
        if (name) skipped.push(name);
        stream.on('end', () => next());
        stream.resume();
      };
      if (name === undefined) return skip();
      if (header.type === 'directory') {
        if (plan.kind === 'tree') {
          mkdir(join(destination, name), { recursive: true }).then(() => skip(), fail);
          return;
        }
        return skip();
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        if (wanted?.has(name)) throw refuse(what, `${name} is a ${header.type}, not a regular file`);
        return skip();
      }
      if (wanted && !wanted.has(name)) return skip();
      if (seen.has(name)) throw refuse(what, `${name} appears twice in the archive`);
      seen.add(name);
      const size = header.size ?? 0;
      if (size > limits.maxFileBytes)
        throw refuse(what, `${name} is ${size} bytes, more than the ${limits.maxFileBytes} allowed`);
      total += size;
      if (total > limits.maxTotalBytes)
        throw refuse(what, `the archive unpacks to more than ${limits.maxTotalBytes} bytes`);
      const target = join(destination, name);
      mkdir(dirname(target), { recursive: true })
        .then(() => pipeline(stream, createWriteStream(target, { flags: 'wx', mode: 0o644, highWaterMark: 1 << 20 })))
        .then(() => {
          files.push(name);
          next();
        }, fail);
    } catch (error) {
      fail(error);
    }
  });
  try {
    await pipeline(createReadStream(archive), createGunzip(), extractor, { signal });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof VigilError) throw error;
    throw refuse(what, `not a valid .tar.gz (${(error as Error).message})`);
  }
  if (wanted) {
    const absent = [...wanted].filter((name) => !files.includes(name));
    if (absent.length > 0) throw refuse(what, `the archive has no ${absent.join(' or ')}`);
  }
  return { files, skipped };
}
