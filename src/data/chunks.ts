// Reading a table in chunks of rows with bounded memory, for scoring: CSV/TSV (with declared column types, so no
// inference pass) or Parquet, streamed from DuckDB. Bad rows are quarantined with their line, as with readCsv.

import { KeelError } from '../core/index.ts';
import {
  type ColumnPlan,
  type CsvOptions,
  columnNames,
  DEFAULT_MISSING_MARKERS,
  dialectOf,
  duckType,
  projectionOf,
  rejects,
} from './csv.ts';
import { openDuckDB, sqlIdent, sqlList, sqlString } from './duckdb.ts';
import { DataErrors, type QuarantinedRow } from './errors.ts';
import { type Column, categoricalFrom, Frame } from './frame.ts';
import type { Schema } from './schema.ts';

export interface ChunkOptions extends CsvOptions {
  /** the columns to read and their types (e.g. a model's input schema); others in the file are ignored */
  schema: Schema;
  chunkRows?: number;
}

export interface ChunkedRead {
  chunks: AsyncGenerator<Frame>;
  /** filled as reading proceeds; complete once the generator is done */
  quarantine: QuarantinedRow[];
}

/** Whitespace variants of the missing markers, for DuckDB's exact null-string match on typed columns. */
function nullSpellings(markers: readonly string[]): string[] {
  return [...new Set(markers.flatMap((m) => [m, ` ${m}`, `${m} `, ` ${m} `]))];
}

export function readTableChunks(path: string, o: ChunkOptions): ChunkedRead {
  const quarantine: QuarantinedRow[] = [];
  const chunkRows = o.chunkRows ?? 50_000;
  async function* gen(): AsyncGenerator<Frame> {
    const db = await openDuckDB();
    try {
      const conn = db.connection;
      const isParquet = /\.parquet$/i.test(path);
      const markers = [...(o.missing ?? DEFAULT_MISSING_MARKERS)];
      let source: string;
      let plans: ColumnPlan[];
      if (isParquet) {
        plans = o.schema.columns.map((c) => ({
          name: c.name,
          type: c.type,
          declared: true,
          nullable: c.nullable,
        }));
        source = `read_parquet(${sqlString(path)})`;
      } else {
        const dialect = dialectOf(path, o);
        const names = await columnNames(conn, path, {}, dialect);
        const wanted = new Map(o.schema.columns.map((c) => [c.name, c]));
        const missing = [...wanted.keys()].filter((n) => !names.includes(n));
        if (missing.length)
          throw new KeelError(
            DataErrors.UNKNOWN_COLUMN,
            `${path} lacks column(s) ${missing.join(', ')} the schema needs`,
          );
        // every file column is declared (extra ones as text), so DuckDB checks each row's shape
        plans = names.map((n) => {
          const c = wanted.get(n);
          // booleans and timestamps arrive as text and are parsed in the projection, like an inferred read
          return c
            ? { name: n, type: c.type, declared: c.type === 'numeric', nullable: c.nullable }
            : { name: n, type: 'categorical', declared: false, nullable: true };
        });
        const cols = `{${plans.map((p) => `${sqlString(p.name)}: ${sqlString(duckType(p))}`).join(', ')}}`;
        source = `read_csv(${sqlString(path)}, delim=${sqlString(dialect.delimiter)}, quote=${sqlString(dialect.quote)}, escape=${sqlString(dialect.escape)},
          header=${dialect.header}, skip=${dialect.skip}, auto_detect=false, columns=${cols}, nullstr=${sqlList(nullSpellings(markers))},
          store_rejects=true, rejects_table='rej_b', rejects_scan='scan_b')`;
      }
      const keep = plans.filter((p) => o.schema.columns.some((c) => c.name === p.name));
      const projection = keep
        .map((p) => {
          if (!isParquet) return `${projectionOf(p, markers)} AS ${sqlIdent(p.name)}`;
          const q = sqlIdent(p.name);
          if (p.type === 'numeric' || p.type === 'boolean') return `CAST(${q} AS DOUBLE) AS ${q}`;
          if (p.type === 'datetime') return `CAST(epoch_ms(CAST(${q} AS TIMESTAMP)) AS DOUBLE) AS ${q}`;
          return `trim(CAST(${q} AS VARCHAR)) AS ${q}`;
        })
        .join(', ');
      const result = await conn.stream(`SELECT ${projection} FROM ${source}`);
      let cols: { nums: number[]; strs: (string | null)[] }[] = keep.map(() => ({ nums: [], strs: [] }));
      let rows = 0;
      const emit = (): Frame => {
        const frame = new Frame(
          keep.map((p, i): Column => {
            if (p.type !== 'categorical')
              return { name: p.name, type: p.type, values: Float64Array.from(cols[i].nums) };
            return categoricalFrom(p.name, cols[i].strs);
          }),
        );
        cols = keep.map(() => ({ nums: [], strs: [] }));
        rows = 0;
        return frame;
      };
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        keep.forEach((p, ci) => {
          const vec = chunk.getColumnVector(ci);
          for (let r = 0; r < chunk.rowCount; r++) {
            const v = vec.getItem(r);
            if (p.type === 'categorical') cols[ci].strs.push(v === null ? null : String(v));
            else cols[ci].nums.push(v === null ? Number.NaN : Number(v));
          }
        });
        rows += chunk.rowCount;
        if (rows >= chunkRows) yield emit();
      }
      if (rows > 0) yield emit();
      if (!isParquet) quarantine.push(...(await rejects(conn, path)));
    } finally {
      db.close();
    }
  }
  return { chunks: gen(), quarantine };
}
