import type { Package } from '../../types.ts';
import { type ParsedPackages, packageId } from '../application.ts';
import { asRecord, asString } from '../document-values.ts';
import { parseYamlText } from '../yaml-document.ts';

export interface PubspecLockOptions {
  /** Give Flutter SDK packages (version 0.0.0) the lowest Flutter version the lock allows. */
  useMinVersion?: boolean;
}

/** The lowest version a constraint such as `^3.3.0` or `>=3.3.0 <4.0.0` allows. */
function minimumVersion(constraint: string): string {
  return /\d+(\.\d+)*(-[0-9A-Za-z.-]+)?/.exec(constraint)?.[0] ?? '';
}

/**
 * pubspec.lock: every package (dev ones included: pub cannot tell transitive dev from
 * transitive main), `direct …` direct and `transitive` indirect. YAML scalars are read as text.
 */
export function parsePubspecLock(text: string, options: PubspecLockOptions = {}): ParsedPackages {
  let document: unknown;
  try {
    document = parseYamlText(text);
  } catch (error) {
    throw new SyntaxError(`failed to decode pubspec.lock: ${(error as Error).message}`);
  }
  const lock = asRecord(document);
  if (document !== null && document !== undefined && !lock) throw new SyntaxError('failed to decode pubspec.lock');
  const flutter = minimumVersion(asString(asRecord(lock?.sdks)?.flutter) ?? '');
  const packages: Package[] = [];
  for (const [name, entry] of Object.entries(asRecord(lock?.packages) ?? {})) {
    const dep = asRecord(entry) ?? {};
    let version = asString(dep.version) ?? '';
    if (options.useMinVersion && dep.source === 'sdk' && dep.description === 'flutter' && flutter !== '') {
      version = flutter;
    }
    packages.push({
      ID: packageId(name, version),
      Name: name,
      Version: version,
      Relationship: dep.dependency === 'transitive' ? 'indirect' : 'direct',
    });
  }
  return { packages };
}
