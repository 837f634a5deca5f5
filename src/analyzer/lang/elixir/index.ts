import type { Analyzer } from '../../types.ts';
import { baseName, LOCK_FILE_SCANS, lockFileAnalyzer } from '../lock-file-analyzer.ts';
import { parseMixLock } from './mix-lock.ts';

export { parseMixLock };

export const mixAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'mix-lock',
  appType: 'hex',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => baseName(path) === 'mix.lock',
  parse: (text) => parseMixLock(text),
});
