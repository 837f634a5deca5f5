import type { Package } from '../../types.ts';
import { comparePackages, type Dependency, packageId } from '../application.ts';

/**
 * yarn.lock, classic (v1) and Berry (v2+), read line by line the way Trivy's yarn parser does:
 * one block per blank-line-separated entry, the first pattern line naming the package, the
 * `version` line and the `dependencies:` list. Entries with local or VCS protocols (`workspace:`,
 * `file:`, `git+…`, `patch:`…) are skipped, as are entries with protocols nobody knows.
 */
export interface YarnLock {
  packages: Package[];
  dependencies: Dependency[];
  /** Every `name@range` an entry resolves, by package ID; package.json ranges are matched to them. */
  patterns: Map<string, string[]>;
  /** Entries skipped for an unknown protocol. */
  warnings: string[];
}

// The line grammar of yarn.lock entries (pattern, version and dependency lines).
const PATTERN = /^\s?\\?"?(?<name>\S+?)@(?:(?<protocol>\S+?):)?(?<version>.+?)\\?"?:?$/;
const VERSION = /^"?version:?"?\s+"?(?<version>[^"]+)"?/;
const DEPENDENCY = /\s{4,}"?(?<name>.+?)"?:?\s"?(?:(?<protocol>\S+?):)?(?<version>[^"]+)"?/;

const IGNORED_PROTOCOLS = new Set([
  'workspace',
  'patch',
  'file',
  'link',
  'portal',
  'github',
  'git',
  'git+ssh',
  'git+http',
  'git+https',
  'git+file',
]);

const isNpmProtocol = (protocol: string) => protocol === 'npm' || protocol === '';

interface PatternParts {
  name: string;
  protocol: string;
  version: string;
}

/** No real yarn.lock line is this long; longer ones are not matched (keeps regex work bounded). */
const MAX_LINE = 64 * 1024;

export function parseYarnPattern(line: string): PatternParts | undefined {
  if (line.length > MAX_LINE) return undefined;
  const groups = PATTERN.exec(line)?.groups;
  if (!groups) return undefined;
  return { name: groups.name ?? '', protocol: groups.protocol ?? '', version: groups.version ?? '' };
}

/** `a@^1, a@^2:` → the name, the first pattern's protocol and one `name@range` per pattern. */
export function parseYarnPatterns(line: string): { name: string; protocol: string; patterns: string[] } | undefined {
  const parts = line.split(', ');
  const first = parseYarnPattern(parts[0] as string);
  if (!first) return undefined;
  const patterns = parts.map((part) => packageId(first.name, parseYarnPattern(part)?.version ?? ''));
  return { name: first.name, protocol: first.protocol, patterns };
}

/** A `dependencies:` line: `name@range`, or empty for a non-npm protocol, or undefined. */
export function parseYarnDependency(line: string): string | undefined {
  if (line.length > MAX_LINE) return undefined;
  const groups = DEPENDENCY.exec(line)?.groups;
  if (!groups) return undefined;
  if (!isNpmProtocol(groups.protocol ?? '')) return '';
  return packageId(groups.name ?? '', groups.version ?? '');
}

interface Block {
  name: string;
  version: string;
  patterns: string[];
  dependencies: string[];
  startLine: number;
  endLine: number;
  unknownProtocol?: string;
}

/** Splits at the first blank line (LF, else CRLF) as Trivy's block scanner does. */
function* blocks(text: string): Generator<string> {
  let rest = text;
  while (rest.length > 0) {
    let end = rest.indexOf('\n\n');
    let skip = 2;
    if (end === -1) {
      end = rest.indexOf('\r\n\r\n');
      skip = 4;
    }
    if (end === -1) {
      yield rest;
      return;
    }
    yield rest.slice(0, end);
    rest = rest.slice(end + skip);
  }
}

function splitLines(block: string): string[] {
  const lines = block.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

function parseBlock(block: string, firstLine: number): Block {
  const lines = splitLines(block);
  const parsed: Block = {
    name: '',
    version: '',
    patterns: [],
    dependencies: [],
    startLine: firstLine,
    endLine: firstLine + lines.length - 1,
  };
  let emptyLines = 0;
  let skip = false;
  for (let i = 0; i < lines.length; i += 1) {
    const raw = lines[i] as string;
    if (raw === '') {
      emptyLines += 1;
      continue;
    }
    if (raw[0] === '#' || skip) continue;
    if (raw.startsWith('__metadata')) {
      skip = true;
      continue;
    }
    let line = raw.trim();
    if (line.startsWith('"')) line = line.slice(1);
    if (line.startsWith('version')) {
      const version = VERSION.exec(line)?.groups?.version;
      if (version === undefined) skip = true;
      else parsed.version = version;
      continue;
    }
    if (line.startsWith('dependencies:')) {
      // The list ends at the first line that is not a dependency; that line is consumed.
      for (i += 1; i < lines.length; i += 1) {
        const dependency = parseYarnDependency(lines[i] as string);
        if (dependency === undefined) break;
        parsed.dependencies.push(dependency);
      }
      continue;
    }
    const patterns = parseYarnPatterns(line);
    if (!patterns) continue;
    if (!isNpmProtocol(patterns.protocol)) {
      skip = true;
      if (!IGNORED_PROTOCOLS.has(patterns.protocol)) parsed.unknownProtocol = patterns.protocol;
      continue;
    }
    parsed.patterns = patterns.patterns;
    parsed.name = patterns.name;
  }
  parsed.startLine = firstLine + emptyLines;
  return parsed;
}

export function parseYarnLock(text: string): YarnLock {
  const packages: Package[] = [];
  const patterns = new Map<string, string[]>();
  const patternIds = new Map<string, string>();
  const dependsOn = new Map<string, string[]>();
  const warnings: string[] = [];
  let line = 1;
  for (const text_ of blocks(text)) {
    const block = parseBlock(text_, line);
    line = block.endLine + 2;
    if (block.unknownProtocol !== undefined) {
      warnings.push(`unknown protocol ${JSON.stringify(block.unknownProtocol)} at line ${block.startLine}`);
      continue;
    }
    if (block.name === '') continue;
    const id = packageId(block.name, block.version);
    packages.push({
      ID: id,
      Name: block.name,
      Version: block.version,
      Locations: [{ StartLine: block.startLine, EndLine: block.endLine }],
    });
    patterns.set(id, block.patterns);
    for (const pattern of block.patterns) patternIds.set(pattern, id);
    if (block.patterns.length > 0 && block.dependencies.length > 0) dependsOn.set(id, block.dependencies);
  }
  const dependencies: Dependency[] = [];
  for (const [id, list] of dependsOn) {
    // Ranges that resolve to nothing (non-npm protocols) are dropped rather than kept as "".
    const resolved = list.map((pattern) => patternIds.get(pattern) ?? '').filter((dep) => dep !== '');
    if (resolved.length > 0) dependencies.push({ ID: id, DependsOn: resolved });
  }
  return { packages: packages.sort(comparePackages), dependencies, patterns, warnings };
}
