export { pubAnalyzer } from './pub-analyzer.ts';
export { type PubspecLockOptions, parsePubspecLock } from './pubspec-lock.ts';
