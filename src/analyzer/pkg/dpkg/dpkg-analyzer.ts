import { describeError } from '../../../errors/index.ts';
import type { AnalysisResult, Analyzer, CollectedFiles, PackageInfo } from '../../types.ts';
import { parseDpkgAvailable, parseDpkgMd5sums } from './dpkg-files.ts';
import { parseDpkgStatus } from './dpkg-status.ts';

export const DPKG_STATUS_PATH = 'var/lib/dpkg/status';
export const DPKG_AVAILABLE_PATH = 'var/lib/dpkg/available';
/** Distroless images keep one control paragraph per package here, next to its `.md5sums`. */
export const DPKG_STATUS_DIR = 'var/lib/dpkg/status.d/';
export const DPKG_INFO_DIR = 'var/lib/dpkg/info/';

const MD5SUMS = '.md5sums';

const directoryOf = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

function isMd5sums(path: string): boolean {
  const dir = directoryOf(path);
  return (dir === DPKG_INFO_DIR || dir === DPKG_STATUS_DIR) && path.endsWith(MD5SUMS);
}

/**
 * dpkg's database in one layer: `status` and each `status.d/*` file become a PackageInfo, the
 * `available` file supplies digests, and `info/*.md5sums` (or `status.d/*.md5sums`) the files each
 * package installed (looked up by name, then by `name:arch` for multi-arch packages).
 */
export const dpkgAnalyzer: Analyzer = {
  type: 'dpkg',
  version: 1,
  scanKinds: ['rootfs', 'image'],
  required: (path) =>
    path === DPKG_STATUS_PATH ||
    path === DPKG_AVAILABLE_PATH ||
    directoryOf(path) === DPKG_STATUS_DIR ||
    isMd5sums(path),
  analyze: async (files: CollectedFiles): Promise<AnalysisResult> => {
    const paths = [...files.paths()].sort();
    const warnings: string[] = [];
    const read = async (path: string) => (await files.read(path)).toString('utf8');
    const digests = paths.includes(DPKG_AVAILABLE_PATH)
      ? parseDpkgAvailable(await read(DPKG_AVAILABLE_PATH))
      : undefined;
    const installedFiles = new Map<string, string[]>();
    const packageInfos: PackageInfo[] = [];
    for (const path of paths) {
      if (path === DPKG_AVAILABLE_PATH) continue;
      if (isMd5sums(path)) {
        try {
          installedFiles.set(baseName(path).slice(0, -MD5SUMS.length), parseDpkgMd5sums(await read(path)));
        } catch (error) {
          warnings.push(`${path}: ${describeError(error)}`);
        }
        continue;
      }
      const parsed = parseDpkgStatus(await read(path), { digests, requireStatus: path === DPKG_STATUS_PATH });
      warnings.push(...parsed.warnings.map((warning) => `${path}: ${warning}`));
      packageInfos.push({ FilePath: path, Packages: parsed.packages });
    }
    for (const info of packageInfos) {
      for (const pkg of info.Packages) {
        const listed = installedFiles.get(pkg.Name) ?? installedFiles.get(`${pkg.Name}:${pkg.Arch ?? ''}`);
        if (listed) pkg.InstalledFiles = listed;
      }
    }
    const result: AnalysisResult = {};
    if (packageInfos.length > 0) result.PackageInfos = packageInfos;
    if (warnings.length > 0) result.Warnings = warnings;
    return result;
  },
};
