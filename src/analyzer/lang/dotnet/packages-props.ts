import type { Package } from '../../types.ts';
import { type ParsedPackages, packageId } from '../application.ts';
import { attribute, children, parseXml } from './msbuild-xml.ts';

/** Names and versions that are MSBuild properties (`$(Version)`) cannot be resolved here. */
const isUsable = (value: string) => value !== '' && !value.includes('$(');

/**
 * Packages.props / Directory.Packages.props (central package management): `PackageVersion` and
 * `PackageReference` items (`Include` or `Update`) of the `<Project>`'s item groups.
 */
export function parsePackagesProps(text: string): ParsedPackages {
  let document: ReturnType<typeof parseXml>;
  try {
    document = parseXml(text);
  } catch (error) {
    throw new SyntaxError(`failed to decode '*.packages.props' file: ${(error as Error).message}`);
  }
  const project = children(document, 'Project');
  if (project.length === 0) throw new SyntaxError("failed to decode '*.packages.props' file: no <Project> element");
  const packages = new Map<string, Package>();
  for (const group of children(project[0], 'ItemGroup')) {
    for (const item of [...children(group, 'PackageReference'), ...children(group, 'PackageVersion')]) {
      const name = (attribute(item, 'Include') || attribute(item, 'Update') || '').trim();
      const version = (attribute(item, 'Version') ?? '').trim();
      if (!isUsable(name) || !isUsable(version)) continue;
      const id = packageId(name, version);
      packages.set(id, { ID: id, Name: name, Version: version });
    }
  }
  return { packages: [...packages.values()] };
}
