import { usageError } from '../errors/index.ts';
import {
  createHttpClient,
  type HttpClient,
  type NetworkPolicy,
  noProgress,
  progressBar,
  type TransferProgress,
} from '../net/index.ts';
import { createCredentialProvider, RegistryClient } from '../oci/registry/index.ts';
import type { CommandContext } from './command.ts';
import { loadConfigFile, valueAtPath } from './config-file.ts';
import {
  passwordOption,
  passwordStdinOption,
  registryMirrorOption,
  registryTokenOption,
  usernameOption,
} from './network-options.ts';

// What the network options turn into when a command runs: the transport and the registry client.
// Kept apart from the option specs so that parsing a command line never loads the network code.

const MAX_STDIN_BYTES = 64 * 1024;

/** The password given on standard input, without its final line break. */
export async function readPasswordFromStdin(input: AsyncIterable<Buffer | string> = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_STDIN_BYTES)
      throw usageError('--password-stdin: standard input is larger than 64 KiB', 'pipe only the password');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function userPasswords(context: CommandContext): Promise<Array<{ username: string; password: string }>> {
  const users = context.options.get(usernameOption) ?? [];
  let passwords = context.options.get(passwordOption) ?? [];
  if (context.options.get(passwordStdinOption) === true) {
    if (passwords.length > 0)
      throw usageError('--password and --password-stdin cannot be used together', 'keep one of them');
    if (users.length !== 1) throw usageError('--password-stdin needs exactly one --username', 'pass --username USER');
    passwords = [await readPasswordFromStdin()];
  }
  if (users.length !== passwords.length) {
    throw usageError(
      `--username and --password must come in pairs (${users.length} user names, ${passwords.length} passwords)`,
      'give one --password for each --username, in the same order',
    );
  }
  return users.map((username, index) => ({ username, password: passwords[index] as string }));
}

/** `registry.mirrors` from the config file (host → [mirrors]) merged with --registry-mirror HOST=MIRROR. */
export function registryMirrors(context: CommandContext): Record<string, string[]> {
  const mirrors: Record<string, string[]> = {};
  const add = (host: string, mirror: string) => {
    const list = mirrors[host] ?? [];
    if (!list.includes(mirror)) list.push(mirror);
    mirrors[host] = list;
  };
  const config = loadConfigFile(context.global.configPath, context.io.cwd);
  const fromConfig = config ? valueAtPath(config.values, 'registry.mirrors') : undefined;
  if (fromConfig !== undefined && fromConfig !== null) {
    if (typeof fromConfig !== 'object' || Array.isArray(fromConfig)) {
      throw usageError(
        `registry.mirrors in ${config?.path} must map a host to a list of mirror hosts`,
        'registry: { mirrors: { docker.io: [mirror.local:5000] } }',
      );
    }
    for (const [host, value] of Object.entries(fromConfig as Record<string, unknown>)) {
      const list = Array.isArray(value) ? value : [value];
      for (const mirror of list) {
        if (typeof mirror !== 'string' || mirror === '')
          throw usageError(`registry.mirrors.${host} in ${config?.path} must list host names`);
        add(host, mirror);
      }
    }
  }
  for (const entry of context.options.get(registryMirrorOption) ?? []) {
    const [host, mirror] = entry.split('=');
    if (!host || !mirror)
      throw usageError(
        `invalid --registry-mirror ${JSON.stringify(entry)}`,
        'write it as HOST=MIRROR, e.g. docker.io=mirror.local:5000',
      );
    add(host, mirror);
  }
  return mirrors;
}

/** The one network policy of a command: --offline, --insecure, --cacert, proxies and CAs from the environment, --timeout. */
export function networkPolicy(context: CommandContext, offline: boolean): NetworkPolicy {
  return {
    offline,
    insecure: context.global.insecure,
    caFiles: context.global.cacert ? [context.global.cacert] : [],
    env: context.io.env,
    signal: context.signal,
    logger: context.logger,
    connectTimeoutMs: Math.min(30_000, context.global.timeoutMs > 0 ? context.global.timeoutMs : 30_000),
  };
}

/** Download progress on stderr, only on a terminal and never with --quiet or --no-progress. */
export function transferProgress(context: CommandContext): TransferProgress {
  if (!context.io.stderr.isTTY || !context.global.progress) return noProgress;
  const columns = (context.io.stderr as { columns?: number }).columns;
  return progressBar({ write: (text) => context.io.stderr.write(text), columns });
}

export interface RegistryAccess {
  readonly http: HttpClient;
  readonly registry: RegistryClient;
  close(): Promise<void>;
}

/** An HTTP client and registry client set up from the command's options; close it when done. */
export async function createRegistryAccess(context: CommandContext, offline: boolean): Promise<RegistryAccess> {
  const http = createHttpClient(networkPolicy(context, offline));
  const credentials = createCredentialProvider({
    registryToken: context.options.get(registryTokenOption),
    userPasswords: await userPasswords(context),
    env: context.io.env,
    logger: context.logger,
    signal: context.signal,
  });
  const registry = new RegistryClient({
    http,
    credentials,
    mirrors: registryMirrors(context),
    insecure: context.global.insecure,
    logger: context.logger,
  });
  return { http, registry, close: () => http.close() };
}
