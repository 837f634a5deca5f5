export { DEFAULT_ZIP_LIMITS, type ZipEntry, type ZipLimits } from './central-directory.ts';
export { ZipArchive } from './zip-archive.ts';
export { openZipFile, type ZipFile } from './zip-file.ts';
