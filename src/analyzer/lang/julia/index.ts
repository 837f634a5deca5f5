export { parseJuliaManifest } from './manifest.ts';
export { juliaAnalyzer } from './pkg-analyzer.ts';
