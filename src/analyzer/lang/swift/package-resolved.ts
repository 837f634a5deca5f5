import type { Package } from '../../types.ts';
import { comparePackages, type ParsedPackages, packageId } from '../application.ts';
import { asArray, asRecord, asString } from '../document-values.ts';
import { parseLocatedJson } from '../located-json.ts';

/**
 * Package.resolved (SwiftPM v1 `object.pins[].repositoryURL`, v2/v3 `pins[].location`): one
 * package per pin, named by its repository URL without `https://` and `.git`, versioned by the
 * pinned version or else the branch; pins with neither are skipped.
 */
export function parsePackageResolved(text: string): ParsedPackages {
  let json: ReturnType<typeof parseLocatedJson>;
  try {
    json = parseLocatedJson(text);
  } catch (error) {
    throw new SyntaxError(`decode error: ${(error as Error).message}`);
  }
  const document = asRecord(json.value);
  if (!document) throw new SyntaxError('decode error: not a JSON object');
  const lockVersion = typeof document.version === 'number' ? document.version : 0;
  const pins = lockVersion > 1 ? asArray(document.pins) : asArray(asRecord(document.object)?.pins);
  const packages: Package[] = [];
  for (const entry of pins ?? []) {
    const pin = asRecord(entry);
    if (!pin) continue;
    const url = asString(lockVersion > 1 ? pin.location : pin.repositoryURL) ?? '';
    const name = url.replace(/^https:\/\//, '').replace(/\.git$/, '');
    const state = asRecord(pin.state) ?? {};
    const version = asString(state.version) || asString(state.branch) || '';
    if (version === '') continue;
    const location = json.locationOf(pin);
    packages.push({
      ID: packageId(name, version),
      Name: name,
      Version: version,
      Locations: location ? [location] : [],
    });
  }
  return { packages: packages.sort(comparePackages) };
}
