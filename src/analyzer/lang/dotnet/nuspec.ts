import { children, childText, parseXml } from './msbuild-xml.ts';

/**
 * The licence of a NuGet package from its .nuspec: a `<license type="expression">` only
 * (licence files and URLs name no licence by themselves).
 */
export function nuspecLicenses(text: string): string[] {
  const document = parseXml(text);
  for (const pkg of children(document, 'package')) {
    for (const metadata of children(pkg, 'metadata')) {
      for (const license of children(metadata, 'license')) {
        if (license.type !== 'expression') continue;
        const value = childText({ license: [license] }, 'license')?.trim() ?? '';
        if (value !== '') return [value];
      }
    }
  }
  return [];
}
