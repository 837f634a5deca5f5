import type { Package } from '../../types.ts';
import { type ParsedPackages, packageId, uniquePackages } from '../application.ts';

/**
 * mix.lock (an Elixir map literal), read line by line as Trivy does: `"name": {:hex, :name,
 * "version", …}` lines give packages at that line; git dependencies carry no version and are skipped.
 */
export function parseMixLock(text: string): ParsedPackages {
  const packages: Package[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    const colon = line.indexOf(':');
    if (colon === -1) return;
    const name = line.slice(0, colon).replace(/^"+|"+$/g, '');
    const fields = line
      .slice(colon + 1)
      .split(/[\s,]+/)
      .filter((field) => field !== '');
    if (fields.length < 8) return;
    const version = (fields[2] as string).replace(/^"+|"+$/g, '');
    packages.push({
      ID: packageId(name, version),
      Name: name,
      Version: version,
      Locations: [{ StartLine: index + 1, EndLine: index + 1 }],
    });
  });
  return { packages: uniquePackages(packages) };
}
