import { VigilError } from '../../../errors/index.ts';
import { type ElfSymbol, type ExecutableImage, elfSymbols, openExecutable } from '../../executable/index.ts';
import type { Package } from '../../types.ts';
import { type Dependency, packageId } from '../application.ts';
import { ERR_UNRECOGNIZED_EXE, readRawBuildInfoFromImage } from './buildinfo.ts';
import { isPseudoVersion } from './go-semver.ts';
import { isSemverLike, splitShellWords, VersionCandidates, versionFromLdflags } from './ldflags.ts';
import { type GoBuildInfo, parseModInfo } from './modinfo.ts';

/**
 * Go binaries as Trivy's gobinary parser reports them: the `stdlib` package at the toolchain
 * version, every dependency (replacements applied), and the main module as the root that
 * depends on all of them, its version recovered from `-ldflags -X` or ELF `.str` symbols when
 * the build info only says `(devel)` or a pseudo-version.
 */
export interface GoBinaryPackages {
  packages: Package[];
  dependencies: Dependency[];
  buildInfo: GoBuildInfo;
}

/** `go1.22.3 X:boringcrypto`, `go1.26.0-X:nodwarf5`, `go1.26.5 (Red Hat …)` → `v1.22.3` and friends. */
export function stdlibVersion(goVersion: string): string {
  let version = goVersion.startsWith('go') ? goVersion.slice(2) : goVersion;
  version = version.split(' ')[0] ?? '';
  const experiment = version.indexOf('-X:');
  if (experiment !== -1) version = version.slice(0, experiment);
  return `v${version}`;
}

/** Trivy drops `(devel)`: it is no version. */
function checkedVersion(version: string): string {
  return version === '(devel)' ? '' : version;
}

/**
 * The main module's version: the build info's own unless it is empty or a pseudo-version, in
 * which case an `-ldflags` version wins over an ELF-symbol one.
 */
export function chooseMainVersion(version: string, ldflagsVersion: string, elfVersion: string): string {
  if (version !== '' && !isPseudoVersion(version)) return version;
  if (ldflagsVersion !== '') return ldflagsVersion;
  if (elfVersion !== '') return elfVersion;
  return version;
}

function symbolString(image: ExecutableImage, symbol: ElfSymbol): string {
  const section = image.sections[symbol.sectionIndex];
  if (!section || symbol.size > 4096 || section.fileSize === 0) return '';
  const offset = symbol.value - section.address;
  if (offset < 0 || offset + symbol.size > section.fileSize) return '';
  const at = section.fileOffset + offset;
  if (at + symbol.size > image.data.length) return '';
  return image.data.toString('utf8', at, at + symbol.size).replace(/\0+$/, '');
}

/**
 * The version set with `-X` that survives in the symbol table as `<key>.str` when `-trimpath`
 * kept `-ldflags` out of the build info (unstripped ELF only).
 */
export function elfSymbolVersion(image: ExecutableImage, moduleName: string): string {
  if (image.format !== 'elf') return '';
  let symbols: ElfSymbol[];
  try {
    symbols = elfSymbols(image);
  } catch {
    return '';
  }
  const candidates = new VersionCandidates(moduleName);
  for (const symbol of symbols) {
    if (!symbol.name.endsWith('.str') || symbol.size === 0) continue;
    const key = symbol.name.slice(0, -4);
    const lower = key.toLowerCase();
    if (!lower.endsWith('.version') && !lower.endsWith('.ver')) continue;
    const value = symbolString(image, symbol);
    if (value === '' || !isSemverLike(value)) continue;
    candidates.add(key, value);
  }
  return candidates.choose();
}

function ldflagsOf(info: GoBuildInfo): string[] {
  const setting = info.settings.find((s) => s.key === '-ldflags');
  return setting ? (splitShellWords(setting.value) ?? []) : [];
}

const comparePackages = (a: Package, b: Package): number => {
  const rank = (p: Package) => (p.Relationship === 'root' ? 0 : p.Relationship === 'direct' ? 1 : 2);
  return rank(a) - rank(b) || (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0);
};

/** Parses a Go binary (ELF, PE or Mach-O); throws Trivy's two errors for non-binaries and non-Go binaries. */
export function parseGoBinary(data: Buffer): GoBinaryPackages {
  let image: ExecutableImage;
  try {
    image = openExecutable(data);
  } catch (error) {
    throw new VigilError('GO_UNRECOGNIZED_EXE', ERR_UNRECOGNIZED_EXE, { cause: error });
  }
  const raw = readRawBuildInfoFromImage(image);
  const info = parseModInfo(raw.goVersion, raw.modInfo);
  const stdlib = stdlibVersion(info.goVersion);
  const packages: Package[] = [
    { ID: packageId('stdlib', stdlib), Name: 'stdlib', Version: stdlib, Relationship: 'direct' },
  ];
  for (const dep of info.deps) {
    // Old toolchains could list the main module as a dep with an empty path.
    if (dep.path === '') continue;
    const module = dep.replace ?? dep;
    const version = checkedVersion(module.version);
    packages.push({
      ID: packageId(module.path, version),
      Name: module.path,
      Version: version,
      Relationship: 'unknown',
    });
  }
  const dependencies: Dependency[] = [];
  if (info.main.path !== '') {
    const own = checkedVersion(info.main.version);
    let version = own;
    if (own === '' || isPseudoVersion(own)) {
      const ldflagsVersion = versionFromLdflags(info.main.path, ldflagsOf(info));
      const elfVersion = ldflagsVersion === '' ? elfSymbolVersion(image, info.main.path) : '';
      version = chooseMainVersion(own, ldflagsVersion, elfVersion);
    }
    const root: Package = {
      ID: packageId(info.main.path, version),
      Name: info.main.path,
      Version: version,
      Relationship: 'root',
    };
    dependencies.push({ ID: root.ID ?? '', DependsOn: packages.map((p) => p.ID ?? '').sort() });
    packages.push(root);
  }
  return { packages: packages.sort(comparePackages), dependencies, buildInfo: info };
}
