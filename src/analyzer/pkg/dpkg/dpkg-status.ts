import type { Package } from '../../types.ts';
import { parseControlParagraphs } from './control-stanzas.ts';
import { splitDebianVersion } from './debian-version.ts';

export interface DpkgStatusOptions {
  /** `name@version` → `sha256:…`, from the `available` file. */
  digests?: ReadonlyMap<string, string>;
  /**
   * Skip paragraphs without a Status field, as dpkg does in its `status` file. Distroless
   * `status.d/` files never carry one, so there (and in Trivy everywhere) they count as installed.
   */
  requireStatus?: boolean;
}

export interface DpkgPackages {
  packages: Package[];
  /** Paragraphs skipped for being malformed or carrying versions that are not Debian versions. */
  warnings: string[];
}

// dpkg states in which a package's files are on disk; `config-files`, `not-installed` and
// `half-installed` are not. Trivy keeps anything not marked deinstall/purge, which counts removed
// packages whose config files remain and drops ones marked for removal but still installed.
const PRESENT_STATES = new Set(['installed', 'unpacked', 'half-configured', 'triggers-awaited', 'triggers-pending']);

function isPresent(status: string | undefined, requireStatus: boolean): boolean {
  if (status === undefined || status.trim() === '') return !requireStatus;
  const state = status.trim().split(/\s+/)[2];
  return state !== undefined && PRESENT_STATES.has(state);
}

// "Source: name" or "Source: name (version)" when the source version differs (binNMUs).
const SOURCE_FIELD = /^(\S*)(?: \((.*)\))?/;

/** The package names a Depends field mentions, alternatives included, versions dropped, each once. */
function dependedNames(depends: string): string[] {
  const names: string[] = [];
  for (const clause of depends.split(',')) {
    for (const alternative of clause.split('|')) {
      const name = (alternative.split('(')[0] ?? '').trim();
      if (!names.includes(name)) names.push(name);
    }
  }
  return names;
}

/**
 * Installed packages from a dpkg `status` file or one distroless `status.d/` file, as Trivy
 * reports them: Version/Release/Epoch split from the Debian version, the source package and its
 * version (which differs for binNMUs), ID `name@version`, and DependsOn from the Depends field
 * resolved to the IDs of packages installed in the same file.
 */
export function parseDpkgStatus(text: string, options: DpkgStatusOptions = {}): DpkgPackages {
  const { paragraphs, malformed } = parseControlParagraphs(text);
  const warnings = malformed.map((message) => `skipped a malformed paragraph (${message})`);
  const byId = new Map<string, { pkg: Package; depends: string[] }>();
  const idByName = new Map<string, string>();
  for (const fields of paragraphs) {
    if (!isPresent(fields.get('status'), options.requireStatus ?? false)) continue;
    const name = fields.get('package') ?? '';
    const version = fields.get('version') ?? '';
    if (name === '' || version === '') continue;
    const source = SOURCE_FIELD.exec(fields.get('source') ?? '');
    const srcName = (source?.[1] ?? '').trim() || name;
    const srcVersion = (source?.[2] ?? '').trim() || version;
    const binary = splitDebianVersion(version);
    const origin = splitDebianVersion(srcVersion);
    if (!binary || !origin) {
      warnings.push(`skipped ${name}: invalid version ${binary ? srcVersion : version}`);
      continue;
    }
    const id = `${name}@${version}`;
    const pkg: Package = { ID: id, Name: name, Version: binary.upstream };
    if (binary.revision) pkg.Release = binary.revision;
    if (binary.epoch) pkg.Epoch = binary.epoch;
    const arch = fields.get('architecture');
    if (arch) pkg.Arch = arch;
    pkg.SrcName = srcName;
    pkg.SrcVersion = origin.upstream;
    if (origin.revision) pkg.SrcRelease = origin.revision;
    if (origin.epoch) pkg.SrcEpoch = origin.epoch;
    const maintainer = fields.get('maintainer');
    if (maintainer) pkg.Maintainer = maintainer;
    const digest = options.digests?.get(id);
    if (digest) pkg.Digest = digest;
    byId.set(id, { pkg, depends: dependedNames(fields.get('depends') ?? '') });
    idByName.set(name, id);
  }
  const packages: Package[] = [];
  for (const { pkg, depends } of byId.values()) {
    const ids = depends.flatMap((name) => {
      const id = idByName.get(name);
      return id === undefined ? [] : [id];
    });
    if (ids.length > 0) pkg.DependsOn = ids.sort();
    packages.push(pkg);
  }
  return { packages, warnings };
}
