// One string names a source on the command line: a file path or glob, postgres://…, sqlite:<file>, duckdb:<file>,
// an http(s) URL, or snapshot:<id> from a snapshot store; the options that kind needs come alongside.

import { KeelError } from '../../core/index.ts';
import { DataErrors } from '../errors.ts';
import type { ColumnType } from '../frame.ts';
import { readSnapshot } from '../snapshot.ts';
import { duckdbSource } from './duckdb/source.ts';
import { type FileSourceOptions, fileSource } from './file/source.ts';
import { type HeaderValue, httpSource, type Pagination } from './http/source.ts';
import { postgresSource } from './postgres/source.ts';
import type { Source } from './source.ts';
import { sqliteSource } from './sqlite/source.ts';

export interface SourceSpecOptions extends FileSourceOptions {
  query?: string;
  table?: string;
  types?: Record<string, ColumnType>;
  recordsPath?: string;
  /** "page", "offset:<limit>", "cursor:<path.to.next>", "link" */
  pagination?: string;
  allowHosts?: string[];
  /** "Name: value", "Name: env:VARIABLE" or "Name: Bearer env:VARIABLE" */
  headers?: string[];
  /** where snapshot:<id> is looked up (default .keel/snapshots) */
  snapshotDir?: string;
}

function paginationOf(p: string | undefined): Pagination {
  if (!p || p === 'none') return { kind: 'none' };
  const [kind, arg] = p.split(/:(.*)/s);
  if (kind === 'page') return { kind: 'page' };
  if (kind === 'link') return { kind: 'link' };
  if (kind === 'offset') return { kind: 'offset', limit: Number(arg || 100) };
  if (kind === 'cursor' && arg) return { kind: 'cursor', cursorPath: arg };
  throw new KeelError(
    DataErrors.SOURCE_CONFIG,
    `pagination "${p}": use page, offset:<limit>, cursor:<path> or link`,
  );
}

function headersOf(list: string[] | undefined): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  for (const h of list ?? []) {
    const i = h.indexOf(':');
    if (i <= 0)
      throw new KeelError(
        DataErrors.SOURCE_CONFIG,
        `header "${h}" should be "Name: value" or "Name: env:VAR"`,
      );
    const name = h.slice(0, i).trim();
    const value = h.slice(i + 1).trim();
    // "Bearer env:API_TOKEN": the text before env: is kept as a prefix of the variable's value
    const m = /^(.*?)env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
    out[name] = m ? { env: m[2], prefix: m[1] } : value;
  }
  return out;
}

/** A stored snapshot as a source: its checksums and content id are verified as it is read. */
function snapshotSource(dir: string, id: string): Source {
  return {
    kind: 'snapshot',
    describe: () => ({ kind: 'snapshot', location: `snapshot:${id}`, details: { dir } }),
    async *batches() {
      const { frame } = await readSnapshot(dir, id);
      yield { frame, quarantine: [], read: frame.nRows };
    },
  };
}

export function sourceFromSpec(spec: string, o: SourceSpecOptions = {}): Source {
  if (spec.startsWith('snapshot:')) return snapshotSource(o.snapshotDir ?? '.keel/snapshots', spec.slice(9));
  const reading = { missing: o.missing ? [...o.missing] : undefined, zone: o.zone };
  const sql = { query: o.query, table: o.table, types: o.types, reading };
  const needSql = () => {
    if (!o.query && !o.table)
      throw new KeelError(DataErrors.SOURCE_CONFIG, `${spec.split(':')[0]} sources need --query or --table`);
  };
  if (/^postgres(ql)?:\/\//.test(spec)) {
    needSql();
    return postgresSource({ connectionString: spec, ...sql });
  }
  if (spec.startsWith('sqlite:')) {
    needSql();
    return sqliteSource({ path: spec.slice(7), ...sql });
  }
  if (spec.startsWith('duckdb:')) {
    needSql();
    return duckdbSource({ path: spec.slice(7), ...sql });
  }
  if (/^https?:\/\//.test(spec)) {
    return httpSource({
      url: spec,
      recordsPath: o.recordsPath,
      pagination: paginationOf(o.pagination),
      allowHosts: o.allowHosts,
      headers: headersOf(o.headers),
      types: o.types,
      reading,
    });
  }
  return fileSource(spec, o);
}
