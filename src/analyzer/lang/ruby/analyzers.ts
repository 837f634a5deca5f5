import type { Analyzer } from '../../types.ts';
import { baseName, INSTALLED_SCANS, LOCK_FILE_SCANS, lockFileAnalyzer } from '../lock-file-analyzer.ts';
import { parseGemfileLock } from './gemfile-lock.ts';
import { parseGemspec } from './gemspec.ts';

export const bundlerAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'bundler',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => baseName(path) === 'Gemfile.lock',
  parse: (text) => parseGemfileLock(text),
});

const SPECIFICATION = /.*\/specifications\/.+\.gemspec/;

/** Installed gems (RubyGems' `specifications/*.gemspec`) in `rootfs` and `image` scans. */
export const gemspecAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'gemspec',
  version: 1,
  scanKinds: INSTALLED_SCANS,
  required: (path) => SPECIFICATION.test(path),
  parse: (text, path) => ({ packages: [{ ...parseGemspec(text), FilePath: path }] }),
});
