import { BlockList, isIP } from 'node:net';
import type { Environment } from './types.ts';

/**
 * Proxy choice from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case; lower case wins), with Go's
 * rules so a Trivy setup behaves the same: https targets use HTTPS_PROXY only, http targets
 * HTTP_PROXY, and `localhost` and loopback addresses never go through a proxy.
 */
export interface ProxySettings {
  readonly httpProxy: string | undefined;
  readonly httpsProxy: string | undefined;
  readonly noProxy: readonly NoProxyRule[];
}

type NoProxyRule =
  | { readonly kind: 'all' }
  | { readonly kind: 'domain'; readonly name: string; readonly subdomainsOnly: boolean; readonly port?: number }
  | { readonly kind: 'cidr'; readonly list: BlockList; readonly port?: number };

function variable(env: Environment, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value && value.trim() !== '' ? value.trim() : undefined;
}

/** `proxy:3128` → `http://proxy:3128`, as Go and curl read a scheme-less proxy. */
function normaliseProxyUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
}

export function proxySettings(env: Environment): ProxySettings {
  const httpProxy = normaliseProxyUrl(variable(env, 'http_proxy'));
  const httpsProxy = normaliseProxyUrl(variable(env, 'https_proxy'));
  return { httpProxy, httpsProxy, noProxy: parseNoProxy(variable(env, 'no_proxy') ?? '') };
}

function splitPort(entry: string): { host: string; port?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1] as string, port: bracketed[2] ? Number(bracketed[2]) : undefined };
  const colons = entry.split(':').length - 1;
  const match = colons === 1 ? /^(.*):(\d+)$/.exec(entry) : null;
  return match ? { host: match[1] as string, port: Number(match[2]) } : { host: entry };
}

export function parseNoProxy(text: string): NoProxyRule[] {
  const rules: NoProxyRule[] = [];
  for (const raw of text.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') {
      rules.push({ kind: 'all' });
      continue;
    }
    const cidr = /^([0-9a-f.:]+)\/(\d{1,3})$/.exec(entry);
    if (cidr && isIP(cidr[1] as string)) {
      const list = new BlockList();
      const family = isIP(cidr[1] as string) === 6 ? 'ipv6' : 'ipv4';
      try {
        list.addSubnet(cidr[1] as string, Number(cidr[2]), family);
        rules.push({ kind: 'cidr', list });
      } catch {
        // An impossible prefix length matches nothing.
      }
      continue;
    }
    const { host, port } = splitPort(entry);
    const subdomainsOnly = host.startsWith('.') || host.startsWith('*.');
    const name = host.replace(/^\*?\./, '').replace(/\.$/, '');
    if (name !== '') rules.push({ kind: 'domain', name, subdomainsOnly, port });
  }
  return rules;
}

function defaultPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

export function bypassesProxy(url: URL, rules: readonly NoProxyRule[]): boolean {
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isLoopback(host)) return true;
  const port = defaultPort(url);
  for (const rule of rules) {
    if (rule.kind === 'all') return true;
    if (rule.port !== undefined && rule.port !== port) continue;
    if (rule.kind === 'cidr') {
      const family = isIP(host);
      if (family !== 0 && rule.list.check(host, family === 6 ? 'ipv6' : 'ipv4')) return true;
      continue;
    }
    if (host === rule.name && !rule.subdomainsOnly) return true;
    if (host.endsWith(`.${rule.name}`)) return true;
  }
  return false;
}

/** The proxy URL a request to `url` goes through, or undefined for a direct connection. */
export function proxyFor(url: URL, settings: ProxySettings): string | undefined {
  const proxy = url.protocol === 'https:' ? settings.httpsProxy : settings.httpProxy;
  if (!proxy) return undefined;
  return bypassesProxy(url, settings.noProxy) ? undefined : proxy;
}
