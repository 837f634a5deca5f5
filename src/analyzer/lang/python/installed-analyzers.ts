import { DEFAULT_ZIP_LIMITS, ZipArchive } from '../../../archive/zip/index.ts';
import type { Analyzer, AnalyzerContext, Application, CollectedFiles, Package } from '../../types.ts';
import { buildApplication } from '../application.ts';
import { classifyLicenseText, isLicenseFileName } from '../license-text.ts';
import {
  analysisResult,
  baseName,
  dirName,
  EVERY_SCAN,
  INSTALLED_SCANS,
  joinPath,
  lockFileAnalyzer,
  parseWarning,
  readText,
} from '../lock-file-analyzer.ts';
import { parsePackageMetadata } from './package-metadata.ts';

const METADATA_SUFFIXES = [
  '.egg-info',
  '.egg-info/PKG-INFO',
  '.egg-info/METADATA',
  '.egg/EGG-INFO/PKG-INFO',
  '.dist-info/METADATA',
];

const isMetadataFile = (path: string) => METADATA_SUFFIXES.some((suffix) => path.endsWith(suffix));

/** A licence file inside a `.dist-info` directory (its `licenses/` folder included). */
function isDistInfoLicense(path: string): boolean {
  const dirs = dirName(path).split('/');
  const inDistInfo =
    dirs.at(-1)?.endsWith('.dist-info') || (dirs.at(-1) === 'licenses' && dirs.at(-2)?.endsWith('.dist-info'));
  return inDistInfo === true && isLicenseFileName(baseName(path));
}

/**
 * Replaces a `file://<License-File>` licence with the licence named by that file's text, looked
 * up with `read` (which answers undefined for a missing file); an unrecognised file gives none.
 */
async function resolveLicenseFiles(
  pkg: Package,
  candidates: (file: string) => string[],
  read: (path: string) => Promise<string | undefined>,
): Promise<void> {
  const licenses: string[] = [];
  for (const license of pkg.Licenses ?? []) {
    if (!license.startsWith('file://')) {
      licenses.push(license);
      continue;
    }
    for (const candidate of candidates(license.slice('file://'.length))) {
      const text = await read(candidate);
      if (text === undefined) continue;
      licenses.push(...classifyLicenseText(text));
      break;
    }
  }
  pkg.Licenses = licenses;
}

/** Installed distributions (`*.dist-info/METADATA`, `*.egg-info`) in `rootfs` and `image` scans. */
export const pythonPackageAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'python-pkg',
  version: 1,
  scanKinds: INSTALLED_SCANS,
  required: (path) => isMetadataFile(path) || isDistInfoLicense(path),
  parses: isMetadataFile,
  parse: (text, path) => ({ packages: [{ ...parsePackageMetadata(text), FilePath: path }] }),
  enrich: async (parsed, { path, files, available }) => {
    const dir = dirName(path);
    for (const pkg of parsed.packages) {
      await resolveLicenseFiles(
        pkg,
        (file) => [joinPath(dir, file), joinPath(dir, `licenses/${file}`), joinPath(dir, baseName(file))],
        async (candidate) => (available.has(candidate) ? readText(files, candidate) : undefined),
      );
    }
    return parsed;
  },
  summarizeWarningsAs: 'Python metadata file(s)',
});

const EGG_METADATA = 'EGG-INFO/PKG-INFO';
const EGG_ZIP_LIMITS = { ...DEFAULT_ZIP_LIMITS, maxEntries: 100_000, maxEntrySize: 16 * 1024 * 1024 };

/** Zipped `.egg` distributions; Trivy reads them in every kind of scan. */
export const pythonEggAnalyzer: Analyzer = {
  type: 'python-egg',
  version: 1,
  scanKinds: EVERY_SCAN,
  required: (path) => path.endsWith('.egg'),
  analyze: async (files: CollectedFiles, context: AnalyzerContext) => {
    const applications: Application[] = [];
    const warnings: string[] = [];
    for (const path of [...files.paths()].sort()) {
      try {
        const zip = new ZipArchive(await files.read(path), EGG_ZIP_LIMITS);
        const member = zip.find(EGG_METADATA);
        if (!member) continue;
        const pkg = parsePackageMetadata(zip.read(member).toString('utf8'));
        await resolveLicenseFiles(
          pkg,
          (file) => [file, `EGG-INFO/${baseName(file)}`],
          async (candidate) => {
            const found = zip.find(candidate);
            return found ? zip.read(found, 1024 * 1024).toString('utf8') : undefined;
          },
        );
        const app = buildApplication('python-pkg', path, { packages: [{ ...pkg, FilePath: path }] }, context);
        if (app) applications.push(app);
      } catch (error) {
        warnings.push(parseWarning(path, error));
      }
    }
    return analysisResult(applications, warnings);
  },
};
