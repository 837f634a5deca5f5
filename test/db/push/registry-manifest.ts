import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

export const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}
export interface Manifest {
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** The manifest as the registry serves it, read by skopeo (an independent OCI client). */
export function skopeoManifest(reference: string, extra: readonly string[] = []): { raw: Buffer; json: Manifest } {
  const raw = execFileSync('skopeo', ['inspect', '--raw', ...extra, `docker://${reference}`], { maxBuffer: 1 << 20 });
  return { raw, json: JSON.parse(raw.toString('utf8')) };
}
