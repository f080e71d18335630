/**
 * Which IP a connection is counted against. Behind proxies the client IP comes from `X-Forwarded-For`, read
 * from the right (each proxy appends the address it saw), and only as far as trusted proxies wrote it: a
 * client writes whatever it wants on the left. Limits key IPv6 by /64, the smallest block a home or a mobile
 * line is given: keying full addresses would give one subscriber 2^64 "IPs". Parsing and CIDR matching come
 * from ipaddr.js.
 */
import ipaddr from 'ipaddr.js';

export interface ProxyTrust {
  /** Proxies counted back from the socket whose `X-Forwarded-For` entries are believed. */
  hops: number;
  /** Proxy addresses and CIDR ranges; nearest untrusted address in the chain is the client. */
  proxies: readonly string[];
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseRange(s: string): Range | null {
  try {
    if (s.includes('/')) return ipaddr.parseCIDR(s);
    const a = ipaddr.process(s);
    return [a, a.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

/** True for an IPv4/IPv6 address or a CIDR range. */
export function isAddressOrRange(s: string): boolean {
  return parseRange(s) !== null;
}

/** Address as written, with IPv4-mapped IPv6 (`::ffff:1.2.3.4`) reduced to IPv4; null if not an address. */
function normalise(s: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const t = s.trim();
  return ipaddr.isValid(t) ? ipaddr.process(t) : null;
}

export class ClientIpResolver {
  private readonly ranges: Range[];

  constructor(private readonly trust: ProxyTrust) {
    this.ranges = trust.proxies.map(parseRange).filter((r): r is Range => r !== null);
  }

  /** True when `X-Forwarded-For` may be read for connections from this socket address. */
  isProxy(remote: string): boolean {
    if (this.trust.hops > 0) return true;
    const a = normalise(remote);
    return a !== null && this.trusted(a);
  }

  /** The client address of a connection from `remote` carrying `forwardedFor`. */
  resolve(remote: string, forwardedFor: string | string[] | undefined): string {
    const socketAddr = normalise(remote);
    if (!socketAddr) return remote;
    if ((this.trust.hops === 0 && this.ranges.length === 0) || forwardedFor === undefined) {
      return socketAddr.toString();
    }
    const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
    const entries = header.split(',').reverse();
    let client = socketAddr;
    for (let i = 0; i < entries.length; i++) {
      // Hop i wrote entry i (counted from the right): believe it only if hop i is trusted.
      if (this.trust.hops > 0 ? i >= this.trust.hops : !this.trusted(client)) break;
      const next = normalise(entries[i] ?? '');
      // A trusted proxy wrote something that is not an address: stop at that proxy.
      if (!next) break;
      client = next;
    }
    return client.toString();
  }

  private trusted(a: ipaddr.IPv4 | ipaddr.IPv6): boolean {
    return this.ranges.some(([range, bits]) => range.kind() === a.kind() && a.match(range, bits));
  }
}

/** Key for per-IP limits: the IPv4 address, or the /64 of an IPv6 address. */
export function ipKey(address: string): string {
  const a = normalise(address);
  if (!a) return address;
  if (a.kind() === 'ipv4') return a.toString();
  const parts = (a as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
}
