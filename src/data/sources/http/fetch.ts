// A fetch for Keel's own outgoing requests (OpenID discovery, keys, tokens, webhooks): every request passes the SSRF
// guard — private, loopback and link-local addresses refused unless allowed, names checked at lookup — with a
// timeout and no redirect followed.

import http from 'node:http';
import https from 'node:https';
import { KeelError } from '../../../core/index.ts';
import { DataErrors } from '../../errors.ts';
import { checkHost, guardedLookup } from './guard.ts';

function urlOf(input: string | URL | Request): URL {
  return new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
}

async function bodyOf(init: RequestInit): Promise<Buffer | undefined> {
  const b = init.body;
  if (b === undefined || b === null) return undefined;
  if (typeof b === 'string') return Buffer.from(b);
  if (b instanceof URLSearchParams) return Buffer.from(b.toString());
  return Buffer.from(await new Response(b).arrayBuffer());
}

export function guardedFetch(allowHosts: readonly string[], timeoutMs = 10_000): typeof fetch {
  const lookup = guardedLookup(allowHosts);
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = urlOf(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new KeelError(DataErrors.HTTP_FAILED, `only http and https are fetched, not ${url.protocol}`);
    checkHost(url.hostname, allowHosts);
    const body = await bodyOf(init);
    const headers: Record<string, string> = {};
    new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined)).forEach((v, k) => {
      headers[k] = v;
    });
    if (body) headers['content-length'] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      const mod = url.protocol === 'https:' ? https : http;
      const req = mod.request(
        url,
        { method: init.method ?? 'GET', headers, lookup: lookup as never, timeout: timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 502;
            const out = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
              if (Array.isArray(v)) for (const x of v) out.append(k, x);
              else if (v !== undefined) out.set(k, String(v));
            }
            const empty = status === 204 || status === 304 || (init.method ?? 'GET') === 'HEAD';
            resolve(new Response(empty ? null : Buffer.concat(chunks), { status, headers: out }));
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(new KeelError(DataErrors.HTTP_FAILED, `${url.origin}: no answer within ${timeoutMs} ms`)),
      );
      req.on('error', reject);
      init.signal?.addEventListener('abort', () =>
        req.destroy(new KeelError(DataErrors.HTTP_FAILED, `${url.origin}: aborted`)),
      );
      if (body) req.write(body);
      req.end();
    });
  }) as typeof fetch;
}
