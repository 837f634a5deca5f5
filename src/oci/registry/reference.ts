import { usageError } from '../../errors/index.ts';

/**
 * An image or artifact reference as Docker spells it: `[registry/]repository[:tag][@digest]`.
 * Docker Hub names are completed (`alpine` → `docker.io/library/alpine`).
 */
export interface Reference {
  /** As written, except Docker Hub aliases become `docker.io`. Includes the port. */
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_API = 'registry-1.docker.io';
const DOCKER_HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', DOCKER_HUB_API]);

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?$/;

export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

export interface ParseReferenceOptions {
  /** Tag to use when the text has neither tag nor digest (default `latest`; `null` leaves it unset). */
  readonly defaultTag?: string | null;
}

function invalid(text: string, why: string): never {
  throw usageError(
    `invalid reference ${JSON.stringify(text)}: ${why}`,
    'write it as [REGISTRY[:PORT]/]REPOSITORY[:TAG][@sha256:DIGEST], e.g. registry.local:5000/aquasec/trivy-db:2',
  );
}

export function parseReference(text: string, options: ParseReferenceOptions = {}): Reference {
  const input = text.trim();
  if (input === '' || input.length > 4096) invalid(text, 'empty or too long');
  if (/^[a-z]+:\/\//i.test(input)) invalid(text, 'leave out the URL scheme');
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) invalid(text, 'the digest must be sha256: and 64 lower-case hex digits');
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) invalid(text, `bad tag ${JSON.stringify(tag)}`);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  let registry: string;
  let repository: string;
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))) {
    registry = first;
    repository = rest.slice(slash + 1);
    if (!HOST.test(registry)) invalid(text, `bad registry host ${JSON.stringify(registry)}`);
  } else {
    registry = DOCKER_HUB;
    repository = rest;
  }
  if (DOCKER_HUB_ALIASES.has(registry.toLowerCase())) {
    registry = DOCKER_HUB;
    if (!repository.includes('/')) repository = `library/${repository}`;
  }
  if (!REPOSITORY.test(repository)) {
    invalid(text, 'the repository must be lower-case letters, digits and separators (. _ - /)');
  }
  if (tag === undefined && digest === undefined && options.defaultTag !== null) tag = options.defaultTag ?? 'latest';
  return { registry, repository, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

/** `registry/repository[:tag][@digest]`. */
export function formatReference(reference: Reference): string {
  let text = `${reference.registry}/${reference.repository}`;
  if (reference.tag !== undefined) text += `:${reference.tag}`;
  if (reference.digest !== undefined) text += `@${reference.digest}`;
  return text;
}

/** What to ask the registry for: the digest when pinned, else the tag. */
export function manifestIdentifier(reference: Reference): string {
  return reference.digest ?? reference.tag ?? 'latest';
}

/** The host the registry API answers on (Docker Hub's API is not on docker.io). */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}

export function isDockerHub(registry: string): boolean {
  return DOCKER_HUB_ALIASES.has(registry.toLowerCase());
}

/** Registries that may be spoken to over plain HTTP without --insecure: loopback only. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
