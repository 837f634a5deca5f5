import type { Package } from '../../types.ts';
import type { ParsedPackages } from '../application.ts';
import { attribute, children, parseXml } from './msbuild-xml.ts';

/** packages.config (NuGet's pre-PackageReference format); development-only packages left out. */
export function parsePackagesConfig(text: string): ParsedPackages {
  let document: ReturnType<typeof parseXml>;
  try {
    document = parseXml(text);
  } catch (error) {
    throw new SyntaxError(`failed to decode .config file: ${(error as Error).message}`);
  }
  const packages: Package[] = [];
  for (const root of children(document, 'packages')) {
    for (const entry of children(root, 'package')) {
      if (attribute(entry, 'developmentDependency') === 'true') continue;
      packages.push({ Name: attribute(entry, 'id') ?? '', Version: attribute(entry, 'version') ?? '' });
    }
  }
  return { packages };
}
