import { isMap, isScalar, isSeq, LineCounter, type Node } from 'yaml';
import type { Package } from '../../types.ts';
import { parseYamlWithPositions } from '../yaml-document.ts';

export interface CondaEnvironment {
  packages: Package[];
  prefix: string;
}

/** `name=1.0=build`, `name==1.0`, `name 1.0 build`: the exact version, or none for ranges and wildcards. */
export function parseCondaSpec(spec: string): { name: string; version: string } {
  const text = spec.trim();
  const name = /^[^=<>!~\s]*/.exec(text)?.[0] ?? '';
  const rest = text.slice(name.length).trim();
  let version = '';
  if (rest.startsWith('==')) version = rest.slice(2).split('=')[0] ?? '';
  else if (rest.startsWith('=')) version = rest.slice(1).split('=')[0] ?? '';
  else if (/^\d/.test(rest)) version = rest.split(/\s+/)[0] ?? '';
  if (/[*|,<>!=~]/.test(version)) version = '';
  return { name, version: version.trim() };
}

const tagOf = (node: unknown): string =>
  isMap(node)
    ? '!!map'
    : isSeq(node)
      ? '!!seq'
      : isScalar(node)
        ? typeof node.value === 'number'
          ? '!!int'
          : '!!str'
        : '!!null';

/**
 * A conda environment.yaml: the `dependencies` (conda specs and a nested `pip:` list), each at
 * its line, and the environment `prefix`. Other value types are an error, as in Trivy.
 */
export function parseCondaEnvironment(text: string): CondaEnvironment {
  const lineCounter = new LineCounter();
  let document: ReturnType<typeof parseYamlWithPositions>;
  try {
    document = parseYamlWithPositions(text, { lineCounter });
  } catch (error) {
    throw new SyntaxError(`unable to parse environment.yaml: ${(error as Error).message}`);
  }
  if (document.errors.length > 0)
    throw new SyntaxError(`unable to parse environment.yaml: ${document.errors[0]?.message}`);
  const root = document.contents;
  if (root !== null && !isMap(root)) throw new SyntaxError('unable to parse environment.yaml: not a mapping');
  const lineOf = (node: Node) => lineCounter.linePos(node.range?.[0] ?? 0).line;
  const packages: Package[] = [];
  const add = (node: unknown) => {
    if (!isScalar(node) || typeof node.value !== 'string') {
      throw new SyntaxError(`unsupported dependency type "${tagOf(node)}" on line ${lineOf(node as Node)}`);
    }
    const { name, version } = parseCondaSpec(node.value);
    if (name === '') return;
    const line = lineOf(node);
    packages.push({ Name: name, Version: version, Locations: [{ StartLine: line, EndLine: line }] });
  };
  const dependencies = isMap(root) ? root.get('dependencies', true) : undefined;
  if (isSeq(dependencies)) {
    for (const item of dependencies.items) {
      if (!isMap(item)) {
        add(item);
        continue;
      }
      for (const pair of item.items) {
        if (!isSeq(pair.value)) {
          throw new SyntaxError(
            `unsupported dependency type "${tagOf(pair.value)}" on line ${lineOf(pair.value as Node)}`,
          );
        }
        for (const nested of pair.value.items) add(nested);
      }
    }
  }
  const prefix = isMap(root) ? root.get('prefix') : undefined;
  return { packages, prefix: typeof prefix === 'string' ? prefix : '' };
}
