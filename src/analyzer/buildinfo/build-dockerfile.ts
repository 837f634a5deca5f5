import { VigilError } from '../../errors/index.ts';
// The parser file alone: the misconfiguration module's index loads the Rego engine and checks (~0.4 s).
import { DockerfileSyntaxError, parseDockerfile } from '../../misconf/dockerfile/parse.ts';
import type { BuildInfo } from '../types.ts';
import { expandShellWord, ShellWordError, WordLimitError } from './shell-words.ts';

/**
 * The Dockerfile a Red Hat image was built from, kept in the image as
 * `root/buildinfo/Dockerfile-<name>-<version>-<release>`. Its labels name the image's component
 * and architecture, and its file name the version and release: together the image's NVR.
 */
export const BUILD_DOCKERFILE_DIR = 'root/buildinfo/';

export function isBuildDockerfilePath(path: string): boolean {
  const slash = path.lastIndexOf('/');
  return path.slice(0, slash + 1) === BUILD_DOCKERFILE_DIR && path.slice(slash + 1).startsWith('Dockerfile');
}

/** Everything word processing may produce for one Dockerfile (a few kilobytes in real ones). */
const MAX_EXPANDED_TOTAL = 16 * 1024 * 1024;

/** Labels naming the component: OSBS's current one and the older Bugzilla component. */
const COMPONENT_LABELS = new Set(['com.redhat.component', 'bzcomponent']);

function invalid(path: string, reason: string): VigilError {
  return new VigilError('REDHAT_BUILD_DOCKERFILE_INVALID', `${reason} in ${path}`, {
    hint: "the image's NVR is unknown; its packages are checked against its content sets only",
  });
}

/** `…/Dockerfile-ubi8-8.3-227` → `8.3-227`: the last two dash-separated parts of the file name. */
function versionReleaseFromName(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const releaseDash = name.lastIndexOf('-');
  const versionDash = releaseDash > 0 ? name.lastIndexOf('-', releaseDash - 1) : -1;
  if (versionDash < 0 || releaseDash - versionDash < 2 || releaseDash === name.length - 1) return undefined;
  return name.slice(versionDash + 1);
}

/**
 * The Dockerfile's variables and its word processing. Everything substitution produces counts
 * against one budget, so `ENV a=$a$a` repeated cannot make the work or the memory grow without bound.
 */
class WordExpander {
  private readonly path: string;
  private readonly escapeChar: string;
  private readonly variables = new Map<string, string>();
  private produced = 0;

  constructor(path: string, escapeChar: string) {
    this.path = path;
    this.escapeChar = escapeChar;
  }

  set(name: string, value: string): void {
    this.variables.set(name, value);
  }

  /** Docker's word processing; a word Docker would reject fails the file with `reason`. */
  expand(word: string, reason: string): string {
    try {
      return this.spend(this.process(word));
    } catch (error) {
      if (error instanceof ShellWordError) throw invalid(this.path, reason);
      throw error;
    }
  }

  /**
   * For ENV and ARG values: where this lexer does not know a construct (newer substitution
   * forms), the value is kept as written, which is what Trivy does with every value.
   */
  expandOrKeep(word: string): string {
    try {
      return this.spend(this.process(word));
    } catch (error) {
      if (error instanceof ShellWordError) return word;
      throw error;
    }
  }

  /** A word that grows past the limit fails the whole file: retrying it elsewhere would cost as much again. */
  private process(word: string): string {
    try {
      return expandShellWord(word, this.variables, this.escapeChar);
    } catch (error) {
      if (error instanceof WordLimitError) throw invalid(this.path, error.message);
      throw error;
    }
  }

  private spend(text: string): string {
    this.produced += text.length;
    if (this.produced > MAX_EXPANDED_TOTAL) {
      throw invalid(this.path, `variables expand to more than ${MAX_EXPANDED_TOTAL} characters`);
    }
    return text;
  }
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const DIRECTIVE_NAMES = new Set(['syntax', 'escape', 'check']);

/**
 * The escape character set by an `# escape=` parser directive (the misconfiguration parser reads
 * directives but does not hand them over). Directives are only read before any other line.
 */
function escapeToken(text: string): string {
  for (const raw of text.replace(/^\ufeff/, '').split('\n')) {
    const match = DIRECTIVE.exec(raw.replace(/\r$/, '').trimStart());
    const name = match?.[1]?.toLowerCase();
    if (!match || name === undefined || !DIRECTIVE_NAMES.has(name)) return '\\';
    if (name === 'escape') return match[2] === '`' ? '`' : '\\';
  }
  return '\\';
}

/** Reads `name=value` triples as the Dockerfile parser flattens ENV and LABEL arguments. */
function pairs(values: readonly string[] | null): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const list = values ?? [];
  for (let i = 0; i + 1 < list.length; i += 3) out.push([list[i] as string, list[i + 1] as string]);
  return out;
}

/**
 * The NVR (`<component>-<version>-<release>`) and architecture of the image a build Dockerfile
 * describes. Variables come from the ARGs before the first FROM (their defaults) and from ENV, as
 * Trivy reads them; values are processed as Docker does (quotes removed, `$VAR` and `${VAR:-x}`
 * substituted). The version and release come from the file name, or from the `version` and
 * `release` labels when the name does not carry them.
 */
export function parseBuildDockerfile(text: string, path: string): BuildInfo {
  let document: ReturnType<typeof parseDockerfile>;
  try {
    document = parseDockerfile(text, path);
  } catch (error) {
    if (error instanceof DockerfileSyntaxError) throw invalid(path, `dockerfile parse error: ${error.message}`);
    throw error;
  }
  const words = new WordExpander(path, escapeToken(text));
  const labels = new Map<string, string>();
  let seenFrom = false;
  for (const stage of document.Stages ?? []) {
    for (const command of stage.Commands) {
      if (command.Cmd === 'from') seenFrom = true;
      else if (command.Cmd === 'arg' && !seenFrom) {
        for (const word of command.Value ?? []) {
          const eq = word.indexOf('=');
          words.set(eq < 0 ? word : word.slice(0, eq), eq < 0 ? '' : words.expandOrKeep(word.slice(eq + 1)));
        }
      } else if (command.Cmd === 'env') {
        // Every pair of one ENV sees the variables as they were before it, as in Docker.
        const expanded = pairs(command.Value).map(([key, value]): [string, string] => [
          words.expandOrKeep(key),
          words.expandOrKeep(value),
        ]);
        for (const [key, value] of expanded) words.set(key, value);
      } else if (command.Cmd === 'label') {
        for (const [key, value] of pairs(command.Value)) {
          const name = words.expand(key, `unable to evaluate the label '${key.slice(0, 80)}'`).toLowerCase();
          if (COMPONENT_LABELS.has(name) || name === 'architecture' || name === 'version' || name === 'release') {
            const label = COMPONENT_LABELS.has(name) ? 'component' : name;
            labels.set(label, words.expand(value, `failed to process the label '${name}'`));
          }
        }
      }
    }
  }
  const component = labels.get('component') ?? '';
  const arch = labels.get('architecture') ?? '';
  if (component === '') throw invalid(path, 'no component found');
  if (arch === '') throw invalid(path, 'no arch found');
  const fromLabels =
    labels.get('version') && labels.get('release') ? `${labels.get('version')}-${labels.get('release')}` : undefined;
  const versionRelease = versionReleaseFromName(path) ?? fromLabels;
  if (versionRelease === undefined) throw invalid(path, 'no version and release found');
  return { Nvr: `${component}-${versionRelease}`, Arch: arch };
}
