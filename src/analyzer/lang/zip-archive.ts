import { inflateRawSync } from 'node:zlib';

/**
 * A small reader for the zip archives language analyzers open (Yarn's `.yarn/cache/*.zip`,
 * Python `.egg` files): the central directory, then stored or deflated members on demand.
 * Every offset and size is checked against the buffer, and members are inflated with an output
 * limit, so a corrupt or hostile archive gives an error, never a hang or a huge allocation.
 */
export interface ZipMember {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;
const MAX_MEMBERS = 100_000;

export class ZipArchive {
  readonly members: readonly ZipMember[];
  private readonly data: Buffer;

  constructor(data: Buffer) {
    this.data = data;
    this.members = readCentralDirectory(data);
  }

  find(name: string): ZipMember | undefined {
    return this.members.find((member) => member.name === name);
  }

  /** The member's bytes; members larger than `maxSize` are refused. */
  read(member: ZipMember, maxSize = 16 * 1024 * 1024): Buffer {
    if (member.size > maxSize) throw new Error(`zip member ${member.name} is larger than ${maxSize} bytes`);
    const data = this.data;
    const at = member.localHeaderOffset;
    if (at + 30 > data.length || data.readUInt32LE(at) !== LOCAL) throw new Error('corrupt zip: bad local header');
    const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
    const end = start + member.compressedSize;
    if (end > data.length) throw new Error('corrupt zip: member runs past the end');
    const raw = data.subarray(start, end);
    if (member.method === 0) return Buffer.from(raw);
    if (member.method === 8) return inflateRawSync(raw, { maxOutputLength: Math.max(member.size, 1) });
    throw new Error(`zip member ${member.name} uses unsupported compression method ${member.method}`);
  }
}

function readCentralDirectory(data: Buffer): ZipMember[] {
  const earliest = Math.max(0, data.length - 22 - MAX_COMMENT);
  let eocd = -1;
  for (let at = data.length - 22; at >= earliest; at -= 1) {
    if (data.readUInt32LE(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd === -1) throw new Error('not a zip archive (no end of central directory)');
  const count = data.readUInt16LE(eocd + 10);
  const offset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new Error('zip64 archives are not supported');
  if (count > MAX_MEMBERS) throw new Error('zip archive has too many members');
  const members: ZipMember[] = [];
  let at = offset;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL)
      throw new Error('corrupt zip: bad central directory');
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    if (at + 46 + nameLength > data.length) throw new Error('corrupt zip: name runs past the end');
    members.push({
      name: data.toString('utf8', at + 46, at + 46 + nameLength),
      method: data.readUInt16LE(at + 10),
      compressedSize: data.readUInt32LE(at + 20),
      size: data.readUInt32LE(at + 24),
      localHeaderOffset: data.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return members;
}
