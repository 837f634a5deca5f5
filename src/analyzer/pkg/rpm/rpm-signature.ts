/**
 * A one-line description of an OpenPGP signature stored in an rpm header (RSAHEADER, PGP), in the
 * form `rpm -q --qf '%{RSAHEADER:pgpsig}'` prints: `RSA/SHA256, Thu Jan 27 09:02:11 2022, Key ID …`.
 * Signature packets Vigil cannot read describe as the empty string; they are informational only.
 */
const PUBLIC_KEY_ALGORITHMS: Readonly<Record<number, string>> = { 1: 'RSA' };
const HASH_ALGORITHMS: Readonly<Record<number, string>> = { 2: 'SHA1', 8: 'SHA256' };
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's "Mon Jan _2 15:04:05 2006" in UTC. */
function formatDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

function describe(publicKey: number, hash: number, date: number, keyId: Buffer): string {
  return `${PUBLIC_KEY_ALGORITHMS[publicKey] ?? ''}/${HASH_ALGORITHMS[hash] ?? ''}, ${formatDate(date)}, Key ID ${keyId.toString('hex')}`;
}

export function describeRpmSignature(packet: Buffer): string {
  if (packet.length < 3) return '';
  const signatureType = packet[1];
  const version = packet[2] ?? 0;
  const body = packet.subarray(3);
  // Version 4 signature packet with a one-octet length (0x1c): fixed layout up to the key ID.
  if (signatureType === 0x01 && version === 0x1c) {
    if (body.length < 24) return '';
    return describe(body[2] ?? 0, body[3] ?? 0, body.readInt32BE(8), body.subarray(16, 24));
  }
  if (signatureType !== 0x01 && signatureType !== 0x02) return '';
  if (version > 0x15) {
    if (body.length < 35) return '';
    return describe(body[2] ?? 0, body[3] ?? 0, body.readInt32BE(31), body.subarray(21, 29));
  }
  if (body.length < 17) return '';
  return describe(body[15] ?? 0, body[16] ?? 0, body.readInt32BE(3), body.subarray(7, 15));
}
