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

export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return blocked.check(mapped[1], 'ipv4');
  const family = net.isIP(ip);
  if (family === 0) return true; // not an address at all: refuse rather than guess
  return blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6');
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
