export {
  DEFAULT_ZIP_LIMITS,
  looksLikeZip,
  type ZipEntry,
  type ZipLimits,
  zipError,
} from './central-directory.ts';
export { ZipArchive } from './zip-archive.ts';
export { openZipFile, type ZipFile } from './zip-file.ts';
