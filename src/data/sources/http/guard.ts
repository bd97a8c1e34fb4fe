// The SSRF guard: an HTTP source may not reach private, loopback, link-local or otherwise special addresses unless
// the host is explicitly allowed. Checked on the resolved address at connect time, so DNS tricks do not get past it.

import dns from 'node:dns';
import net from 'node:net';
import { KeelError } from '../../../core/index.ts';
import { DataErrors } from '../../errors.ts';

const blocked = new net.BlockList();
// IPv4 special-purpose ranges (RFC 6890 and friends)
for (const [a, p] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(a, p, 'ipv4');
// IPv6: unspecified, loopback, unique local, link-local, multicast
blocked.addAddress('::', 'ipv6');
blocked.addAddress('::1', 'ipv6');
blocked.addSubnet('fc00::', 7, 'ipv6');
blocked.addSubnet('fe80::', 10, 'ipv6');
blocked.addSubnet('ff00::', 8, 'ipv6');

/** An IPv6 address as its eight 16-bit groups (a trailing dotted IPv4 part included); null when it does not parse. */
function groupsOf(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const b = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const [head, tail, more] = text.split('::');
  if (more !== undefined) return null;
  const part = (p: string) => (p === '' ? [] : p.split(':').map((g) => Number.parseInt(g, 16)));
  const h = part(head);
  const t = tail === undefined ? [] : part(tail);
  const zeros = tail === undefined ? 0 : 8 - h.length - t.length;
  const all = [...h, ...new Array(Math.max(0, zeros)).fill(0), ...t];
  return all.length === 8 && all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : null;
}

const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * The IPv4 address an IPv6 form carries, where it carries one: IPv4-mapped (::ffff:a.b.c.d, also in hex),
 * IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
 */
function embeddedIPv4(g: number[]): string | null {
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && (g[5] === 0xffff || g[5] === 0)) return v4(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return v4(g[6], g[7]);
  if (g[0] === 0x2002) return v4(g[1], g[2]);
  return null;
}

export function isPrivateAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 0) return true; // not an address at all: refuse rather than guess
  if (family === 4) return blocked.check(ip, 'ipv4');
  const g = groupsOf(ip);
  if (!g) return true;
  // Teredo (2001::/32) and local-use NAT64 (64:ff9b:1::/48) tunnel to addresses that cannot be checked here
  if ((g[0] === 0x2001 && g[1] === 0) || (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1)) return true;
  const inner = embeddedIPv4(g);
  if (inner !== null) return blocked.check(inner, 'ipv4');
  return blocked.check(ip, 'ipv6');
}

function refuse(host: string, ip: string): KeelError {
  return new KeelError(
    DataErrors.SSRF_BLOCKED,
    `refusing to fetch from ${host} (${ip}): a private, loopback or link-local address; allow it explicitly (allowHosts, or --allow-host on the command line)`,
  );
}

/** Throws when a literal-IP host is private and not allowed (names are checked at lookup). */
export function checkHost(host: string, allowHosts: readonly string[]): void {
  const bare = host.replace(/^\[|\]$/g, '');
  if (allowHosts.includes(bare)) return;
  if (net.isIP(bare) !== 0 && isPrivateAddress(bare)) throw refuse(host, bare);
  if (bare === 'localhost' || bare.endsWith('.localhost')) throw refuse(host, 'loopback');
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** A `lookup` for http.request that resolves the name and refuses private answers unless the host is allowed. */
export function guardedLookup(allowHosts: readonly string[]) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      if (!allowHosts.includes(hostname)) {
        const bad = list.find((a) => isPrivateAddress(a.address));
        if (bad) return callback(refuse(hostname, bad.address) as unknown as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}
