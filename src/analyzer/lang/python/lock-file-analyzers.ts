import type { Analyzer } from '../../types.ts';
import { baseName, LOCK_FILE_SCANS, lockFileAnalyzer } from '../lock-file-analyzer.ts';
import { parsePipfileLock } from './pipfile-lock.ts';
import { decodeRequirements, parseRequirements } from './requirements.ts';
import { parseUvLock } from './uv-lock.ts';

/**
 * requirements.txt (pinned versions only: Trivy's default "precise" detection). Licences from
 * the scanning machine's Python installation, which Trivy adds, are not read: a scan result must
 * not depend on the host.
 */
export const pipAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'pip',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => baseName(path) === 'requirements.txt',
  decode: decodeRequirements,
  parse: (text) => parseRequirements(text),
});

export const pipenvAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'pipenv',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => baseName(path) === 'Pipfile.lock',
  parse: (text) => parsePipfileLock(text),
});

export const uvAnalyzer: Analyzer = lockFileAnalyzer({
  type: 'uv',
  version: 1,
  scanKinds: LOCK_FILE_SCANS,
  required: (path) => baseName(path) === 'uv.lock',
  parse: (text) => parseUvLock(text),
});
