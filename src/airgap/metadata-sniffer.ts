import type { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { type DbMetadataFile, parseDbMetadata } from '../db/artifact/index.ts';

const MAX_METADATA_BYTES = 1024 * 1024;

export interface MetadataSniffer {
  /** Write the DB layer (db.tar.gz) here, alongside wherever else it goes. */
  readonly sink: Writable;
  /** metadata.json of the archive, or undefined when the archive has none (or is not one). */
  readonly result: Promise<DbMetadataFile | undefined>;
}

/**
 * Reads metadata.json out of a DB layer while the layer streams elsewhere, so a bundle can record
 * each DB's age without reading the layer a second time. Everything else in the archive is
 * inflated and dropped.
 */
export function sniffDbMetadata(): MetadataSniffer {
  const gunzip = createGunzip();
  const extractor = tarExtract();
  let found: DbMetadataFile | undefined;
  const result = new Promise<DbMetadataFile | undefined>((resolve) => {
    const give = () => resolve(found);
    let inflated = false;
    gunzip.on('end', () => {
      inflated = true;
    });
    // Destroyed before the end (the copy failed): nothing more will come.
    gunzip.on('close', () => {
      if (!inflated) give();
    });
    gunzip.on('error', give);
    extractor.on('error', give);
    extractor.on('finish', give);
    extractor.on('close', give);
  });
  extractor.on('entry', (header, stream, next) => {
    const name = header.name.replace(/^\.\//, '');
    if (name !== 'metadata.json' || (header.size ?? 0) > MAX_METADATA_BYTES) {
      stream.on('end', () => next());
      stream.resume();
      return;
    }
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    stream.on('end', () => {
      const read = parseDbMetadata(Buffer.concat(chunks).toString('utf8'));
      if (read.state === 'ok') found = read.value;
      next();
    });
  });
  gunzip.pipe(extractor);
  return { sink: gunzip, result };
}
