// NO_PROXY matching with the rules of Go's golang.org/x/net/http/httpproxy (what Flux and most CLIs use): `*`,
// host suffixes (`example.com` also covers `a.example.com`), `.example.com` (subdomains only), `*.example.com`,
// `host:port`, IP addresses and CIDR ranges; localhost and loopback addresses are never proxied. Pure; no I/O.
import { BlockList, isIP } from 'node:net';

interface DomainRule {
  /** Always starts with a dot. */
  suffix: string;
  /** Whether the bare domain (suffix without its dot) matches too. */
  matchHost: boolean;
  port: string;
}

interface IpRule {
  ip: string;
  port: string;
}

export interface NoProxyRules {
  all: boolean;
  domains: DomainRule[];
  ips: IpRule[];
  cidrs: BlockList;
}

function splitHostPort(entry: string): { host: string; port: string } | undefined {
  const bracketed = /^\[([^\]]*)\]:(\d*)$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2]! };
  const colon = entry.lastIndexOf(':');
  if (colon < 0 || entry.indexOf(':') !== colon) return undefined; // no port, or a bare IPv6 address
  return { host: entry.slice(0, colon), port: entry.slice(colon + 1) };
}

function normalizeIp(ip: string): string {
  return ip.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Parses a NO_PROXY value (comma-separated; entries are trimmed and lower-cased; malformed ones are skipped). */
export function parseNoProxy(value: string | undefined): NoProxyRules {
  const rules: NoProxyRules = { all: false, domains: [], ips: [], cidrs: new BlockList() };
  for (const raw of (value ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return { ...rules, all: true };
    const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry);
    if (cidr) {
      const family = isIP(cidr[1]!);
      const prefix = Number(cidr[2]);
      if (family && prefix <= (family === 4 ? 32 : 128)) rules.cidrs.addSubnet(cidr[1]!, prefix, family === 4 ? 'ipv4' : 'ipv6');
      continue;
    }
    const split = splitHostPort(entry);
    let host = split?.host ?? entry;
    const port = split?.port ?? '';
    if (split && !host) continue; // ":8080": no host part
    host = normalizeIp(host);
    if (isIP(host)) {
      rules.ips.push({ ip: host, port });
      continue;
    }
    if (!host) continue;
    if (host.startsWith('*.')) host = host.slice(1);
    const matchHost = !host.startsWith('.');
    rules.domains.push({ suffix: matchHost ? `.${host}` : host, matchHost, port });
  }
  return rules;
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** True when requests to `url` must go direct (not through a proxy) under `rules`. */
export function bypassesProxy(url: URL, rules: NoProxyRules): boolean {
  const host = normalizeIp(url.hostname);
  const port = defaultPort(url);
  const family = isIP(host);
  if (host === 'localhost' || (family === 4 && host.startsWith('127.')) || (family === 6 && host === '::1')) return true;
  if (rules.all) return true;
  if (family) {
    if (rules.cidrs.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true;
    return rules.ips.some((rule) => normalizeIp(rule.ip) === host && (rule.port === '' || rule.port === port));
  }
  return rules.domains.some((rule) => (host.endsWith(rule.suffix) || (rule.matchHost && host === rule.suffix.slice(1))) && (rule.port === '' || rule.port === port));
}
