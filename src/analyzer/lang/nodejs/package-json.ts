import { packageId } from '../application.ts';
import { asArray, asRecord, asString, asStringMap } from '../document-values.ts';
import { packageJsonLicenses } from './package-licenses.ts';

/** The fields of a package.json that the Node.js analyzers use. */
export interface PackageJson {
  /** `name@version`, or empty when either is missing (both are optional in package.json). */
  id: string;
  name: string;
  version: string;
  licenses: string[];
  dependencies: Map<string, string>;
  optionalDependencies: Map<string, string>;
  devDependencies: Map<string, string>;
  workspaces: string[];
}

const NAME = /^(@[A-Za-z0-9-._]+\/)?[A-Za-z0-9-._]+$/;

/** npm's URL-friendly package names, optionally scoped; an absent name is allowed. */
export function isValidPackageName(name: string): boolean {
  return name === '' || NAME.test(name);
}

export function parsePackageJson(text: string): PackageJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`JSON decode error: ${(error as Error).message}`);
  }
  const json = asRecord(value);
  if (!json) throw new SyntaxError('JSON decode error: package.json is not an object');
  const name = asString(json.name) ?? '';
  const version = asString(json.version) ?? '';
  if (!isValidPackageName(name)) throw new SyntaxError('Name can only contain URL-friendly characters');
  return {
    id: name !== '' && version !== '' ? packageId(name, version) : '',
    name,
    version,
    licenses: packageJsonLicenses(json.license),
    dependencies: asStringMap(json.dependencies),
    optionalDependencies: asStringMap(json.optionalDependencies),
    devDependencies: asStringMap(json.devDependencies),
    workspaces: packageJsonWorkspaces(json.workspaces),
  };
}

/** `workspaces` as an array of globs, or yarn's `{packages: [...]}` form. */
export function packageJsonWorkspaces(value: unknown): string[] {
  const list = asArray(value) ?? asArray(asRecord(value)?.packages) ?? [];
  return list.filter((entry): entry is string => typeof entry === 'string');
}
