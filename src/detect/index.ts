export { createDetector, type DetectorOptions } from './detector.ts';
export { primaryUrl } from './enrich.ts';
export { OS_DRIVERS } from './os/registry.ts';
export { AUTO_SEVERITY_SOURCE, parseSeveritySources, SEVERITY_SOURCE_IDS } from './severity-sources.ts';
export type {
  DetectablePackage,
  Detector,
  OsDetection,
  PackageRepository,
  RedHatBuildInfo,
} from './types.ts';
