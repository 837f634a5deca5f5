export { DEFAULT_ZIP_LIMITS, looksLikeZip, ZipArchive, type ZipEntry, type ZipLimits, zipError } from './zip.ts';
