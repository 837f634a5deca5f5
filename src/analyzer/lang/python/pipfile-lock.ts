import type { Package } from '../../types.ts';
import type { ParsedPackages } from '../application.ts';
import { asRecord, asString } from '../document-values.ts';
import { parseLocatedJson } from '../located-json.ts';

/** Pipfile.lock: the `default` section (development packages are not reported), `==` dropped. */
export function parsePipfileLock(text: string): ParsedPackages {
  const json = parseLocatedJson(text);
  const lock = asRecord(json.value);
  if (!lock) throw new SyntaxError('failed to decode Pipfile.lock: not a JSON object');
  const packages: Package[] = [];
  for (const [name, entry] of Object.entries(asRecord(lock.default) ?? {})) {
    const dependency = asRecord(entry);
    if (!dependency) continue;
    const location = json.locationOf(dependency);
    packages.push({
      Name: name,
      Version: (asString(dependency.version) ?? '').replace(/^=+/, ''),
      Locations: location ? [location] : [],
    });
  }
  return { packages };
}
