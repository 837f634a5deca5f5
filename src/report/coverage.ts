/**
 * What the results rest on (`Vigil.Databases`): each database a scan used, with its schema, build
 * time, age, digest and source, and each one it did not use, with why. An empty result from a
 * scan whose databases were all there can so be told apart from one that lacked data.
 */
export interface DatabaseCoverage {
  Kind: 'db' | 'java-db' | 'checks';
  /** `vulnerability DB`, `Java DB`, `checks bundle`. */
  Name: string;
  /** used; unavailable (wanted, but missing or broken); not-needed (nothing in the target asked for it); skipped (its scanner is off). */
  Status: 'used' | 'unavailable' | 'not-needed' | 'skipped';
  Reason?: string;
  Schema?: number;
  UpdatedAt?: string;
  NextUpdate?: string;
  DownloadedAt?: string;
  AgeSeconds?: number;
  /** The same age, readable: `3d4h`. */
  Age?: string;
  ManifestDigest?: string;
  Repository?: string;
  /** The key whose cosign signature was verified when it was downloaded. */
  SignedBy?: string;
  /** Downloaded during this scan. */
  Downloaded?: boolean;
}

const STATUS_TEXT: Record<DatabaseCoverage['Status'], string> = {
  used: 'used',
  unavailable: 'UNAVAILABLE',
  'not-needed': 'not needed',
  skipped: 'skipped',
};

function usedDetails(entry: DatabaseCoverage): string {
  const parts: string[] = [];
  if (entry.Schema !== undefined) parts.push(`schema ${entry.Schema}`);
  if (entry.UpdatedAt) parts.push(`built ${entry.UpdatedAt}${entry.Age ? `, ${entry.Age} ago` : ''}`);
  if (entry.ManifestDigest) parts.push(entry.ManifestDigest);
  if (entry.Repository) parts.push(`from ${entry.Repository}`);
  if (entry.SignedBy) parts.push('signature verified');
  return parts.join(', ');
}

/** The table report's lines for the databases. */
export function renderDatabaseCoverage(entries: readonly DatabaseCoverage[]): string {
  if (entries.length === 0) return '';
  const lines = entries.map((entry) => {
    const details = [entry.Status === 'used' ? usedDetails(entry) : '', entry.Reason ?? ''].filter(Boolean);
    return `- ${entry.Name}: ${STATUS_TEXT[entry.Status]}${details.length > 0 ? ` - ${details.join('; ')}` : ''}`;
  });
  return `\nDatabases:\n${lines.join('\n')}\n`;
}
