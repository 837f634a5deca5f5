import { VigilError } from '../../errors/index.ts';
import type { OS } from '../types.ts';
import { OsFamily, type OsFamilyName } from './families.ts';
import { fields, scanLines } from './text-lines.ts';
import { unrecognizedOs } from './unrecognized.ts';

/** The first line, as the file holds it (`/etc/alpine-release`: `3.15.4`, `/etc/debian_version`: `buster/sid`). */
function firstLine(text: string, distro: string): string {
  const line = scanLines(text)[0];
  if (line === undefined) throw unrecognizedOs(distro);
  return line;
}

export function parseAlpineRelease(text: string): OS {
  return { Family: OsFamily.Alpine, Name: firstLine(text, 'alpine') };
}

export function parseDebianVersion(text: string): OS {
  return { Family: OsFamily.Debian, Name: firstLine(text, 'debian') };
}

/** `/etc/lsb-release`: only Ubuntu's, where DISTRIB_ID=Ubuntu precedes DISTRIB_RELEASE. */
export function parseLsbRelease(text: string): OS {
  let ubuntu = false;
  for (const line of scanLines(text)) {
    if (line === 'DISTRIB_ID=Ubuntu') ubuntu = true;
    else if (ubuntu && line.startsWith('DISTRIB_RELEASE=')) {
      return { Family: OsFamily.Ubuntu, Name: line.slice('DISTRIB_RELEASE='.length).trim() };
    }
  }
  throw unrecognizedOs('ubuntu');
}

// "<distribution> release <version>", the version being the last "release N…" on the line.
const RELEASE_LINE = /(.*) release (\d[\d.]*)/;

function matchReleaseLine(line: string, distro: string, file: string): { distribution: string; version: string } {
  const match = RELEASE_LINE.exec(line.trim());
  if (!match) throw new VigilError('OS_RELEASE_INVALID', `${distro}: invalid ${file}`);
  return { distribution: (match[1] ?? '').toLowerCase(), version: match[2] ?? '' };
}

const RED_HAT_FAMILY_NAMES: Readonly<Record<string, OsFamilyName>> = {
  centos: OsFamily.CentOS,
  'centos linux': OsFamily.CentOS,
  'centos stream': OsFamily.CentOSStream,
  rocky: OsFamily.Rocky,
  'rocky linux': OsFamily.Rocky,
  alma: OsFamily.Alma,
  almalinux: OsFamily.Alma,
  'alma linux': OsFamily.Alma,
  oracle: OsFamily.Oracle,
  'oracle linux': OsFamily.Oracle,
  'oracle linux server': OsFamily.Oracle,
  fedora: OsFamily.Fedora,
  'fedora linux': OsFamily.Fedora,
};

/** The RHEL release each OpenShift CoreOS line is built on (Red Hat article 6907891), newest first. */
const COREOS_RHEL: readonly (readonly [readonly [number, number, number], string])[] = [
  [[4, 16, 0], '9.4'],
  [[4, 13, 0], '9.2'],
  [[4, 11, 0], '8.6'],
  [[4, 7, 24], '8.4'],
  [[4, 7, 0], '8.3'],
];

function rhelOfCoreOs(version: string): string {
  const parts = version.split('.', 3).map((part) => (/^\d+$/.test(part) ? Number(part) : 0));
  const [major = 0, minor = 0, patch = 0] = parts;
  for (const [[a, b, c], rhel] of COREOS_RHEL) {
    if (major !== a ? major > a : minor !== b ? minor > b : patch >= c) return rhel;
  }
  return '8.2';
}

/** `/etc/redhat-release`: any Red Hat rebuild names itself here; unknown names are RHEL. */
export function parseRedHatRelease(text: string): OS {
  const line = scanLines(text)[0];
  if (line === undefined) throw unrecognizedOs('redhatbase');
  const { distribution, version } = matchReleaseLine(line, 'redhat', 'redhat-release');
  if (Object.hasOwn(RED_HAT_FAMILY_NAMES, distribution)) {
    return { Family: RED_HAT_FAMILY_NAMES[distribution] as OsFamilyName, Name: version };
  }
  if (distribution === 'red hat enterprise linux coreos')
    return { Family: OsFamily.RedHat, Name: rhelOfCoreOs(version) };
  return { Family: OsFamily.RedHat, Name: version };
}

/**
 * A distro's own `*-release` file: the first line whose distribution name `pick` accepts counts;
 * a line that is not a release line at all makes the file invalid, as in Trivy.
 */
function parseOwnRelease(
  text: string,
  distro: string,
  file: string,
  pick: (named: OsFamilyName | undefined) => OsFamilyName | undefined,
): OS {
  for (const line of scanLines(text)) {
    const { distribution, version } = matchReleaseLine(line, distro, file);
    const family = pick(
      Object.hasOwn(RED_HAT_FAMILY_NAMES, distribution) ? RED_HAT_FAMILY_NAMES[distribution] : undefined,
    );
    if (family !== undefined) return { Family: family, Name: version };
  }
  throw unrecognizedOs(distro);
}

const only = (wanted: OsFamilyName) => (named: OsFamilyName | undefined) => (named === wanted ? wanted : undefined);

export const parseCentOsRelease = (text: string): OS =>
  parseOwnRelease(text, 'centos', 'centos-release', (named) =>
    named === OsFamily.CentOS || named === OsFamily.CentOSStream ? named : undefined,
  );
export const parseRockyRelease = (text: string): OS =>
  parseOwnRelease(text, 'rocky', 'rocky-release', only(OsFamily.Rocky));
export const parseAlmaRelease = (text: string): OS =>
  parseOwnRelease(text, 'alma', 'almalinux-release', only(OsFamily.Alma));
export const parseFedoraRelease = (text: string): OS =>
  parseOwnRelease(text, 'fedora', 'fedora-release', only(OsFamily.Fedora));
/** Oracle's file is trusted whatever distribution name it carries. */
export const parseOracleRelease = (text: string): OS =>
  parseOwnRelease(text, 'oracle', 'oracle-release', () => OsFamily.Oracle);

/** `/etc/system-release` of Amazon Linux: `AMI release 2018.03`, `2 (Karoo)`, `2023 (Amazon Linux)`. */
export function parseAmazonRelease(text: string): OS {
  for (const line of scanLines(text)) {
    const words = fields(line);
    if (line.startsWith('Amazon Linux release 2')) {
      // Amazon Linux 2 without its code name is not a release line Trivy accepts.
      if (words.length < 5) continue;
      return { Family: OsFamily.Amazon, Name: words.slice(3).join(' ') };
    }
    if (line.startsWith('Amazon Linux')) return { Family: OsFamily.Amazon, Name: words.slice(2).join(' ') };
  }
  throw unrecognizedOs('amazon');
}

/** `/etc/mariner-release`: `CBL-Mariner 2.0.20220226`. */
export function parseMarinerRelease(text: string): OS {
  for (const line of scanLines(text)) {
    const words = fields(line);
    if (words.length === 2 && words[0]?.toLowerCase() === 'cbl-mariner') {
      return { Family: OsFamily.CBLMariner, Name: words[1] ?? '' };
    }
  }
  throw unrecognizedOs('cbl-mariner');
}

/** Echo images carry `/etc/echo-release`; its presence is the signal, versions are not tracked. */
export function parseEchoRelease(): OS {
  return { Family: OsFamily.Echo, Name: '' };
}
