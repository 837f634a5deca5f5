export { cargoAnalyzer } from './cargo-analyzer.ts';
export { parseCargoLock } from './cargo-lock.ts';
export { type CargoManifest, declaredDependencies, parseCargoManifest } from './cargo-manifest.ts';
export { satisfiesCargoRequirement } from './cargo-requirements.ts';
