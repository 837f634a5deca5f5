export type { FindingFilters } from './findings-filter.ts';
export { filterResults } from './findings-filter.ts';
export type { IgnoreRule } from './ignore-file.ts';
export { loadIgnoreFile, parseTextIgnore } from './ignore-file.ts';
