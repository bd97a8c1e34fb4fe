// Where a server may listen and which Host headers it answers: loopback needs no ceremony, anything else needs
// authentication on every route, and a Host outside the allowlist (DNS rebinding) is refused.

import { isIP } from 'node:net';

/** Whether a listen address is reachable from its own host only (loopback). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1' || h === '::ffff:127.0.0.1';
}

/** The Host names a server answers: loopback names, the address it listens on, and the ones configured. */
export function hostAllowlist(
  listen: string,
  extra: readonly string[] = [],
): (hostHeader: string | undefined) => boolean {
  if (extra.includes('*')) return () => true;
  const names = new Set(['localhost', '127.0.0.1', '::1', ...extra.map((e) => e.toLowerCase())]);
  const bare = listen.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare !== '0.0.0.0' && bare !== '::') names.add(bare);
  return (hostHeader) => {
    if (!hostHeader) return false;
    const h = hostHeader.toLowerCase();
    // strip the port: [v6]:port, name:port
    const name = h.startsWith('[') ? h.slice(1, h.indexOf(']')) : h.replace(/:\d+$/, '');
    return names.has(name);
  };
}
