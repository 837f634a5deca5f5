import { VigilError } from '../../errors/index.ts';
import type { HttpResponse } from '../../net/index.ts';

/** An HTTP answer from a registry that is not what the operation needs. */
export class RegistryError extends VigilError {
  readonly status: number;
  /** The distribution-spec error codes in the body (`MANIFEST_UNKNOWN`, `DENIED`, `TOOMANYREQUESTS`, …). */
  readonly registryCodes: readonly string[];

  constructor(status: number, registryCodes: readonly string[], message: string, hint: string) {
    super(`REGISTRY_${statusName(status)}`, message, { hint });
    this.name = 'RegistryError';
    this.status = status;
    this.registryCodes = registryCodes;
  }

  /** Credentials were missing or refused. */
  get isAuthFailure(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

function statusName(status: number): string {
  switch (status) {
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'DENIED';
    case 404:
      return 'NOT_FOUND';
    case 429:
      return 'RATE_LIMITED';
    default:
      return status >= 500 ? 'UNAVAILABLE' : 'ERROR';
  }
}

function hintFor(status: number): string {
  switch (status) {
    case 401:
      return 'pass --username and --password (or --password-stdin), --registry-token, or log in with docker login / podman login';
    case 403:
      return 'these credentials have no access to the repository; check the name and your permissions';
    case 404:
      return 'check the repository name and tag';
    case 429:
      return 'the registry is rate limiting; add a mirror (registry.mirrors) or another repository to try';
    default:
      return status >= 500 ? 'the registry is failing; try again later or use another repository' : 'check the request';
  }
}

const MAX_ERROR_BODY = 64 * 1024;

/** Reads a registry's error body (bounded) and makes a one-line error of it. */
export async function registryError(response: HttpResponse, what: string): Promise<RegistryError> {
  let codes: string[] = [];
  let detail = '';
  try {
    const text = await response.text(MAX_ERROR_BODY);
    const document = JSON.parse(text) as { errors?: Array<{ code?: unknown; message?: unknown }> };
    const errors = Array.isArray(document.errors) ? document.errors : [];
    codes = errors.map((entry) => String(entry.code ?? '')).filter((code) => code !== '');
    detail = errors
      .map((entry) => [entry.code, entry.message].filter(Boolean).join(': '))
      .filter((line) => line !== '')
      .join('; ');
  } catch {
    await response.discard();
  }
  const oneLine = detail.replace(/\s+/g, ' ').slice(0, 300);
  const message = oneLine === '' ? `${what}: HTTP ${response.status}` : `${what}: ${oneLine} (HTTP ${response.status})`;
  return new RegistryError(response.status, codes, message, hintFor(response.status));
}
