import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { zstdDecompressSync } from 'node:zlib';
import { fixture } from '../trivy-goldens.ts';

export const ECO = 'rust-binary';
export const PARSER = 'pkg/dependency/parser/rust/binary/';

/** SHA-1 of the upstream binaries, stored here zstd-compressed (see SOURCES.md). */
export const RUST_BINARY_SHA1: Readonly<Record<string, string>> = {
  'test.elf': '19414081e5eee3399d0d9f15d2648be2c52aba38',
  'test.exe': '056bfb42caa4c04206d80f0f9d848d0dd8177467',
  'test.macho': '8a64dd4c4f44e426590face5230270ca326ec6eb',
};

/** An upstream Rust binary fixture by its upstream name, byte for byte. */
export function readRustBinary(upstreamName: string): Buffer {
  const name = upstreamName.replace(/^testdata\//, '');
  const sha1 = RUST_BINARY_SHA1[name];
  if (!sha1) return readFileSync(fixture(ECO, `${PARSER}testdata/${name}`));
  const data = zstdDecompressSync(readFileSync(fixture(ECO, `${PARSER}testdata/${name}.zst`)));
  assert.equal(createHash('sha1').update(data).digest('hex'), sha1, name);
  return data;
}
