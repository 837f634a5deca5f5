export { bundlerAnalyzer, gemspecAnalyzer } from './analyzers.ts';
export { parseGemfileLock } from './gemfile-lock.ts';
export { parseGemspec } from './gemspec.ts';
