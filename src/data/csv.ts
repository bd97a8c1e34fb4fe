// readCsv: a CSV file through DuckDB into a Frame with an inferred Schema; every row is either accepted
// or quarantined with its line and reason (read = accepted + quarantined, checked on every read).

import fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { KeelError } from '../core/index.ts';
import { openDuckDB, sqlIdent, sqlList, sqlString } from './duckdb.ts';
import { DataErrors, type QuarantinedRow } from './errors.ts';
import { type Column, type ColumnType, Frame } from './frame.ts';
import type { Schema } from './schema.ts';
import { guessDelimiter, guessHeader } from './sniff.ts';

export const DEFAULT_MISSING_MARKERS: readonly string[] = [
  '',
  '?',
  'NA',
  'N/A',
  'NaN',
  'nan',
  'null',
  'NULL',
];

/** Date formats tried after DuckDB's own ISO-style cast (US month-first before day-first). */
const DATE_FORMATS = ['%m/%d/%Y', '%m/%d/%Y %H:%M', '%m/%d/%Y %H:%M:%S', '%d.%m.%Y', '%Y/%m/%d'];
// only true/false: yes/no columns stay categorical so labels keep the spelling users wrote
const TRUE_WORDS = ['true'];
const FALSE_WORDS = ['false'];

export interface CsvOptions {
  /** field separator; sniffed when absent */
  delimiter?: string;
  /** quote character ('' for none); sniffed when absent */
  quote?: string;
  /** whether the first line names the columns; sniffed when absent */
  header?: boolean;
  /** values (after trimming) that mean "missing" */
  missing?: readonly string[];
  /** declared column types; the rest are inferred */
  types?: Record<string, ColumnType>;
  /** a column is numeric when at least this share of its present values parse (the rest are quarantined) */
  numericThreshold?: number;
}

export interface CsvDialect {
  delimiter: string;
  quote: string;
  escape: string;
  header: boolean;
  skip: number;
}

export interface CsvResult {
  frame: Frame;
  schema: Schema;
  quarantine: QuarantinedRow[];
  counts: { read: number; accepted: number; quarantined: number };
  dialect: CsvDialect;
  source: string;
}

export interface ColumnPlan {
  name: string;
  type: ColumnType;
  declared: boolean;
  nullable: boolean;
}

export async function readCsv(path: string, options: CsvOptions = {}): Promise<CsvResult> {
  try {
    const st = fs.statSync(path);
    if (!st.isFile()) throw new Error('not a regular file');
  } catch (err) {
    throw new KeelError(DataErrors.SOURCE_UNREADABLE, `cannot read ${path}: ${(err as Error).message}`);
  }
  const db = await openDuckDB();
  try {
    return await readWith(db.connection, path, options);
  } finally {
    db.close();
  }
}

async function readWith(conn: DuckDBConnection, path: string, options: CsvOptions): Promise<CsvResult> {
  const markers = [...(options.missing ?? DEFAULT_MISSING_MARKERS)];
  const threshold = options.numericThreshold ?? 0.99;
  const dialect = dialectOf(path, options);
  const dialectSql = [
    `delim=${sqlString(dialect.delimiter)}`,
    `quote=${sqlString(dialect.quote)}`,
    `escape=${sqlString(dialect.escape)}`,
    `header=${dialect.header}`,
    `skip=${dialect.skip}`,
    'auto_detect=false',
  ].join(', ');

  // Phase A: everything as text, to infer types from all values (not a sample) and find missing-marker spellings.
  const names = await columnNames(conn, path, options, dialect);
  const varcharCols = `{${names.map((n) => `${sqlString(n)}: 'VARCHAR'`).join(', ')}}`;
  await run(
    conn,
    `CREATE TEMP TABLE raw AS SELECT * FROM read_csv(${sqlString(path)}, ${dialectSql}, columns=${varcharCols},
      all_varchar=true, store_rejects=true, rejects_table='rej_a', rejects_scan='scan_a')`,
  );
  const plans = await inferTypes(conn, names, markers, threshold, options.types ?? {});
  const spellings = await missingSpellings(conn, names, markers);

  // Phase B: typed read of the file; DuckDB rejects unparseable fields with their line numbers.
  const typedCols = `{${plans.map((p) => `${sqlString(p.name)}: ${sqlString(duckType(p))}`).join(', ')}}`;
  const projection = plans.map((p) => `${projectionOf(p, markers)} AS ${sqlIdent(p.name)}`).join(', ');
  const result = await conn.stream(
    `SELECT ${projection} FROM read_csv(${sqlString(path)}, ${dialectSql}, columns=${typedCols},
      nullstr=${sqlList(spellings)}, store_rejects=true, rejects_table='rej_b', rejects_scan='scan_b')`,
  );
  const columns = await collectColumns(result, plans);
  const frame = new Frame(columns);

  const quarantine = await rejects(conn, path);
  const structural = Number(await scalar(conn, 'SELECT count(DISTINCT line) FROM rej_a'));
  const rowsA = Number(await scalar(conn, 'SELECT count(*) FROM raw'));
  const quarantinedLines = new Set(quarantine.map((q) => q.line)).size;
  const read = rowsA + structural;
  if (read !== frame.nRows + quarantinedLines) {
    throw new KeelError(
      DataErrors.RECONCILE,
      `${path}: read ${read} rows but accepted ${frame.nRows} + quarantined ${quarantinedLines}`,
    );
  }
  const schema: Schema = {
    columns: plans.map((p) => {
      const col = frame.column(p.name);
      const nullable = hasMissing(col);
      return col.type === 'categorical'
        ? { name: p.name, type: p.type, nullable, levels: [...col.levels].sort() }
        : { name: p.name, type: p.type, nullable };
    }),
  };
  return {
    frame,
    schema,
    quarantine,
    counts: { read, accepted: frame.nRows, quarantined: quarantinedLines },
    dialect,
    source: path,
  };
}

export function dialectOf(path: string, options: CsvOptions): CsvDialect {
  const delimiter = options.delimiter ?? guessDelimiter(path) ?? ',';
  const quote = options.quote ?? '"';
  return {
    delimiter,
    quote,
    escape: quote,
    header: options.header ?? guessHeader(path, delimiter),
    skip: 0,
  };
}

export async function columnNames(
  conn: DuckDBConnection,
  path: string,
  options: CsvOptions,
  d: CsvDialect,
): Promise<string[]> {
  const reader = await conn.runAndReadAll(
    `DESCRIBE SELECT * FROM read_csv(${sqlString(path)}, delim=${sqlString(d.delimiter)}, quote=${sqlString(d.quote)},
      escape=${sqlString(d.escape)}, header=${d.header}, skip=${d.skip}, all_varchar=true, ignore_errors=true, strict_mode=false)`,
  );
  const names = reader.getRowObjects().map((r) => String(r.column_name).trim());
  if (names.length === 0) throw new KeelError(DataErrors.EMPTY, `${path} has no columns`);
  for (const declared of Object.keys(options.types ?? {})) {
    if (!names.includes(declared)) {
      throw new KeelError(DataErrors.UNKNOWN_COLUMN, `declared column "${declared}" is not in ${path}`);
    }
  }
  return names;
}

export function isMissingSql(q: string, markers: readonly string[]): string {
  return `(${q} IS NULL OR trim(${q}) IN (${markers.map(sqlString).join(', ') || "''"}))`;
}

function timestampSql(expr: string): string {
  return `coalesce(TRY_CAST(${expr} AS TIMESTAMP), try_strptime(${expr}, ${sqlList(DATE_FORMATS)}))`;
}

async function inferTypes(
  conn: DuckDBConnection,
  names: string[],
  markers: string[],
  threshold: number,
  declared: Record<string, ColumnType>,
): Promise<ColumnPlan[]> {
  const parts: string[] = [];
  names.forEach((n, i) => {
    const q = sqlIdent(n);
    const present = `NOT ${isMissingSql(q, markers)}`;
    parts.push(
      `count(*) FILTER (WHERE ${present}) AS p${i}`,
      `count(TRY_CAST(trim(${q}) AS DOUBLE)) FILTER (WHERE ${present}) AS n${i}`,
      `count(${timestampSql(`trim(${q})`)}) FILTER (WHERE ${present}) AS t${i}`,
      `count(*) FILTER (WHERE ${present} AND lower(trim(${q})) IN (${[...TRUE_WORDS, ...FALSE_WORDS].map(sqlString).join(', ')})) AS b${i}`,
      `count(*) FILTER (WHERE NOT (${present})) AS m${i}`,
    );
  });
  const row = (await conn.runAndReadAll(`SELECT ${parts.join(', ')} FROM raw`)).getRowObjects()[0];
  return names.map((name, i) => {
    const present = Number(row[`p${i}`]);
    const numeric = Number(row[`n${i}`]);
    const stamps = Number(row[`t${i}`]);
    const bools = Number(row[`b${i}`]);
    const nullable = Number(row[`m${i}`]) > 0;
    const d = declared[name];
    if (d) return { name, type: d, declared: true, nullable };
    let type: ColumnType = 'categorical';
    if (present > 0) {
      if (numeric === present) type = 'numeric';
      else if (stamps === present) type = 'datetime';
      else if (bools === present) type = 'boolean';
      else if (numeric >= threshold * present) type = 'numeric';
    }
    return { name, type, declared: false, nullable };
  });
}

async function missingSpellings(
  conn: DuckDBConnection,
  names: string[],
  markers: string[],
): Promise<string[]> {
  const unions = names
    .map((n) => `SELECT DISTINCT ${sqlIdent(n)} AS v FROM raw WHERE ${isMissingSql(sqlIdent(n), markers)}`)
    .join(' UNION ');
  const rows = (await conn.runAndReadAll(unions)).getRowObjects();
  const set = new Set<string>(['']);
  for (const r of rows) if (r.v !== null) set.add(String(r.v));
  return [...set];
}

export function duckType(p: ColumnPlan): string {
  if (p.type === 'numeric') return 'DOUBLE';
  if (p.declared && p.type === 'datetime') return 'TIMESTAMP';
  if (p.declared && p.type === 'boolean') return 'BOOLEAN';
  return 'VARCHAR';
}

export function projectionOf(p: ColumnPlan, markers: readonly string[]): string {
  const q = sqlIdent(p.name);
  if (p.type === 'numeric') return q;
  if (p.declared && p.type === 'datetime') return `CAST(epoch_ms(${q}) AS DOUBLE)`;
  if (p.declared && p.type === 'boolean') return `CAST(${q} AS DOUBLE)`;
  const missing = isMissingSql(q, markers);
  if (p.type === 'datetime') {
    return `CASE WHEN ${missing} THEN NULL ELSE CAST(epoch_ms(${timestampSql(`trim(${q})`)}) AS DOUBLE) END`;
  }
  if (p.type === 'boolean') {
    const low = `lower(trim(${q}))`;
    return `CASE WHEN ${missing} THEN NULL WHEN ${low} IN (${TRUE_WORDS.map(sqlString).join(', ')}) THEN 1.0 WHEN ${low} IN (${FALSE_WORDS.map(sqlString).join(', ')}) THEN 0.0 ELSE NULL END`;
  }
  return `CASE WHEN ${missing} THEN NULL ELSE trim(${q}) END`;
}

type Streamed = Awaited<ReturnType<DuckDBConnection['stream']>>;

async function collectColumns(result: Streamed, plans: ColumnPlan[]): Promise<Column[]> {
  const nums: number[][] = plans.map(() => []);
  const strs: (string | null)[][] = plans.map(() => []);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    plans.forEach((p, ci) => {
      const vec = chunk.getColumnVector(ci);
      if (p.type === 'categorical') {
        const out = strs[ci];
        for (let r = 0; r < n; r++) {
          const v = vec.getItem(r);
          out.push(v === null ? null : String(v));
        }
      } else {
        const out = nums[ci];
        for (let r = 0; r < n; r++) {
          const v = vec.getItem(r);
          out.push(v === null ? Number.NaN : Number(v));
        }
      }
    });
  }
  return plans.map((p, ci): Column => {
    if (p.type !== 'categorical') return { name: p.name, type: p.type, values: Float64Array.from(nums[ci]) };
    const levels: string[] = [];
    const index = new Map<string, number>();
    const src = strs[ci];
    const codes = new Int32Array(src.length);
    for (let r = 0; r < src.length; r++) {
      const v = src[r];
      if (v === null) {
        codes[r] = -1;
        continue;
      }
      let code = index.get(v);
      if (code === undefined) {
        code = levels.length;
        index.set(v, code);
        levels.push(v);
      }
      codes[r] = code;
    }
    return { name: p.name, type: 'categorical', codes, levels };
  });
}

export async function rejects(conn: DuckDBConnection, path: string): Promise<QuarantinedRow[]> {
  const rows = (
    await conn.runAndReadAll(
      'SELECT line, column_name, error_type, csv_line, error_message FROM rej_b ORDER BY line, column_idx',
    )
  ).getRowObjects();
  return rows.map((r) => ({
    source: path,
    line: Number(r.line),
    column: r.column_name === null ? null : String(r.column_name),
    code: r.error_type === 'CAST' ? DataErrors.BAD_VALUE : DataErrors.BAD_ROW,
    reason: `${String(r.error_type).toLowerCase()}: ${String(r.error_message)}`,
    raw: String(r.csv_line ?? '').replace(/^[\r\n]+|[\r\n]+$/g, ''),
  }));
}

async function run(conn: DuckDBConnection, sql: string): Promise<void> {
  await conn.run(sql);
}

async function scalar(conn: DuckDBConnection, sql: string): Promise<unknown> {
  return (await conn.runAndReadAll(sql)).getRows()[0][0];
}

function hasMissing(c: Column): boolean {
  if (c.type === 'categorical') return c.codes.some((x) => x < 0);
  return c.values.some((x) => Number.isNaN(x));
}
