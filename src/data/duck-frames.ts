// DuckDB query results into Frames in chunks: numbers, booleans and times are cast to DOUBLE in SQL (NaN for NULL)
// and copied a vector at a time; text becomes categorical codes. No value-by-value conversion of numeric columns.

import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent } from './duckdb.ts';
import { type Column, type ColumnType, categoricalFrom, Frame } from './frame.ts';

export interface DuckColumn {
  name: string;
  /** DuckDB's type name, e.g. DOUBLE, BIGINT, VARCHAR, TIMESTAMP WITH TIME ZONE */
  duckType: string;
  type: ColumnType;
}

export function columnTypeOfDuck(duckType: string): ColumnType {
  const t = duckType.toUpperCase();
  if (t === 'BOOLEAN') return 'boolean';
  if (t.startsWith('TIMESTAMP') || t === 'DATE') return 'datetime';
  if (
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL)/.test(
      t,
    )
  )
    return 'numeric';
  return 'categorical';
}

/** The columns a query returns, with the Frame type each becomes. */
export async function describeQuery(conn: DuckDBConnection, sql: string): Promise<DuckColumn[]> {
  const rows = (await conn.runAndReadAll(`DESCRIBE ${sql}`)).getRowObjects();
  return rows.map((r) => {
    const duckType = String(r.column_type);
    return { name: String(r.column_name), duckType, type: columnTypeOfDuck(duckType) };
  });
}

/** A SELECT list that hands every column over in the shape streamFrames reads fast. */
export function frameProjection(cols: readonly DuckColumn[]): string {
  return cols
    .map((c) => {
      const q = sqlIdent(c.name);
      let e: string;
      if (c.type === 'numeric' || c.type === 'boolean') e = `coalesce(CAST(${q} AS DOUBLE), 'NaN'::DOUBLE)`;
      else if (c.type === 'datetime')
        e = `coalesce(CAST(epoch_ms(CAST(${q} AS TIMESTAMP)) AS DOUBLE), 'NaN'::DOUBLE)`;
      else e = `CAST(${q} AS VARCHAR)`;
      return `${e} AS ${q}`;
    })
    .join(', ');
}

class Growable {
  buf = new Float64Array(4096);
  n = 0;
  append(src: Float64Array): void {
    if (this.n + src.length > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < this.n + src.length) cap *= 2;
      const next = new Float64Array(cap);
      next.set(this.buf.subarray(0, this.n));
      this.buf = next;
    }
    this.buf.set(src, this.n);
    this.n += src.length;
  }
  take(): Float64Array {
    const out = this.buf.slice(0, this.n);
    this.n = 0;
    return out;
  }
}

type Vector = { itemCount: number; getItem(i: number): unknown; items?: unknown };

/**
 * Streams a query's rows as Frames of about `chunkRows` rows. `sql` must select exactly `cols`, projected with
 * frameProjection (so numeric vectors are DOUBLE without NULLs).
 */
export async function* streamFrames(
  conn: DuckDBConnection,
  sql: string,
  cols: readonly DuckColumn[],
  chunkRows = 100_000,
): AsyncGenerator<Frame> {
  const result = await conn.stream(sql);
  const nums = cols.map(() => new Growable());
  const strs: (string | null)[][] = cols.map(() => []);
  let rows = 0;
  const emit = (): Frame => {
    const columns = cols.map((c, ci): Column => {
      if (c.type !== 'categorical') return { name: c.name, type: c.type, values: nums[ci].take() };
      const col = categoricalFrom(c.name, strs[ci]);
      strs[ci] = [];
      return col;
    });
    rows = 0;
    return new Frame(columns);
  };
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    for (let ci = 0; ci < cols.length; ci++) {
      const vec = chunk.getColumnVector(ci) as unknown as Vector;
      if (cols[ci].type === 'categorical') {
        const out = strs[ci];
        for (let r = 0; r < n; r++) {
          const v = vec.getItem(r);
          out.push(v === null ? null : String(v));
        }
      } else if (vec.items instanceof Float64Array) {
        nums[ci].append(vec.items.subarray(0, n));
      } else {
        const tmp = new Float64Array(n);
        for (let r = 0; r < n; r++) {
          const v = vec.getItem(r);
          tmp[r] = v === null ? Number.NaN : Number(v);
        }
        nums[ci].append(tmp);
      }
    }
    rows += n;
    if (rows >= chunkRows) yield emit();
  }
  if (rows > 0) yield emit();
}
