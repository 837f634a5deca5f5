import { describeError, VigilError } from '../../errors/index.ts';
import type { OS } from '../types.ts';
import { OsFamily } from './families.ts';

export const UBUNTU_ESM_STATUS_PATH = 'var/lib/ubuntu-advantage/status.json';

/**
 * Ubuntu Pro's status file: ESM is on when the `esm-infra` service is enabled. The result names
 * only the family and the flag; the version comes from lsb-release and the two are merged.
 */
export function parseUbuntuEsmStatus(text: string): OS | undefined {
  let status: unknown;
  try {
    status = JSON.parse(text);
  } catch (error) {
    throw new VigilError('OS_RELEASE_INVALID', `ubuntu ESM analyze error: ${describeError(error)}`);
  }
  const services = (status as { services?: unknown } | null)?.services;
  if (!Array.isArray(services)) return undefined;
  const enabled = services.some((service: unknown) => {
    const entry = service as { name?: unknown; status?: unknown } | null;
    return entry?.name === 'esm-infra' && entry.status === 'enabled';
  });
  return enabled ? { Family: OsFamily.Ubuntu, Name: '', Extended: true } : undefined;
}
