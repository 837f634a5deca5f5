import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  listRpmPackages,
  parseRpmHeader,
  readBerkeleyDbValues,
  readNdbBlobs,
  readRpmPackage,
} from '../../../src/analyzer/pkg/index.ts';
import { VigilError } from '../../../src/errors/index.ts';
import { epochBdb, libuuidBdb, marinerSqlite, sle15Ndb } from './rpm-fixtures.ts';

/** A seeded generator, so a failing mutation can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function mutate(bytes: Buffer, next: () => number, flips: number): Buffer {
  const copy = Buffer.from(bytes);
  for (let i = 0; i < flips; i++) copy[Math.floor(next() * copy.length)] = Math.floor(next() * 256);
  return copy;
}

/** Corrupt input must either still parse or fail with Vigil's own error; nothing else may escape. */
function survives(what: string, read: () => unknown): 'parsed' | 'rejected' {
  try {
    read();
    return 'parsed';
  } catch (error) {
    assert.ok(error instanceof VigilError, `${what}: ${error instanceof Error ? error.stack : String(error)}`);
    assert.equal(error.code, 'RPMDB_CORRUPT', what);
    return 'rejected';
  }
}

test('truncated databases of every format are rejected cleanly', () => {
  const next = random(1);
  for (const [name, db] of [
    ['ndb', sle15Ndb()],
    ['bdb', libuuidBdb()],
    ['bdb-epoch', epochBdb()],
    ['sqlite', marinerSqlite()],
  ] as const) {
    for (const length of [0, 1, 15, 16, 31, 100, 511, 4096, Math.floor(next() * db.length), db.length - 1]) {
      survives(`${name} cut to ${length}`, () => listRpmPackages(db.subarray(0, length)));
    }
  }
});

test('randomly damaged databases parse or fail with RPMDB_CORRUPT, never crash', () => {
  const next = random(42);
  const rounds: [string, Buffer, number][] = [
    ['bdb', libuuidBdb(), 150],
    ['bdb-epoch', epochBdb(), 150],
    ['ndb', sle15Ndb(), 40],
    ['sqlite', marinerSqlite(), 8],
  ];
  for (const [name, db, count] of rounds) {
    const outcomes = { parsed: 0, rejected: 0 };
    for (let round = 0; round < count; round++) {
      outcomes[
        survives(`${name} round ${round}`, () => listRpmPackages(mutate(db, next, 1 + Math.floor(next() * 64))))
      ]++;
    }
    assert.equal(outcomes.parsed + outcomes.rejected, count);
  }
});

test('damaged header blobs parse or fail with RPMDB_CORRUPT', () => {
  const next = random(7);
  const blobs = readNdbBlobs(sle15Ndb()).slice(0, 20);
  let rejected = 0;
  for (const blob of blobs) {
    for (let round = 0; round < 25; round++) {
      if (survives('header', () => readRpmPackage(mutate(blob, next, 1 + Math.floor(next() * 8)))) === 'rejected') {
        rejected++;
      }
    }
    // Damage to the index itself (first bytes) is always caught.
    const index = Buffer.from(blob);
    index.writeUInt32BE(0xffffffff, 0);
    assert.throws(() => parseRpmHeader(index), { code: 'RPMDB_CORRUPT' });
  }
  assert.ok(rejected > 0);
});

test('crafted corruptions: cycles, out-of-file pointers, unterminated strings', () => {
  // A Berkeley DB overflow chain that points back at itself.
  const bdb = Buffer.from(libuuidBdb());
  const pageSize = bdb.readUInt32LE(20);
  const values = readBerkeleyDbValues(bdb);
  assert.equal(values.length, 1);
  for (let page = 1; page * pageSize < bdb.length; page++) {
    const start = page * pageSize;
    if (bdb[start + 25] === 7 && bdb.readUInt32LE(start + 16) !== 0) {
      bdb.writeUInt32LE(page, start + 16);
      break;
    }
  }
  assert.throws(() => readBerkeleyDbValues(bdb), { code: 'RPMDB_CORRUPT', message: /used twice|not an overflow page/ });

  // An NDB slot whose blob lies beyond the end of the file.
  const ndb = Buffer.from(sle15Ndb());
  ndb.writeUInt32LE(0x7fffffff, 32 + 8);
  assert.throws(() => readNdbBlobs(ndb), { code: 'RPMDB_CORRUPT', message: /outside the file/ });

  // A header whose only string has no terminating NUL.
  const header = Buffer.alloc(8 + 16 + 4);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(4, 4);
  header.writeInt32BE(1000, 8);
  header.writeUInt32BE(6, 12);
  header.writeInt32BE(0, 16);
  header.writeUInt32BE(1, 20);
  header.write('abcd', 24, 'latin1');
  assert.throws(() => parseRpmHeader(header), { code: 'RPMDB_CORRUPT', message: /runs past the data/ });
  header[27] = 0;
  assert.equal(readRpmPackage(header).Name, 'abc');

  // Entries may not share or overlap data: otherwise thousands of string arrays could each rescan
  // the whole store and a small header would take quadratic time.
  const overlapping = Buffer.alloc(8 + 2 * 16 + 4);
  overlapping.writeUInt32BE(2, 0);
  overlapping.writeUInt32BE(4, 4);
  for (const [i, tag] of [1117, 1118].entries()) {
    overlapping.writeInt32BE(tag, 8 + i * 16);
    overlapping.writeUInt32BE(8, 8 + i * 16 + 4);
    overlapping.writeInt32BE(0, 8 + i * 16 + 8);
    overlapping.writeUInt32BE(4, 8 + i * 16 + 12);
  }
  assert.throws(() => parseRpmHeader(overlapping), { code: 'RPMDB_CORRUPT', message: /tag 1118 has bad offset 0/ });
});
