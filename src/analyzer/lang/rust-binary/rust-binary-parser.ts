import { inflateSync } from 'node:zlib';
import { describeError, VigilError } from '../../../errors/index.ts';
import { type ExecutableImage, findSection, openExecutable, sectionBytes } from '../../executable/index.ts';
import type { Package } from '../../types.ts';
import { type Dependency, packageId } from '../application.ts';

/**
 * Crates recorded by cargo-auditable: a zlib-compressed JSON document in the `.dep-v0` section
 * of ELF, PE and Mach-O binaries (`.rust-deps-v0`, `rdep-v0`, `rust-deps-v0` in rust-audit
 * 0.1). Build dependencies are left out, as Trivy (through go-rustaudit) does.
 */
export interface RustBinaryPackages {
  packages: Package[];
  dependencies: Dependency[];
}

export const ERR_UNRECOGNIZED_EXE = 'unrecognized executable format';
export const ERR_NOT_RUST_BINARY = 'non Rust auditable binary';

/** The compressed section is a few kilobytes; its JSON never needs more than this. */
const MAX_JSON = 64 * 1024 * 1024;

const FALLBACK_SECTION: Readonly<Record<ExecutableImage['format'], string>> = {
  elf: '.rust-deps-v0',
  pe: 'rdep-v0',
  macho: 'rust-deps-v0',
};

interface AuditablePackage {
  name: string;
  version: string;
  kind: string;
  root: boolean;
  dependencies: number[];
}

function invalid(message: string): VigilError {
  return new VigilError('RUST_AUDIT_DATA', `invalid cargo-auditable data: ${message}`);
}

function readPackages(json: unknown): AuditablePackage[] {
  if (typeof json !== 'object' || json === null) throw invalid('not a JSON object');
  const list = (json as { packages?: unknown }).packages;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw invalid('"packages" is not a list');
  return list.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null) throw invalid(`package ${index} is not an object`);
    const { name, version, kind, root, dependencies } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || typeof version !== 'string')
      throw invalid(`package ${index} lacks name or version`);
    const deps = dependencies ?? [];
    if (!Array.isArray(deps) || !deps.every((d) => Number.isInteger(d) && d >= 0 && d < list.length)) {
      throw invalid(`package ${index} has bad dependency indexes`);
    }
    return {
      name,
      version,
      kind: typeof kind === 'string' ? kind : 'runtime',
      root: root === true,
      dependencies: deps as number[],
    };
  });
}

/** Parses a binary; throws Trivy's errors for non-executables and binaries without audit data. */
export function parseRustBinary(data: Buffer): RustBinaryPackages {
  let image: ExecutableImage;
  try {
    image = openExecutable(data);
  } catch (error) {
    throw new VigilError('RUST_UNRECOGNIZED_EXE', ERR_UNRECOGNIZED_EXE, { cause: error });
  }
  const section = findSection(image, '.dep-v0') ?? findSection(image, FALLBACK_SECTION[image.format]);
  if (!section) throw new VigilError('RUST_NOT_AUDITABLE', ERR_NOT_RUST_BINARY);
  let json: unknown;
  try {
    const text = inflateSync(sectionBytes(image, section), { maxOutputLength: MAX_JSON }).toString('utf8');
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(describeError(error));
  }
  const all = readPackages(json);
  const packages: Package[] = [];
  const dependencies: Dependency[] = [];
  for (const pkg of all) {
    if (pkg.kind !== 'runtime') continue;
    const id = packageId(pkg.name, pkg.version);
    packages.push({ ID: id, Name: pkg.name, Version: pkg.version, Relationship: pkg.root ? 'root' : 'unknown' });
    const children = pkg.dependencies
      .map((index) => all[index])
      .filter((dep): dep is AuditablePackage => dep !== undefined && dep.kind === 'runtime')
      .map((dep) => packageId(dep.name, dep.version));
    if (children.length > 0) dependencies.push({ ID: id, DependsOn: children });
  }
  return { packages, dependencies };
}
