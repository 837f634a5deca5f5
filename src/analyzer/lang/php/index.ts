export { composerAnalyzer, composerVendorAnalyzer } from './analyzers.ts';
export { parseComposerLock } from './composer-lock.ts';
