import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { describeError, VigilError } from '../../errors/index.ts';

/**
 * `$VIGIL_HOME/vex/repository.yaml`: the VEX repositories, in priority order, with the keys
 * Trivy's `vex/repository.yaml` uses (so a Trivy file can be copied over unchanged).
 */
export const DEFAULT_REPOSITORY_NAME = 'default';
export const VEX_HUB_URL = 'https://github.com/aquasecurity/vexhub';

export interface RepositoryConfigEntry {
  readonly name: string;
  readonly url: string;
  /** Missing means enabled (Trivy reads a missing key as disabled; every file it writes sets it). */
  readonly enabled: boolean;
  readonly username?: string;
  readonly password?: string;
  /** Sent as `Authorization: Bearer`; wins over username/password. */
  readonly token?: string;
  /** Skip TLS verification for this repository only. */
  readonly insecure: boolean;
}

export interface RepositoryConfig {
  readonly path: string;
  readonly repositories: readonly RepositoryConfigEntry[];
}

// A name becomes a directory under the cache: one plain path segment, never `..` or a separator.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function repositoryConfigPath(vigilHome: string): string {
  return join(vigilHome, 'vex', 'repository.yaml');
}

export function defaultRepositoryConfigText(): string {
  return stringify({ repositories: [{ name: DEFAULT_REPOSITORY_NAME, url: VEX_HUB_URL, enabled: true }] });
}

/** Reads the configuration; undefined when the file does not exist. */
export async function readRepositoryConfig(path: string): Promise<RepositoryConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw configError(path, `cannot read it: ${describeError(error)}`);
  }
  return parseRepositoryConfig(text, path);
}

export function parseRepositoryConfig(text: string, path: string): RepositoryConfig {
  const document = parseDocument(text);
  if (document.errors.length > 0)
    throw configError(path, `not valid YAML: ${document.errors[0]?.message.split('\n')[0] ?? ''}`);
  const root = document.toJS({ maxAliasCount: 100 }) as unknown;
  if (root === null || root === undefined) return { path, repositories: [] };
  if (typeof root !== 'object' || Array.isArray(root)) throw configError(path, 'the top level must be a mapping');
  const list = (root as Record<string, unknown>).repositories ?? [];
  if (!Array.isArray(list)) throw configError(path, '`repositories` must be a list');
  const seen = new Set<string>();
  const repositories = list.map((raw, index): RepositoryConfigEntry => {
    const where = `repositories[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw configError(path, `${where} must be a mapping`);
    const entry = raw as Record<string, unknown>;
    const text = (key: string): string | undefined => {
      const value = entry[key];
      if (value === undefined || value === null) return undefined;
      if (typeof value !== 'string') throw configError(path, `${where}.${key} must be a string`);
      return value;
    };
    const flag = (key: string, fallback: boolean): boolean => {
      const value = entry[key];
      if (value === undefined || value === null) return fallback;
      if (typeof value !== 'boolean') throw configError(path, `${where}.${key} must be true or false`);
      return value;
    };
    const name = text('name');
    if (name === undefined || !NAME.test(name)) {
      throw configError(path, `${where}.name ${JSON.stringify(name ?? '')} must be letters, digits, '.', '_' or '-'`);
    }
    if (seen.has(name)) throw configError(path, `repository name '${name}' appears twice`);
    seen.add(name);
    const url = text('url');
    if (url === undefined || !/^https?:\/\/[^/]/.test(url)) {
      throw configError(path, `${where}.url must be an http(s) URL`);
    }
    return {
      name,
      url: url.replace(/\/+$/, ''),
      enabled: flag('enabled', true),
      username: text('username'),
      password: text('password'),
      token: text('token'),
      insecure: flag('insecure', false),
    };
  });
  return { path, repositories };
}

/** Writes the default configuration (VEX Hub as `default`) unless the file exists; true when written. */
export async function initRepositoryConfig(path: string): Promise<boolean> {
  if ((await readRepositoryConfig(path)) !== undefined) return false;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    // The file may hold tokens and passwords later: only the owner reads it.
    await writeFile(temp, defaultRepositoryConfigText(), { mode: 0o600, flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw configError(path, `cannot write it: ${describeError(error)}`);
  }
  return true;
}

/** The configuration, created with the default on first use as Trivy does. */
export async function loadRepositoryConfig(path: string): Promise<{ config: RepositoryConfig; created: boolean }> {
  const existing = await readRepositoryConfig(path);
  if (existing !== undefined) return { config: existing, created: false };
  const created = await initRepositoryConfig(path);
  const config = await readRepositoryConfig(path);
  if (config === undefined) throw configError(path, 'it vanished right after it was written');
  return { config, created };
}

function configError(path: string, detail: string): VigilError {
  return new VigilError('VEX_REPO_CONFIG', `VEX repository configuration ${path}: ${detail}`, {
    hint: `fix the file, or remove it and run 'vigil vex repo init' to start again with VEX Hub`,
  });
}
