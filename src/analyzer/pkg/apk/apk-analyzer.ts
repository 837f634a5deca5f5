import type { AnalysisResult, Analyzer, CollectedFiles } from '../../types.ts';
import { parseApkInstalled } from './apk-installed.ts';

/** apk's database: `lib/apk/db/installed`, or `usr/lib/apk/db/installed` since apk-tools 3. */
export const APK_INSTALLED_PATHS = ['lib/apk/db/installed', 'usr/lib/apk/db/installed'] as const;

export const apkAnalyzer: Analyzer = {
  type: 'apk',
  version: 1,
  scanKinds: ['rootfs', 'image'],
  required: (path) => (APK_INSTALLED_PATHS as readonly string[]).includes(path),
  analyze: async (files: CollectedFiles): Promise<AnalysisResult> => {
    const result: AnalysisResult = { PackageInfos: [] };
    const warnings: string[] = [];
    for (const path of [...files.paths()].sort()) {
      const parsed = parseApkInstalled((await files.read(path)).toString('utf8'));
      result.PackageInfos?.push({ FilePath: path, Packages: parsed.packages });
      warnings.push(...parsed.warnings.map((warning) => `${path}: ${warning}`));
    }
    if (warnings.length > 0) result.Warnings = warnings;
    return result;
  },
};
