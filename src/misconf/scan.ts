import { basename, extname } from 'node:path';
import { describeError } from '../errors/index.ts';
import type { Logger } from '../log/index.ts';
import type { Result } from '../report/index.ts';
import { type CheckInput, type ConfigType, runChecks } from './check-runner.ts';
import type { CheckSet } from './check-set.ts';
import { DockerfileSyntaxError, parseDockerfile } from './dockerfile/parse.ts';
import { looksLikeKubernetes, ManifestSyntaxError, parseKubernetesManifests } from './kubernetes/parse.ts';
import { buildConfigResults } from './results.ts';

/** A file to check, by slash-separated path relative to the scan root (the report's Target). */
export interface ConfigFile {
  readonly path: string;
  readonly content: string | Uint8Array;
}

/** Config files are text; anything bigger is skipped rather than parsed. */
export const MAX_CONFIG_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Trivy's Dockerfile names: `Dockerfile`, `Containerfile`, `Dockerfile.<anything>`
 * (case-sensitive), or an extension `.dockerfile` / `.containerfile` (any case).
 */
export function isDockerfileName(path: string): boolean {
  const base = basename(path);
  const ext = extname(base);
  const stem = base.slice(0, base.length - ext.length);
  return ['Dockerfile', 'Containerfile'].some(
    (name) => stem === name || ext.toLowerCase() === `.${name.toLowerCase()}`,
  );
}

/** Files worth reading for a misconfiguration scan: Dockerfile names, YAML and JSON. */
export function isConfigCandidate(path: string): boolean {
  const lower = path.toLowerCase();
  return isDockerfileName(path) || lower.endsWith('.yaml') || lower.endsWith('.yml') || lower.endsWith('.json');
}

/** The kind of config file, or undefined when it is neither a Dockerfile nor a Kubernetes manifest. */
export function configTypeOf(path: string, content: string): ConfigType | undefined {
  if (isDockerfileName(path)) return 'dockerfile';
  if (looksLikeKubernetes(path, content)) return 'kubernetes';
  return undefined;
}

const MANIFEST_KEYS = ['apiVersion', 'kind', 'metadata'];

/** A cheap first cut before any parsing: Dockerfile names, and YAML/JSON that mention the manifest keys. */
export function mightBeConfig(path: string, content: string): boolean {
  if (isDockerfileName(path)) return true;
  return isConfigCandidate(path) && MANIFEST_KEYS.every((key) => content.includes(key));
}

const isManifest = (doc: unknown) =>
  typeof doc === 'object' && doc !== null && MANIFEST_KEYS.every((key) => Object.hasOwn(doc, key));

/**
 * Parses a candidate once: Dockerfile inputs, the documents of a Kubernetes manifest (a file in
 * which some document has apiVersion, kind and metadata), or undefined for anything else. A file
 * Trivy would detect as a manifest but cannot parse throws.
 */
function parseConfig(path: string, text: string): { type: ConfigType; inputs: unknown[] } | undefined {
  if (isDockerfileName(path)) return { type: 'dockerfile', inputs: [parseDockerfile(text, path)] };
  if (!mightBeConfig(path, text)) return undefined;
  let docs: unknown[];
  try {
    docs = parseKubernetesManifests(text, path);
  } catch (error) {
    if (looksLikeKubernetes(path, text)) throw error;
    return undefined;
  }
  return docs.some(isManifest) ? { type: 'kubernetes', inputs: docs } : undefined;
}

export interface MisconfScanOptions {
  readonly checks: CheckSet;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

const decoder = new TextDecoder('utf-8');

/**
 * Checks Dockerfiles and Kubernetes manifests and returns Trivy's `config` results, one per file
 * that at least one check ran on, passes included (filter them with filterMisconfigurations).
 * Files that do not parse are skipped with a warning, as Trivy skips them.
 */
export function scanMisconfigurations(files: readonly ConfigFile[], options: MisconfScanOptions): Result[] {
  const inputs: Record<ConfigType, CheckInput[]> = { dockerfile: [], kubernetes: [] };
  const sources = new Map<string, string>();
  for (const file of files) {
    if (file.content.length > MAX_CONFIG_FILE_BYTES) {
      options.logger.warn(`skipping ${file.path}: larger than ${MAX_CONFIG_FILE_BYTES} bytes`);
      continue;
    }
    const text = typeof file.content === 'string' ? file.content : decoder.decode(file.content);
    const kind = isDockerfileName(file.path) ? 'dockerfile' : 'kubernetes';
    try {
      const parsed = parseConfig(file.path, text);
      if (parsed === undefined) continue;
      for (const contents of parsed.inputs) inputs[parsed.type].push({ path: file.path, contents });
      sources.set(file.path, text);
    } catch (error) {
      if (!(error instanceof DockerfileSyntaxError) && !(error instanceof ManifestSyntaxError)) throw error;
      options.logger.warn(`skipping ${file.path}: cannot parse it as a ${kind} file: ${describeError(error)}`);
    }
  }
  const results: Result[] = [];
  for (const type of ['dockerfile', 'kubernetes'] as const) {
    if (inputs[type].length === 0) continue;
    const outcomes = runChecks(options.checks, type, inputs[type], options);
    results.push(...buildConfigResults(outcomes, type, { sources }));
  }
  return results.sort((a, b) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0));
}
