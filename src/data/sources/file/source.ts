// Files: CSV/TSV (Keel's own reader, with quarantine), Parquet (DuckDB, streamed a vector at a time),
// JSON arrays and NDJSON (parsed here, so a broken line is quarantined with its number); a glob reads many files.

import fs from 'node:fs';
import readline from 'node:readline';
import { KeelError } from '../../../core/index.ts';
import { type CsvOptions, readCsv } from '../../csv.ts';
import { describeQuery, frameProjection, streamFrames } from '../../duck-frames.ts';
import { openDuckDB, sqlString } from '../../duckdb.ts';
import { DataErrors } from '../../errors.ts';
import type { ColumnType } from '../../frame.ts';
import { RecordFramer } from '../../records.ts';
import type { Schema } from '../../schema.ts';
import type { ReadOptions, Source, SourceBatch, SourceDescription } from '../source.ts';

export type FileFormat = 'csv' | 'parquet' | 'json' | 'ndjson';

export interface FileSourceOptions extends CsvOptions {
  /** taken from the extension when absent (.csv .tsv .txt .parquet .json .ndjson .jsonl) */
  format?: FileFormat;
  /** for JSON/NDJSON: the types of the columns (inferred from the first batch otherwise) */
  schema?: Schema;
}

export function formatOf(path: string, declared?: FileFormat): FileFormat {
  if (declared) return declared;
  const p = path.toLowerCase().replace(/\.gz$/, '');
  if (p.endsWith('.parquet')) return 'parquet';
  if (p.endsWith('.ndjson') || p.endsWith('.jsonl')) return 'ndjson';
  if (p.endsWith('.json')) return 'json';
  return 'csv';
}

/** The files a path or glob names, sorted; a plain path must exist. */
export async function expandGlob(pattern: string): Promise<string[]> {
  if (!/[*?[]/.test(pattern)) {
    if (!fs.existsSync(pattern) || !fs.statSync(pattern).isFile()) {
      throw new KeelError(DataErrors.SOURCE_UNREADABLE, `cannot read ${pattern}: no such file`);
    }
    return [pattern];
  }
  const db = await openDuckDB();
  try {
    const rows = (
      await db.connection.runAndReadAll(`SELECT file FROM glob(${sqlString(pattern)}) ORDER BY file`)
    ).getRows();
    const files = rows.map((r) => String(r[0]));
    if (files.length === 0) throw new KeelError(DataErrors.SOURCE_UNREADABLE, `no file matches ${pattern}`);
    return files;
  } finally {
    db.close();
  }
}

export function fileSource(pattern: string, options: FileSourceOptions = {}): Source {
  let matched: string[] = [];
  return {
    kind: 'file',
    describe(): SourceDescription {
      return {
        kind: 'file',
        location: pattern,
        details: {
          format: formatOf(pattern, options.format),
          ...(matched.length > 1 ? { files: matched } : {}),
        },
      };
    },
    async *batches(ro: ReadOptions = {}): AsyncGenerator<SourceBatch> {
      matched = await expandGlob(pattern);
      // the first file fixes the column types; the others are read with them declared, so a glob is one table
      let types: Record<string, ColumnType> | undefined = options.types;
      let schema = options.schema;
      for (const file of matched) {
        if (ro.signal?.aborted) return;
        const format = formatOf(file, options.format);
        if (format === 'csv') {
          const r = await readCsv(file, { ...options, types });
          types ??= Object.fromEntries(r.schema.columns.map((c) => [c.name, c.type]));
          yield { frame: r.frame, quarantine: r.quarantine, read: r.counts.read, lines: r.lines };
        } else if (format === 'parquet') {
          yield* parquetBatches(file, ro.batchRows);
        } else {
          const framer = new RecordFramer(file, schema, options.types, {
            missing: options.missing ? [...options.missing] : undefined,
            zone: options.zone,
          });
          yield* format === 'json' ? jsonArrayBatches(file, framer, ro) : ndjsonBatches(file, framer, ro);
          schema ??= framer.schema;
        }
      }
    },
  };
}

async function* parquetBatches(file: string, batchRows = 100_000): AsyncGenerator<SourceBatch> {
  const db = await openDuckDB();
  try {
    const from = `SELECT * FROM read_parquet(${sqlString(file)})`;
    const cols = await describeQuery(db.connection, from);
    const sql = `SELECT ${frameProjection(cols)} FROM read_parquet(${sqlString(file)})`;
    for await (const frame of streamFrames(db.connection, sql, cols, batchRows)) {
      yield { frame, quarantine: [], read: frame.nRows };
    }
  } catch (err) {
    if (err instanceof KeelError) throw err;
    throw new KeelError(
      DataErrors.SOURCE_UNREADABLE,
      `cannot read ${file} as Parquet: ${(err as Error).message}`,
    );
  } finally {
    db.close();
  }
}

async function* jsonArrayBatches(
  file: string,
  framer: RecordFramer,
  ro: ReadOptions,
): AsyncGenerator<SourceBatch> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new KeelError(DataErrors.SOURCE_UNREADABLE, `${file} is not valid JSON: ${(err as Error).message}`);
  }
  const records = Array.isArray(parsed) ? parsed : [parsed];
  const size = ro.batchRows ?? 50_000;
  for (let i = 0; i < records.length; i += size) {
    if (ro.signal?.aborted) return;
    for (let j = i; j < Math.min(records.length, i + size); j++) framer.push(records[j], j + 1, `[${j}]`);
    yield framer.flush();
  }
}

async function* ndjsonBatches(
  file: string,
  framer: RecordFramer,
  ro: ReadOptions,
): AsyncGenerator<SourceBatch> {
  const size = ro.batchRows ?? 50_000;
  const lines = readline.createInterface({
    input: fs.createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let line = 0;
  let queued = 0;
  for await (const raw of lines) {
    line++;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') {
      framer.reject(line, DataErrors.EMPTY_LINE, 'empty line', '');
    } else {
      try {
        framer.push(JSON.parse(text), line);
      } catch (err) {
        framer.reject(line, DataErrors.BAD_ROW, `broken JSON: ${(err as Error).message}`, text);
      }
    }
    if (++queued >= size) {
      queued = 0;
      yield framer.flush();
      if (ro.signal?.aborted) {
        lines.close();
        return;
      }
    }
  }
  if (queued > 0) yield framer.flush();
}
