// readCsv: a CSV/TSV file into a Frame with an inferred Schema (the streaming reader in delimited/); every row is
// accepted or quarantined with its line and reason. The DuckDB helpers here (dialect, names, rejects) serve chunked
// reads for scoring, whose values the value layer reads.

import fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { KeelError } from '../core/index.ts';
import { readDelimited } from './delimited/read.ts';
import { sqlString } from './duckdb.ts';
import { DataErrors, type QuarantinedRow } from './errors.ts';
import type { ColumnType, Frame } from './frame.ts';
import type { Schema } from './schema.ts';
import { guessDelimiter, guessHeader } from './sniff.ts';
import { checkZone, DEFAULT_MISSING_MARKERS } from './values.ts';

export { DEFAULT_MISSING_MARKERS } from './values.ts';

export interface CsvOptions {
  /** field separator; sniffed when absent */
  delimiter?: string;
  /** quote character ('' for none); sniffed when absent */
  quote?: string;
  /** whether the first line names the columns; sniffed when absent */
  header?: boolean;
  /** values (after trimming) that mean "missing" */
  missing?: readonly string[];
  /** the zone of date-times written without one: "UTC" (default) or an IANA zone */
  zone?: string;
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

export async function readCsv(path: string, options: CsvOptions = {}): Promise<CsvResult> {
  try {
    const st = fs.statSync(path);
    if (!st.isFile()) throw new Error('not a regular file');
  } catch (err) {
    throw new KeelError(DataErrors.SOURCE_UNREADABLE, `cannot read ${path}: ${(err as Error).message}`);
  }
  const dialect = dialectOf(path, options);
  if (options.zone) checkZone(options.zone);
  const r = await readDelimited(path, {
    delimiter: dialect.delimiter,
    quote: dialect.quote,
    header: dialect.header,
    missing: options.missing ?? DEFAULT_MISSING_MARKERS,
    zone: options.zone,
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
