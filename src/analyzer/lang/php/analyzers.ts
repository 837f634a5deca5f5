import type { Analyzer } from '../../types.ts';
import { asRecord, asStringMap } from '../document-values.ts';
import {
  baseName,
  fromManifestBeside,
  INSTALLED_SCANS,
  LOCK_FILE_SCANS,
  lockFileAnalyzer,
} from '../lock-file-analyzer.ts';
import { parseComposerLock } from './composer-lock.ts';

/** Names required by a composer.json (`require` and `require-dev`). */
function requiredNames(text: string): Set<string> {
  const json = asRecord(JSON.parse(text));
  if (!json) throw new SyntaxError('composer.json is not an object');
  return new Set([...asStringMap(json.require).keys(), ...asStringMap(json['require-dev']).keys()]);
}

/**
 * composer.lock in `fs` scans; the composer.json beside it tells direct from indirect. Without a
 * readable composer.json every package stays unclassified.
 */
export const composerAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'composer',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => baseName(path) === 'composer.lock' || baseName(path) === 'composer.json',
  parses: (path) => baseName(path) === 'composer.lock',
  parse: (text) => parseComposerLock(text),
  enrich: fromManifestBeside('composer.json', (parsed, manifest) => {
    const direct = requiredNames(manifest);
    for (const pkg of parsed.packages) pkg.Relationship = direct.has(pkg.Name) ? 'direct' : 'indirect';
    return parsed;
  }),
});

/** Installed Composer packages (`vendor/composer/installed.json`) in `rootfs` and `image` scans. */
export const composerVendorAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'composer-vendor',
  version: 1,
  scanKinds: INSTALLED_SCANS,
  required: (path) => path === 'vendor/composer/installed.json' || path.endsWith('/vendor/composer/installed.json'),
  parse: (text) => parseComposerLock(text),
});
