import { parse } from 'smol-toml';
import { asArray, asRecord } from '../document-values.ts';
import { normalizePythonName } from './package-names.ts';

/** The dependency names of a pyproject.toml that decide direct and development packages. */
export interface PyProject {
  name: string;
  /** `[project] dependencies`, or undefined when the table has none. */
  projectDependencies?: Set<string>;
  /** `[project.optional-dependencies]` (extras), by extra. */
  optionalDependencies?: Map<string, Set<string>>;
  /** `[tool.poetry.dependencies]`. */
  poetryDependencies?: Set<string>;
  /** `[tool.poetry.group.<name>.dependencies]`, by group. */
  poetryGroups: Map<string, Set<string>>;
}

/**
 * Dependency names, normalised: a table's keys (Poetry 1) or the leading name of each PEP 508
 * string (`Flask (==1.0.3)`, `pluggy[tox]>=0.13`; Poetry 2 and PEP 621).
 */
function dependencyNames(value: unknown, where: string): Set<string> | undefined {
  const table = asRecord(value);
  if (table) return new Set(Object.keys(table).map((name) => normalizePythonName(name)));
  const list = asArray(value);
  if (!list) return undefined;
  const names = new Set<string>();
  for (const entry of list) {
    if (typeof entry !== 'string') throw new TypeError(`${where} must be strings`);
    const name =
      entry
        .replace(/[<>=([]/g, ' ')
        .trim()
        .split(/\s+/)[0] ?? '';
    if (name !== '') names.add(normalizePythonName(name));
  }
  return names;
}

export function parsePyProject(text: string): PyProject {
  const document = parse(text) as Record<string, unknown>;
  const project = asRecord(document.project) ?? {};
  const poetry = asRecord(asRecord(document.tool)?.poetry) ?? {};
  const optional = asRecord(project['optional-dependencies']);
  const groups = new Map<string, Set<string>>();
  for (const [group, body] of Object.entries(asRecord(poetry.group) ?? {})) {
    groups.set(group, dependencyNames(asRecord(body)?.dependencies, 'group dependencies') ?? new Set());
  }
  return {
    name: typeof project.name === 'string' ? project.name : typeof poetry.name === 'string' ? poetry.name : '',
    projectDependencies: dependencyNames(project.dependencies, 'project.dependencies'),
    optionalDependencies: optional
      ? new Map(
          Object.entries(optional).map(([extra, list]) => [
            extra,
            dependencyNames(list, 'optional-dependencies') ?? new Set<string>(),
          ]),
        )
      : undefined,
    poetryDependencies: dependencyNames(poetry.dependencies, 'tool.poetry.dependencies'),
    poetryGroups: groups,
  };
}

/**
 * The main (production) dependencies: `[project]` dependencies and extras when the project
 * table declares any, else Poetry's `[tool.poetry.dependencies]`.
 */
export function mainDependencies(project: PyProject): Set<string> {
  if (project.projectDependencies || project.optionalDependencies) {
    const names = new Set(project.projectDependencies);
    for (const extra of project.optionalDependencies?.values() ?? []) for (const name of extra) names.add(name);
    return names;
  }
  return new Set(project.poetryDependencies);
}
