/**
 * Trivy's pom package IDs: `group:artifact:version::<hash>`, the hash tying a package to the
 * pom that was scanned, so the same GAV under two modules stays two packages. The hash is
 * mitchellh/hashstructure v2 (FNV-1 64) of `{"gav": …, "path": …}`, cut to 8 hex digits.
 */
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

function fnv1(bytes: Uint8Array): bigint {
  let hash = FNV_OFFSET;
  for (const byte of bytes) {
    hash = (hash * FNV_PRIME) & MASK;
    hash ^= BigInt(byte);
  }
  return hash;
}

function uint64LittleEndian(...values: bigint[]): Uint8Array {
  const out = Buffer.alloc(8 * values.length);
  values.forEach((value, i) => {
    out.writeBigUInt64LE(value, i * 8);
  });
  return out;
}

const hashString = (text: string) => fnv1(Buffer.from(text, 'utf8'));

/** hashstructure v2 of a map of strings: XOR of hash(key, value) pairs, then hashed once more. */
function hashStringMap(map: Readonly<Record<string, string>>): bigint {
  let hash = 0n;
  for (const [key, value] of Object.entries(map)) {
    hash ^= fnv1(uint64LittleEndian(hashString(key), hashString(value)));
  }
  return fnv1(uint64LittleEndian(hash));
}

/** `group:artifact:version`, or `group:artifact` without a version (Trivy's dependency.ID). */
export function mavenGav(name: string, version: string): string {
  return version === '' ? name : `${name}:${version}`;
}

export function pomPackageId(name: string, version: string, pomFilePath: string): string {
  const gav = mavenGav(name, version);
  const hash = hashStringMap({ gav, path: pomFilePath.replaceAll('\\', '/') });
  return `${gav}::${hash.toString(16).slice(0, 8)}`;
}
