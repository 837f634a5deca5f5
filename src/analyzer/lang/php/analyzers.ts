import type { Analyzer, AnalyzerContext, Application, CollectedFiles } from '../../types.ts';
import { buildApplication, type ParsedPackages } from '../application.ts';
import { asRecord, asStringMap } from '../document-values.ts';
import {
  analysisResult,
  baseName,
  dirName,
  INSTALLED_SCANS,
  joinPath,
  LOCK_FILE_SCANS,
  lockFileAnalyzer,
  parseWarning,
  readText,
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
export const composerAnalyzer: Analyzer = {
  type: 'composer',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => baseName(path) === 'composer.lock' || baseName(path) === 'composer.json',
  analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
    const applications: Application[] = [];
    const warnings: string[] = [];
    const available = new Set(files.paths());
    for (const path of [...available].sort()) {
      if (baseName(path) !== 'composer.lock') continue;
      let parsed: ParsedPackages;
      try {
        parsed = parseComposerLock(await readText(files, path));
      } catch (error) {
        warnings.push(parseWarning(path, error));
        continue;
      }
      const manifest = joinPath(dirName(path), 'composer.json');
      if (available.has(manifest)) {
        try {
          const direct = requiredNames(await readText(files, manifest));
          for (const pkg of parsed.packages) pkg.Relationship = direct.has(pkg.Name) ? 'direct' : 'indirect';
        } catch (error) {
          warnings.push(`${manifest}: direct dependencies not identified: ${String(error)}`);
        }
      }
      const app = buildApplication('composer', path, parsed, context);
      if (app) applications.push(app);
    }
    return analysisResult(applications, warnings);
  },
};

/** Installed Composer packages (`vendor/composer/installed.json`) in `rootfs` and `image` scans. */
export const composerVendorAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'composer-vendor',
  version: 1,
  scanKinds: INSTALLED_SCANS,
  required: (path) => path === 'vendor/composer/installed.json' || path.endsWith('/vendor/composer/installed.json'),
  parse: (text) => parseComposerLock(text),
});
