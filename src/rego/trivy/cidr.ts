import { type Cidr, parseCidr, parseIp } from '../builtins/net.ts';

const MAX_UINT64 = 0xffffffffffffffffn;

const PRIVATE_BLOCKS: readonly Cidr[] = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '::1/128',
  'fe80::/10',
  'fc00::/7',
  '100.64.0.0/10',
].map((c) => parseCidr(c) as Cidr);

function isPrivate(v6: boolean, value: bigint): boolean {
  return PRIVATE_BLOCKS.some((b) => b.v6 === v6 && value >= b.first && value <= b.last);
}

function isWildcard(s: string): boolean {
  const lower = s.toLowerCase();
  return lower === '*' || lower === 'internet' || lower === 'any';
}

/** cidr.count_addresses: addresses in a CIDR (1 for an address, 0 when invalid), capped at 2^64−1. */
export function countAddresses(input: string): bigint {
  if (isWildcard(input)) return MAX_UINT64;
  if (!input.includes('/')) return parseIp(input) === undefined ? 0n : 1n;
  const cidr = parseCidr(input);
  if (cidr === undefined) return 0n;
  const power = (cidr.v6 ? 128 : 32) - cidr.prefix;
  return power >= 63 ? MAX_UINT64 : 1n << BigInt(power);
}

/**
 * cidr.is_public: an address outside the private blocks, or a CIDR whose first or last address
 * is. A range `a-b` counts as public: Trivy hands the raw text to Go's net.IP, which never
 * matches a private block.
 */
export function isPublicCidr(input: string): boolean {
  if (isWildcard(input)) return true;
  if (input.includes('-')) return input.split('-').length === 2;
  if (!input.includes('/')) {
    const ip = parseIp(input);
    return ip !== undefined && !isPrivate(ip.v6, ip.value);
  }
  const cidr = parseCidr(input);
  if (cidr === undefined) return false;
  return !isPrivate(cidr.v6, cidr.first) || !isPrivate(cidr.v6, cidr.last);
}
