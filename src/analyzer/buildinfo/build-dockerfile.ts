import { VigilError } from '../../errors/index.ts';
import { DockerfileSyntaxError, parseDockerfile } from '../../misconf/index.ts';
import type { BuildInfo } from '../types.ts';
import { expandShellWord, ShellWordError } from './shell-words.ts';

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
 * Word processing as Docker applies it; where this lexer does not know a construct (newer
 * substitution forms), the value is kept as written, which is what Trivy does with every value.
 */
function expandOrKeep(word: string, variables: ReadonlyMap<string, string>, escapeChar: string): string {
  try {
    return expandShellWord(word, variables, escapeChar);
  } catch (error) {
    if (error instanceof ShellWordError) return word;
    throw error;
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
  const escapeChar = escapeToken(text);
  const variables = new Map<string, string>();
  const labels = new Map<string, string>();
  let seenFrom = false;
  for (const stage of document.Stages ?? []) {
    for (const command of stage.Commands) {
      if (command.Cmd === 'from') seenFrom = true;
      else if (command.Cmd === 'arg' && !seenFrom) {
        for (const word of command.Value ?? []) {
          const eq = word.indexOf('=');
          const name = eq < 0 ? word : word.slice(0, eq);
          variables.set(name, eq < 0 ? '' : expandOrKeep(word.slice(eq + 1), variables, escapeChar));
        }
      } else if (command.Cmd === 'env') {
        // Every pair of one ENV sees the variables as they were before it, as in Docker.
        const before = new Map(variables);
        for (const [key, value] of pairs(command.Value)) {
          variables.set(expandOrKeep(key, before, escapeChar), expandOrKeep(value, before, escapeChar));
        }
      } else if (command.Cmd === 'label') {
        for (const [key, value] of pairs(command.Value)) {
          let name: string;
          try {
            name = expandShellWord(key, variables, escapeChar).toLowerCase();
          } catch (error) {
            if (error instanceof ShellWordError) throw invalid(path, `unable to evaluate the label '${key}'`);
            throw error;
          }
          if (!COMPONENT_LABELS.has(name) && name !== 'architecture' && name !== 'version' && name !== 'release') {
            continue;
          }
          try {
            labels.set(COMPONENT_LABELS.has(name) ? 'component' : name, expandShellWord(value, variables, escapeChar));
          } catch (error) {
            if (error instanceof ShellWordError) throw invalid(path, `failed to process the label '${name}'`);
            throw error;
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
