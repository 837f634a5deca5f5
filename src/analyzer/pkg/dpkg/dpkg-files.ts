import { VigilError } from '../../../errors/index.ts';
import { parseControlParagraphs } from './control-stanzas.ts';

/**
 * The files a package installed, from its `*.md5sums` list (`<md5>  <path>` per line, paths
 * without the leading slash), sorted. Symlinks and directories are not listed there.
 */
export function parseDpkgMd5sums(text: string): string[] {
  const files: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') continue;
    const separator = line.indexOf('  ');
    if (separator < 0) throw new VigilError('DPKG_MD5SUMS_INVALID', `invalid md5sums line: ${line.slice(0, 80)}`);
    files.push(`/${line.slice(separator + 2)}`);
  }
  return files.sort();
}

/** `name@version` → `sha256:<digest>` for every package the `available` file lists with a SHA256. */
export function parseDpkgAvailable(text: string): Map<string, string> {
  const digests = new Map<string, string>();
  for (const fields of parseControlParagraphs(text).paragraphs) {
    const checksum = fields.get('sha256');
    if (!checksum) continue;
    digests.set(`${fields.get('package') ?? ''}@${fields.get('version') ?? ''}`, `sha256:${checksum}`);
  }
  return digests;
}
