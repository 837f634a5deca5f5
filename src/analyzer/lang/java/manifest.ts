/**
 * META-INF/MANIFEST.MF as the jar analyzer reads it: the main section only (per-entry sections
 * after the first blank line never override it), continuation lines folded, any line ending.
 * The artifact is guessed from the Implementation-, Specification- and Bundle- headers in
 * Trivy's order; values that are unresolved variables (`%bundleName`) are ignored.
 */
export interface Manifest {
  readonly headers: ReadonlyMap<string, string>;
}

export interface ManifestArtifact {
  groupId: string;
  artifactId: string;
  version: string;
}

/** The main section's headers, names as written. */
export function parseManifest(text: string): Manifest {
  const headers = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') break;
    if (line.startsWith(' ')) {
      if (last !== undefined) headers.set(last, `${headers.get(last) ?? ''}${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon);
    headers.set(last, line.slice(colon + 1).replace(/^ /, ''));
  }
  return { headers };
}

/** A header's trimmed value; empty when absent, blank or an unresolved `%variable`. */
export function manifestValue(manifest: Manifest, name: string): string {
  const value = (manifest.headers.get(name) ?? '').trim();
  return value.startsWith('%') ? '' : value;
}

function firstOf(manifest: Manifest, names: readonly string[]): string {
  for (const name of names) {
    const value = manifestValue(manifest, name);
    if (value !== '') return value;
  }
  return '';
}

/** The Maven coordinates a manifest suggests; undefined unless group, artifact and version are all there. */
export function manifestArtifact(manifest: Manifest): ManifestArtifact | undefined {
  let groupId = manifestValue(manifest, 'Implementation-Vendor-Id');
  if (groupId === '') {
    const symbolic = manifestValue(manifest, 'Bundle-SymbolicName');
    if (symbolic !== '') {
      // com.fasterxml.jackson.core.jackson-databind → com.fasterxml.jackson.core
      const dot = symbolic.lastIndexOf('.');
      groupId = dot > 0 ? symbolic.slice(0, dot) : symbolic;
    } else {
      groupId = firstOf(manifest, ['Implementation-Vendor', 'Specification-Vendor']);
    }
  }
  const artifactId = firstOf(manifest, ['Implementation-Title', 'Specification-Title', 'Bundle-Name']);
  const version = firstOf(manifest, ['Implementation-Version', 'Specification-Version', 'Bundle-Version']);
  if (groupId === '' || artifactId === '' || version === '') return undefined;
  return { groupId: groupId.trim(), artifactId, version };
}

/** `Plugin-License-Name: X` and `Plugin-License-Name-2: Y` (Jenkins plugins), in header order. */
export function pluginLicenseNames(manifest: Manifest): string[] {
  const names: string[] = [];
  for (const [name, value] of manifest.headers) {
    if (/^Plugin-License-Name(-\d+)?$/.test(name) && value.trim() !== '') names.push(value.trim());
  }
  return names;
}

/** The value of one `Plugin-License-Name…:` manifest line, or '' for any other line. */
export function pluginLicenseNameOfLine(line: string): string {
  const match = /^Plugin-License-Name(?:-\d+)?:(.*)$/.exec(line);
  return match ? (match[1] ?? '').trim() : '';
}
