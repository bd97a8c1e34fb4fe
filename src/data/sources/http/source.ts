// HTTP JSON APIs: page / offset / cursor / Link-header pagination, retries with backoff on 429, 5xx and dropped
// connections (Retry-After honoured), a rate limit, timeouts, auth headers from environment variables (never
// described or logged) and the SSRF guard.

import http from 'node:http';
import https from 'node:https';
import { KeelError } from '../../../core/index.ts';
import { DataErrors } from '../../errors.ts';
import type { ColumnType } from '../../frame.ts';
import { RecordFramer } from '../../records.ts';
import type { Schema } from '../../schema.ts';
import type { ReadingRules } from '../../values.ts';
import type { ReadOptions, Source, SourceBatch, SourceDescription } from '../source.ts';
import { checkHost, guardedLookup } from './guard.ts';

export type Pagination =
  | { kind: 'none' }
  /** ?page=1,2,3… until a page has no records */
  | { kind: 'page'; param?: string; start?: number; sizeParam?: string; size?: number }
  /** ?offset=0,limit,2·limit… until a page has fewer than `limit` records */
  | { kind: 'offset'; param?: string; limitParam?: string; limit: number }
  /** the next cursor is read from the body at `cursorPath` and sent as `param`, until it is empty */
  | { kind: 'cursor'; param?: string; cursorPath: string }
  /** the next URL is the Link header's rel="next" */
  | { kind: 'link' };

/** A header value, or the name of the environment variable holding it (the value is never stored). */
export type HeaderValue = string | { env: string; prefix?: string };

export interface HttpSourceOptions {
  url: string;
  /** dotted path to the records array in each body ("data.items"); the body itself when absent */
  recordsPath?: string;
  pagination?: Pagination;
  headers?: Record<string, HeaderValue>;
  /** attempts after the first (default 4) */
  retries?: number;
  /** first backoff; doubles each attempt with jitter (default 200 ms) */
  backoffMs?: number;
  /** per request (default 30 s) */
  timeoutMs?: number;
  /** at most this many requests per second */
  requestsPerSecond?: number;
  /** a safety stop (default 10,000 pages) */
  maxPages?: number;
  /** hosts (names or addresses) allowed even though they are private or loopback, e.g. ["127.0.0.1"] */
  allowHosts?: string[];
  schema?: Schema;
  /** declared types for some columns (the others inferred from the first page) */
  types?: Record<string, ColumnType>;
  /** how text values are read (missing markers, zone of date-times without one): the value layer's defaults otherwise */
  reading?: Partial<ReadingRules>;
  /** told about each retry (status or error, attempt, wait) */
  onRetry?: (e: { url: string; attempt: number; reason: string; waitMs: number }) => void;
}

const SECRET_PARAM = /token|key|secret|password|signature|auth/i;

/** A URL with secret-looking query values replaced and any user:password removed. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const k of [...u.searchParams.keys()]) if (SECRET_PARAM.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}

function resolveHeaders(h: Record<string, HeaderValue> | undefined): Record<string, string> {
  const out: Record<string, string> = { accept: 'application/json' };
  for (const [k, v] of Object.entries(h ?? {})) {
    if (typeof v === 'string') out[k] = v;
    else {
      const val = process.env[v.env];
      if (val === undefined) {
        throw new KeelError(
          DataErrors.SOURCE_CONFIG,
          `header ${k} needs the environment variable ${v.env}, which is not set`,
        );
      }
      out[k] = `${v.prefix ?? ''}${val}`;
    }
  }
  return out;
}

function at(body: unknown, path: string | undefined): unknown {
  if (!path) return body;
  let cur = body;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function nextLink(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (m) return m[1];
  }
  return undefined;
}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function once(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
  allow: readonly string[],
): Promise<Response> {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return Promise.reject(new KeelError(DataErrors.SOURCE_CONFIG, `unsupported protocol ${u.protocol}`));
  }
  checkHost(u.hostname, allow);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      { method: 'GET', headers, lookup: guardedLookup(allow) as never, timeout: timeoutMs },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(parts).toString('utf8'),
          }),
        );
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function httpSource(o: HttpSourceOptions): Source {
  const pagination = o.pagination ?? { kind: 'none' };
  let pagesRead = 0;
  return {
    kind: 'http',
    describe(): SourceDescription {
      return {
        kind: 'http',
        location: redactUrl(o.url),
        details: { pagination: pagination.kind, headers: Object.keys(o.headers ?? {}), pages: pagesRead },
      };
    },
    async *batches(ro: ReadOptions = {}): AsyncGenerator<SourceBatch> {
      const headers = resolveHeaders(o.headers);
      const retries = o.retries ?? 4;
      const backoff = o.backoffMs ?? 200;
      const timeoutMs = o.timeoutMs ?? 30_000;
      const allow = o.allowHosts ?? [];
      const gap = o.requestsPerSecond ? 1000 / o.requestsPerSecond : 0;
      let lastStart = 0;
      const get = async (url: string): Promise<{ body: unknown; link?: string }> => {
        for (let attempt = 0; ; attempt++) {
          const wait = lastStart + gap - Date.now();
          if (wait > 0) await sleep(wait);
          lastStart = Date.now();
          let reason: string;
          let retryAfter: number | undefined;
          try {
            const res = await once(url, headers, timeoutMs, allow);
            if (res.status >= 200 && res.status < 300) {
              try {
                const link = res.headers.link;
                return { body: JSON.parse(res.body), link: Array.isArray(link) ? link.join(', ') : link };
              } catch (err) {
                throw new KeelError(
                  DataErrors.HTTP_FAILED,
                  `${redactUrl(url)} answered with invalid JSON: ${(err as Error).message}`,
                );
              }
            }
            reason = `HTTP ${res.status}`;
            if (res.status !== 429 && res.status < 500) {
              throw new KeelError(
                DataErrors.HTTP_FAILED,
                `${redactUrl(url)} answered ${res.status}: ${res.body.slice(0, 200)}`,
              );
            }
            const ra = Number(res.headers['retry-after']);
            if (Number.isFinite(ra)) retryAfter = Math.min(30_000, ra * 1000);
          } catch (err) {
            if (err instanceof KeelError) throw err;
            reason = (err as Error).message;
          }
          if (attempt >= retries) {
            throw new KeelError(
              DataErrors.HTTP_FAILED,
              `${redactUrl(url)} failed after ${attempt + 1} attempts: ${reason}`,
            );
          }
          const waitMs = retryAfter ?? backoff * 2 ** attempt * (0.5 + Math.random() / 2);
          o.onRetry?.({ url: redactUrl(url), attempt: attempt + 1, reason, waitMs });
          await sleep(waitMs);
        }
      };

      const framer = new RecordFramer(redactUrl(o.url), o.schema, o.types, o.reading);
      let url: string | undefined = o.url;
      let page = pagination.kind === 'page' ? (pagination.start ?? 1) : 0;
      let offset = 0;
      let line = 0;
      pagesRead = 0;
      const withParams = (params: Record<string, string | number>): string => {
        const u = new URL(o.url);
        for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
        return u.toString();
      };
      if (pagination.kind === 'page') {
        url = withParams({
          [pagination.param ?? 'page']: page,
          ...(pagination.size ? { [pagination.sizeParam ?? 'per_page']: pagination.size } : {}),
        });
      } else if (pagination.kind === 'offset') {
        url = withParams({
          [pagination.param ?? 'offset']: 0,
          [pagination.limitParam ?? 'limit']: pagination.limit,
        });
      }
      while (url !== undefined) {
        if (ro.signal?.aborted) return;
        if (pagesRead >= (o.maxPages ?? 10_000)) {
          throw new KeelError(
            DataErrors.HTTP_FAILED,
            `stopped after ${pagesRead} pages (maxPages); is the pagination right?`,
          );
        }
        const { body, link } = await get(url);
        pagesRead++;
        const records = at(body, o.recordsPath);
        if (!Array.isArray(records)) {
          throw new KeelError(
            DataErrors.HTTP_FAILED,
            `${redactUrl(url)}: no array of records at ${o.recordsPath ? `"${o.recordsPath}"` : 'the top of the body'}`,
          );
        }
        records.forEach((r, i) => {
          line++;
          framer.push(r, line, `page ${pagesRead} item ${i}`);
        });
        yield framer.flush();
        switch (pagination.kind) {
          case 'none':
            url = undefined;
            break;
          case 'page':
            page++;
            url =
              records.length === 0
                ? undefined
                : withParams({
                    [pagination.param ?? 'page']: page,
                    ...(pagination.size ? { [pagination.sizeParam ?? 'per_page']: pagination.size } : {}),
                  });
            break;
          case 'offset':
            offset += records.length;
            url =
              records.length < pagination.limit
                ? undefined
                : withParams({
                    [pagination.param ?? 'offset']: offset,
                    [pagination.limitParam ?? 'limit']: pagination.limit,
                  });
            break;
          case 'cursor': {
            const next = at(body, pagination.cursorPath);
            url =
              next === null || next === undefined || next === ''
                ? undefined
                : withParams({ [pagination.param ?? 'cursor']: String(next) });
            break;
          }
          case 'link':
            {
              const next = nextLink(link);
              url = next ? new URL(next, url).toString() : undefined;
            }
            break;
        }
      }
    },
  };
}
