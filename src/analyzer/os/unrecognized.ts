import { VigilError } from '../../errors/index.ts';

const CODE = 'OS_UNRECOGNIZED';

/**
 * A distro file that names no OS we know. Trivy treats this as "not this distro" rather than a
 * failure, so analyzers swallow it; the parse functions throw it so callers can tell the cases apart.
 */
export function unrecognizedOs(distro: string): VigilError {
  return new VigilError(CODE, `${distro}: unable to analyze OS information`);
}

export function isUnrecognizedOs(error: unknown): boolean {
  return error instanceof VigilError && error.code === CODE;
}
