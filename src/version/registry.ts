import { ApkScheme } from './apk.ts';
import { BitnamiScheme } from './bitnami.ts';
import { DebianScheme } from './deb.ts';
import { GenericScheme } from './generic.ts';
import { MavenScheme } from './maven.ts';
import { NpmScheme } from './npm.ts';
import { Pep440Scheme } from './pep440.ts';
import { RpmScheme } from './rpm.ts';
import { RubyGemsScheme } from './rubygems.ts';
import { SemverScheme } from './semver.ts';
import type { SchemeName, VersionScheme } from './types.ts';

/** Every scheme by name. Schemes hold no state, so one instance of each serves all callers. */
const SCHEMES: Readonly<Record<SchemeName, VersionScheme>> = {
  deb: new DebianScheme(),
  rpm: new RpmScheme(),
  apk: new ApkScheme(),
  npm: new NpmScheme(),
  pep440: new Pep440Scheme(),
  maven: new MavenScheme(),
  rubygems: new RubyGemsScheme(),
  generic: new GenericScheme(),
  semver: new SemverScheme(),
  bitnami: new BitnamiScheme(),
};

export const SCHEME_NAMES: readonly SchemeName[] = Object.keys(SCHEMES) as SchemeName[];

export function versionScheme(name: SchemeName): VersionScheme {
  return SCHEMES[name];
}

export function isSchemeName(value: string): value is SchemeName {
  return Object.hasOwn(SCHEMES, value);
}
