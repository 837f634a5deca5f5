import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** A real Debian bookworm image built with debootstrap once per machine (see test/tools/debian-image.sh). */
export const DEBIAN_IMAGE_DIR = fileURLToPath(new URL('../../node_modules/.cache/vigil-debian-image', import.meta.url));

export async function ensureDebianImage(): Promise<string> {
  if (!existsSync(`${DEBIAN_IMAGE_DIR}/done`)) {
    const script = fileURLToPath(new URL('../tools/debian-image.sh', import.meta.url));
    // Parallel test files may race here; the script is idempotent per output directory, so let
    // only one of them build by taking a lock on the directory.
    await promisify(execFile)('flock', [`${DEBIAN_IMAGE_DIR}.lock`, script, DEBIAN_IMAGE_DIR], {
      maxBuffer: 16 * 1024 * 1024,
    });
  }
  return DEBIAN_IMAGE_DIR;
}
