import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { zstdDecompressSync } from 'node:zlib';
import { fixture } from '../trivy-goldens.ts';

export const ECO = 'golang';
export const PARSER = 'pkg/dependency/parser/golang/';
export const ANALYZER = 'pkg/fanal/analyzer/language/golang/';

/**
 * Upstream binaries are stored zstd-compressed (`<name>.zst`) to keep the repository small;
 * SOURCES.md lists the SHA-1 of each original, which `readBinaryFixture` checks.
 */
export const BINARY_SHA1: Readonly<Record<string, string>> = {
  'test.elf': '53371297c93cac39ead0cc060b8c9d6165968b96',
  'test.exe': '7a486013ca92f045ab87d5d79cea6d80a0c2e67c',
  'test.macho': '8df69ae6d55beede253a89c336effb8be8112eb9',
  'semver-main-module-version.macho': 'cbc33f92e8c5840b10b492bdbaef3093496652f7',
  'main-version-via-ldflags.elf': 'dfa495d20251e3558823b0cafc8e99d23d5da19b',
  goexperiment: '842cb4ace83dd62d5aa64265d28d96832eb4bf5c',
};

/** An upstream Go binary fixture by its upstream name (`testdata/test.elf`), byte for byte. */
export function readBinaryFixture(upstreamName: string): Buffer {
  const name = upstreamName.replace(/^testdata\//, '');
  const sha1 = BINARY_SHA1[name];
  if (!sha1) return readFileSync(fixture(ECO, `${PARSER}binary/testdata/${name}`));
  const data = zstdDecompressSync(readFileSync(fixture(ECO, `${PARSER}binary/testdata/${name}.zst`)));
  const got = createHash('sha1').update(data).digest('hex');
  if (got !== sha1) throw new Error(`${name}: decompressed SHA-1 ${got}, want ${sha1}`);
  return data;
}
