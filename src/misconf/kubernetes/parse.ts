import { parseJsonManifest } from './json-manifest.ts';
import { type ManifestNode, ManifestSyntaxError, manifestToInput, shiftLines } from './manifest-node.ts';
import { parseYamlManifest } from './yaml-manifest.ts';

export { ManifestSyntaxError };

/** More documents than any real manifest stream holds; past this a file is refused. */
const MAX_DOCUMENTS = 100_000;

/** Trivy splits YAML streams on `---` lines itself and parses each part on its own. */
const SEPARATOR = /^---\r?\n/gm;

function countLines(text: string): number {
  if (text === '') return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

/** Splits on `---` lines, keeping how many lines come before each part. */
function yamlParts(text: string): Array<{ text: string; offset: number }> {
  const parts: Array<{ text: string; offset: number }> = [];
  const pattern = new RegExp(SEPARATOR.source, 'gm');
  let offset = 0;
  let start = 0;
  for (;;) {
    const match = pattern.exec(text);
    const part = text.slice(start, match ? match.index : text.length);
    if (parts.length > 0) offset += 1; // the separator line itself
    parts.push({ text: part, offset });
    offset += countLines(part);
    if (!match) break;
    start = match.index + match[0].length;
  }
  return parts;
}

/**
 * Parses a Kubernetes manifest file (YAML with any number of documents, or one JSON object) into
 * the Rego inputs Trivy builds: one per mapping document, every mapping carrying
 * `__defsec_metadata` with lines counted from the start of the file. Throws ManifestSyntaxError
 * when Trivy would reject the file.
 */
export function parseKubernetesManifests(content: string, filePath: string): unknown[] {
  const text = content.startsWith('\ufeff') ? content.slice(1) : content;
  if (text.trim() === '') return [];
  if (text.trimStart().startsWith('{')) {
    const root = parseJsonManifest(text);
    return root.kind === 'map' ? [manifestToInput(root, filePath)] : [];
  }
  const inputs: unknown[] = [];
  const parts = yamlParts(text);
  if (parts.length > MAX_DOCUMENTS) throw new ManifestSyntaxError(`more than ${MAX_DOCUMENTS} YAML documents`);
  for (const part of parts) {
    if (part.text.trim() === '') continue;
    let root: ManifestNode | undefined;
    try {
      root = parseYamlManifest(part.text);
    } catch (error) {
      if (error instanceof ManifestSyntaxError && part.offset > 0) {
        throw new ManifestSyntaxError(`${error.message} (document starting at line ${part.offset + 1})`);
      }
      throw error;
    }
    if (root?.kind !== 'map') continue;
    shiftLines(root, part.offset);
    inputs.push(manifestToInput(root, filePath));
  }
  return inputs;
}

const KUBERNETES_KEYS = ['apiVersion', 'kind', 'metadata'];

/**
 * Trivy's detection: a `.yaml`/`.yml`/`.json` file in which some document (split on `\n---\n`)
 * is a mapping with `apiVersion`, `kind` and `metadata`. Cheap key checks before any parsing.
 */
export function looksLikeKubernetes(path: string, content: string): boolean {
  const lower = path.toLowerCase();
  const isJson = lower.endsWith('.json');
  if (!isJson && !lower.endsWith('.yaml') && !lower.endsWith('.yml')) return false;
  if (!KUBERNETES_KEYS.every((key) => content.includes(key))) return false;
  if (isJson) {
    try {
      const parsed: unknown = JSON.parse(content);
      return (
        typeof parsed === 'object' &&
        parsed !== null &&
        !Array.isArray(parsed) &&
        KUBERNETES_KEYS.every((key) => Object.hasOwn(parsed, key))
      );
    } catch {
      return false;
    }
  }
  const marker = content.includes('\r\n---\r\n') ? '\r\n---\r\n' : '\n---\n';
  for (const part of content.split(marker)) {
    try {
      const root = parseYamlManifest(part);
      if (root?.kind === 'map' && KUBERNETES_KEYS.every((key) => root.entries.has(key))) return true;
    } catch {}
  }
  return false;
}
