import { VigilError } from '../../errors/index.ts';
import type { Repository } from '../types.ts';
import { OsFamily } from './families.ts';
import { scanLines } from './text-lines.ts';

export const APK_REPOSITORIES_PATH = 'etc/apk/repositories';

// <scheme>://<host>/<distribution>/v<release>/… e.g. https://mirror.example/alpine/v3.15/main
const REPOSITORY_URL = /(https*|ftp):\/\/[0-9A-Za-z.-]+\/([A-Za-z]+)\/v?([0-9A-Za-z_.-]+)\//;

function compareDotted(a: string, b: string): number | undefined {
  if (!/^\d+(\.\d+)*$/.test(a) || !/^\d+(\.\d+)*$/.test(b)) return undefined;
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/**
 * The newest Alpine release the repositories point at (`edge` beats any number). Detection uses
 * it instead of /etc/alpine-release, because packages come from these repositories.
 */
export function parseApkRepositories(text: string): Repository | undefined {
  let family = '';
  let release = '';
  for (const line of scanLines(text)) {
    const match = REPOSITORY_URL.exec(line);
    if (!match) continue;
    const lineFamily = match[2] ?? '';
    const lineRelease = match[3] ?? '';
    if (family !== '' && family !== lineFamily) {
      throw new VigilError(
        'OS_RELEASE_INVALID',
        `mixing different distributions in etc/apk/repositories: ${family} != ${lineFamily}`,
      );
    }
    family = lineFamily;
    if (release === '') release = lineRelease;
    else if (release === 'edge' || lineRelease === 'edge') release = 'edge';
    else if ((compareDotted(lineRelease, release) ?? 0) > 0) release = lineRelease;
  }
  if (family !== OsFamily.Alpine || release === '') return undefined;
  return { Family: family, Release: release };
}
