// readCsv: a CSV/TSV file into a Frame with an inferred Schema (the streaming reader in delimited/); every row is
// accepted or quarantined with its line and reason. The DuckDB helpers here serve chunked reads for scoring.

import fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { KeelError } from '../core/index.ts';
import { readDelimited } from './delimited/read.ts';
import { sqlIdent, sqlList, sqlString } from './duckdb.ts';
import { DataErrors, type QuarantinedRow } from './errors.ts';
import type { ColumnType, Frame } from './frame.ts';
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
  /** 'utf8' (default: rows with invalid bytes are quarantined), 'latin1', or UTF-16 (also found by its BOM) */
  encoding?: 'utf8' | 'latin1' | 'utf16le' | 'utf16be';
  /** told every few hundred MB of a large file */
  onProgress?: (p: { bytes: number; totalBytes: number; rows: number }) => void;
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
  /** the line each accepted row starts on (header included, 1-based) */
  lines: Int32Array;
  /** empty lines at the end of the file, which are not rows */
  trailingEmptyLines: number;
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
  const dialect = dialectOf(path, options);
  const r = await readDelimited(path, {
    delimiter: dialect.delimiter,
    quote: dialect.quote,
    header: dialect.header,
    missing: options.missing ?? DEFAULT_MISSING_MARKERS,
    types: options.types,
    threshold: options.numericThreshold,
    encoding: options.encoding,
    onProgress: options.onProgress,
  });
  return {
    frame: r.frame,
    schema: r.schema,
    quarantine: r.quarantine,
    counts: r.counts,
    dialect,
    source: path,
    lines: r.lines,
    trailingEmptyLines: r.trailingEmptyLines,
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
