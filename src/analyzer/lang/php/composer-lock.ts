import type { Package } from '../../types.ts';
import { comparePackages, type Dependency, type ParsedPackages, packageId } from '../application.ts';
import { asArray, asRecord, asString, asStringMap } from '../document-values.ts';
import { splitLicenses } from '../license-text.ts';
import { parseLocatedJson } from '../located-json.ts';

/** `license`: one string (possibly `A or B`) or a list of strings. */
function composerLicenses(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : splitLicenses(value);
  return (asArray(value) ?? []).filter((entry): entry is string => typeof entry === 'string');
}

/**
 * composer.lock and vendor/composer/installed.json (Composer 2's `{packages: […]}` or
 * Composer 1's bare list): packages with licences and locations, `packages-dev` flagged dev,
 * `require` edges resolved by name (the PHP runtime and `ext*` extensions left out).
 */
export function parseComposerLock(text: string): ParsedPackages {
  let json: ReturnType<typeof parseLocatedJson>;
  try {
    json = parseLocatedJson(text);
  } catch (error) {
    throw new SyntaxError(`decode error: ${(error as Error).message}`);
  }
  const document = json.value;
  const sections: [unknown, boolean][] = Array.isArray(document)
    ? [[document, false]]
    : [
        [asRecord(document)?.packages, false],
        [asRecord(document)?.['packages-dev'], true],
      ];
  if (!Array.isArray(document) && !asRecord(document)) throw new SyntaxError('decode error: not a JSON object');
  const byName = new Map<string, Package>();
  const requires = new Map<string, string[]>();
  for (const [section, dev] of sections) {
    for (const entry of asArray(section) ?? []) {
      const info = asRecord(entry);
      if (!info) continue;
      const name = asString(info.name) ?? '';
      const version = asString(info.version) ?? '';
      const id = packageId(name, version);
      const location = json.locationOf(info);
      byName.set(name, {
        ID: id,
        Name: name,
        Version: version,
        Dev: dev,
        Relationship: 'unknown',
        Licenses: composerLicenses(info.license),
        Locations: location ? [location] : [],
      });
      const names = [...asStringMap(info.require).keys()].filter((dep) => dep !== 'php' && !dep.startsWith('ext'));
      if (names.length > 0) requires.set(id, names);
    }
  }
  const dependencies: Dependency[] = [];
  for (const [id, names] of requires) {
    const dependsOn = names.flatMap((name) => {
      const found = byName.get(name);
      return found ? [found.ID ?? ''] : [];
    });
    dependencies.push({ ID: id, DependsOn: dependsOn.sort() });
  }
  return { packages: [...byName.values()].sort(comparePackages), dependencies };
}
