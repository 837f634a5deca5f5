import { VigilError } from '../../errors/index.ts';

/**
 * Red Hat content manifests (`root/buildinfo/content_manifests/*.json`, written by the image build
 * system; `usr/share/buildinfo/*.json` on RHCOS): the content sets, i.e. the repositories the
 * image's packages were installed from.
 */
export const CONTENT_MANIFEST_DIRS: readonly string[] = ['root/buildinfo/content_manifests/', 'usr/share/buildinfo/'];

export function isContentManifestPath(path: string): boolean {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  return CONTENT_MANIFEST_DIRS.includes(dir) && path.slice(slash + 1).endsWith('.json');
}

export interface ContentManifest {
  ContentSets: string[];
  /** `metadata.image_layer_index`: which layer of its image the manifest describes (undefined when absent). */
  layerIndex: number | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function invalid(reason: string): VigilError {
  return new VigilError('REDHAT_CONTENT_MANIFEST_INVALID', `invalid content manifest: ${reason}`, {
    hint: 'the image carries a damaged Red Hat content manifest; its packages are checked against the default content sets',
  });
}

/**
 * The content sets of one manifest, or undefined when it names none (an SBOM-only manifest, as in
 * newer images). Malformed JSON or a `content_sets` that is not a list of strings is an error.
 */
export function parseContentManifest(text: string): ContentManifest | undefined {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error));
  }
  if (document === null) return undefined;
  if (!isRecord(document)) throw invalid('the document is not a JSON object');
  const sets = document.content_sets;
  if (sets === undefined || sets === null) return undefined;
  if (!Array.isArray(sets) || !sets.every((set) => typeof set === 'string')) {
    throw invalid('content_sets is not a list of strings');
  }
  if (sets.length === 0) return undefined;
  const metadata = document.metadata;
  const index = isRecord(metadata) ? metadata.image_layer_index : undefined;
  return {
    ContentSets: [...sets],
    layerIndex: typeof index === 'number' && Number.isSafeInteger(index) ? index : undefined,
  };
}
