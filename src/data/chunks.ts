// Reading a table in chunks of rows with bounded memory, for scoring: CSV/TSV or Parquet streamed from DuckDB, every
// value read by the value layer (the rules a model was trained with), so batch scoring reads a file as training did.
// Rows of the wrong shape and values that do not fit their column are quarantined, never scored or dropped silently.

import { KeelError } from '../core/index.ts';
import { type CsvOptions, columnNames, dialectOf, rejects } from './csv.ts';
import { openDuckDB, sqlIdent, sqlString } from './duckdb.ts';
import { DataErrors, type QuarantinedRow } from './errors.ts';
import { type Column, categoricalFrom, Frame } from './frame.ts';
import type { Schema } from './schema.ts';
import { ValueReader } from './values.ts';

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

/** A string DuckDB will never meet as a whole field: no field becomes NULL before the value layer sees it. */
const NO_NULL = '\u0001keel-no-null\u0001';

export function readTableChunks(path: string, o: ChunkOptions): ChunkedRead {
  const quarantine: QuarantinedRow[] = [];
  const chunkRows = o.chunkRows ?? 50_000;
  const reader = new ValueReader({ missing: o.missing ? [...o.missing] : undefined, zone: o.zone });
  const keep = o.schema.columns;
  async function* gen(): AsyncGenerator<Frame> {
    const db = await openDuckDB();
    try {
      const conn = db.connection;
      const isParquet = /\.parquet$/i.test(path);
      let source: string;
      let projection: string;
      let headerLines = 0;
      if (isParquet) {
        source = `read_parquet(${sqlString(path)})`;
        // typed columns stay typed; text goes through the value layer like CSV fields
        projection = keep
          .map((c) => {
            const q = sqlIdent(c.name);
            if (c.type === 'numeric') return `CAST(${q} AS DOUBLE) AS ${q}`;
            if (c.type === 'datetime')
              return `CASE WHEN typeof(${q}) LIKE 'TIMESTAMP%' OR typeof(${q}) = 'DATE' THEN CAST(epoch_ms(CAST(${q} AS TIMESTAMP)) AS VARCHAR) ELSE CAST(${q} AS VARCHAR) END AS ${q}`;
            return `CAST(${q} AS VARCHAR) AS ${q}`;
          })
          .join(', ');
      } else {
        const dialect = dialectOf(path, o);
        headerLines = (dialect.header ? 1 : 0) + dialect.skip;
        const names = await columnNames(conn, path, {}, dialect);
        const absent = keep.map((c) => c.name).filter((n) => !names.includes(n));
        if (absent.length)
          throw new KeelError(
            DataErrors.UNKNOWN_COLUMN,
            `${path} lacks column(s) ${absent.join(', ')} the schema needs`,
          );
        // every file column is declared as text, so DuckDB checks each row's shape and the value layer reads values
        const cols = `{${names.map((n) => `${sqlString(n)}: 'VARCHAR'`).join(', ')}}`;
        source = `read_csv(${sqlString(path)}, delim=${sqlString(dialect.delimiter)}, quote=${sqlString(dialect.quote)}, escape=${sqlString(dialect.escape)},
          header=${dialect.header}, skip=${dialect.skip}, auto_detect=false, columns=${cols}, nullstr=${sqlString(NO_NULL)},
          store_rejects=true, rejects_table='rej_b', rejects_scan='scan_b')`;
        projection = keep.map((c) => sqlIdent(c.name)).join(', ');
      }
      const result = await conn.stream(`SELECT ${projection} FROM ${source}`);
      let cols: { nums: number[]; strs: (string | null)[] }[] = keep.map(() => ({ nums: [], strs: [] }));
      let rows = 0;
      let record = 0;
      const cells: (number | string | null)[] = new Array(keep.length);
      const emit = (): Frame => {
        const frame = new Frame(
          keep.map((c, i): Column => {
            if (c.type !== 'categorical')
              return { name: c.name, type: c.type, values: Float64Array.from(cols[i].nums) };
            return categoricalFrom(c.name, cols[i].strs);
          }),
        );
        cols = keep.map(() => ({ nums: [], strs: [] }));
        rows = 0;
        return frame;
      };
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        const vectors = keep.map((_, ci) => chunk.getColumnVector(ci));
        for (let r = 0; r < chunk.rowCount; r++) {
          record++;
          let bad = false;
          for (let ci = 0; ci < keep.length; ci++) {
            const c = keep[ci];
            const raw = vectors[ci].getItem(r);
            // Parquet date-times arrive as epoch-ms text; anything else is read as a field's text would be
            const cell =
              raw === null
                ? null
                : isParquet && c.type === 'datetime' && /^-?\d+$/.test(String(raw))
                  ? Number(raw)
                  : reader.text(c.type, String(raw));
            if (cell === undefined) {
              bad = true;
              quarantine.push({
                source: path,
                line: record, // made a line number once the rows of the wrong shape are known
                offset: `record ${record}`,
                column: c.name,
                code: DataErrors.BAD_VALUE,
                reason: `not a ${c.type} value`,
                raw: String(raw).slice(0, 500),
              });
            }
            cells[ci] = cell ?? null;
          }
          if (bad) continue;
          for (let ci = 0; ci < keep.length; ci++) {
            if (keep[ci].type === 'categorical') cols[ci].strs.push(cells[ci] as string | null);
            else cols[ci].nums.push(cells[ci] === null ? Number.NaN : (cells[ci] as number));
          }
          rows++;
        }
        if (rows >= chunkRows) yield emit();
      }
      if (rows > 0) yield emit();
      if (!isParquet) {
        const shape = await rejects(conn, path);
        // a value's record number becomes its line: after the header, and after every row of the wrong shape before
        // it (DuckDB leaves those out of the stream; records spanning lines inside quotes are not counted)
        const skipped = [...new Set(shape.map((q) => q.line))].sort((a, b) => a - b);
        for (const q of quarantine) {
          let line = q.line + headerLines;
          for (const s of skipped) if (s <= line) line++;
          q.line = line;
        }
        quarantine.push(...shape);
      }
    } finally {
      db.close();
    }
  }
  return { chunks: gen(), quarantine };
}
