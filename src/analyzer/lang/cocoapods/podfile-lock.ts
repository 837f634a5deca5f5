import type { Package } from '../../types.ts';
import { type Dependency, type ParsedPackages, packageId, uniquePackages } from '../application.ts';
import { asArray, asRecord } from '../document-values.ts';
import { parseYamlText } from '../yaml-document.ts';

/** `AppCenter/Core (4.2.0)` → name and version; undefined without a parenthesised version. */
function parsePod(text: string): Package | undefined {
  const parts = text.split(' (');
  if (parts.length !== 2) return undefined;
  const name = parts[0] as string;
  const version = (parts[1] as string).trim().replace(/^[()]+|[()]+$/g, '');
  return { ID: packageId(name, version), Name: name, Version: version };
}

/**
 * Podfile.lock: the `PODS` list, subspecs (`AppCenter/Core`) as packages of their own, each pod's
 * requirement list as its dependencies (versions taken from the pods themselves).
 */
export function parsePodfileLock(text: string): ParsedPackages {
  let document: unknown;
  try {
    document = parseYamlText(text);
  } catch (error) {
    throw new SyntaxError(`failed to decode cocoapods lock file: ${(error as Error).message}`);
  }
  const pods = new Map<string, Package>();
  const children = new Map<string, string[]>();
  for (const entry of asArray(asRecord(document)?.PODS) ?? []) {
    if (typeof entry === 'string') {
      const pod = parsePod(entry);
      if (pod) pods.set(pod.Name, pod);
      continue;
    }
    for (const [key, requirements] of Object.entries(asRecord(entry) ?? {})) {
      const pod = parsePod(key);
      if (!pod) continue;
      pods.set(pod.Name, pod);
      const list = asArray(requirements);
      if (!list) throw new SyntaxError(`invalid value of cocoapods direct dependency: ${key}`);
      for (const requirement of list) {
        if (typeof requirement !== 'string') throw new SyntaxError(`must be string: ${key}`);
        const name = requirement.trim().split(/\s+/)[0];
        if (name) children.set(pod.Name, [...(children.get(pod.Name) ?? []), name]);
      }
    }
  }
  const dependencies: Dependency[] = [...children].map(([name, names]) => ({
    ID: pods.get(name)?.ID ?? '',
    DependsOn: names.map((child) => packageId(child, pods.get(child)?.Version ?? '')),
  }));
  return { packages: uniquePackages([...pods.values()]), dependencies };
}
