// RecordFramer: JSON-like records (HTTP APIs, SQL rows, stream messages) into a Frame. Types come from a schema or
// are inferred from the first batch and then held fixed; a value that does not fit is quarantined with its reason.

import { KeelError } from '../core/index.ts';
import { DataErrors, type QuarantinedRow } from './errors.ts';
import { type Column, type ColumnType, categoricalFrom, Frame } from './frame.ts';
import type { Schema } from './schema.ts';
import {
  parseBoolean,
  parseDateText,
  parseNumberText,
  type ReadingRules,
  trimText,
  ValueReader,
} from './values.ts';

const DEFAULT_READER = new ValueReader();

export interface FramedBatch {
  frame: Frame;
  quarantine: QuarantinedRow[];
  /** records offered in this batch: frame.nRows + the distinct quarantined records */
  read: number;
  /** the line (record number) of each accepted row */
  lines: Int32Array;
}

type Cell = number | string | null;

/** What a record says about a column's type: one of the four, or nothing (missing). */
function kindOf(v: unknown, reader: ValueReader): ColumnType | 'missing' | 'other' {
  if (v === null || v === undefined) return 'missing';
  if (typeof v === 'number' || typeof v === 'bigint') return 'numeric';
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof Date) return 'datetime';
  if (typeof v === 'string') {
    const t = trimText(v);
    if (reader.isMissing(t)) return 'missing';
    if (parseNumberText(t) !== undefined) return 'numeric';
    if (parseDateText(t) !== undefined) return 'datetime';
    if (parseBoolean(t) !== undefined) return 'boolean';
    return 'categorical';
  }
  return 'other';
}

/**
 * Infers a schema from sample records, as readCsv does: a column is numeric (or a time) when at least `threshold` of
 * its present values are (the rest are then quarantined), boolean when all are, categorical otherwise.
 */
export function inferRecordSchema(
  records: readonly unknown[],
  threshold = 0.99,
  reader: ValueReader = DEFAULT_READER,
): Schema {
  const seen = new Map<string, { counts: Map<string, number>; present: number; missing: boolean }>();
  for (const r of records) {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) continue;
    for (const [k, v] of Object.entries(r)) {
      let s = seen.get(k);
      if (!s) {
        s = { counts: new Map(), present: 0, missing: false };
        seen.set(k, s);
      }
      const kind = kindOf(v, reader);
      if (kind === 'missing') s.missing = true;
      else {
        s.present++;
        s.counts.set(kind, (s.counts.get(kind) ?? 0) + 1);
      }
    }
  }
  return {
    columns: [...seen].map(([name, s]) => {
      let type: ColumnType = 'categorical';
      const share = (k: string) => (s.counts.get(k) ?? 0) / Math.max(1, s.present);
      if (share('numeric') >= threshold) type = 'numeric';
      else if (share('datetime') >= threshold) type = 'datetime';
      else if (share('boolean') === 1) type = 'boolean';
      return { name, type, nullable: s.missing };
    }),
  };
}

function rawOf(v: unknown): string {
  try {
    const s =
      typeof v === 'string' ? v : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x));
    return (s ?? String(v)).slice(0, 500);
  } catch {
    return String(v).slice(0, 500);
  }
}

/**
 * Gathers records into frames. Push records (each with where it came from), take a frame with `flush()`.
 * With no schema, the first flush infers one from what it holds and later batches must fit it.
 */
export class RecordFramer {
  private schemaNow: Schema | undefined;
  private rows: { values: Cell[]; line: number }[] = [];
  private quarantine: QuarantinedRow[] = [];
  private pending: { record: unknown; line: number; offset?: string }[] = [];
  private badRecords = 0;

  constructor(
    private readonly source: string,
    schema?: Schema,
    /** declared types for some columns; the others are inferred from the first batch */
    private readonly types?: Record<string, ColumnType>,
    /** missing markers and the zone of date-times without one (the value layer's defaults otherwise) */
    rules?: Partial<ReadingRules>,
  ) {
    this.schemaNow = schema;
    this.reader = rules ? new ValueReader(rules) : DEFAULT_READER;
  }
  private readonly reader: ValueReader;

  get schema(): Schema | undefined {
    return this.schemaNow;
  }

  /** Queue one record; `line` is its 1-based number in the source, `offset` a page, row offset or message id. */
  push(record: unknown, line: number, offset?: string): void {
    this.pending.push({ record, line, offset });
  }

  /** Quarantine a record the caller could not even parse (broken JSON, a bad line). */
  reject(line: number, code: string, reason: string, raw: string, offset?: string): void {
    this.quarantine.push({
      source: this.source,
      line,
      offset,
      column: null,
      code,
      reason,
      raw: raw.slice(0, 500),
    });
    this.badRecords++;
  }

  flush(): FramedBatch {
    if (!this.schemaNow) {
      if (this.pending.length === 0 && this.badRecords === 0) {
        return { frame: new Frame([]), quarantine: [], read: 0, lines: new Int32Array(0) };
      }
      const inferred = inferRecordSchema(
        this.pending.map((p) => p.record),
        0.99,
        this.reader,
      );
      const declared = this.types ?? {};
      const seen = new Set(inferred.columns.map((c) => c.name));
      this.schemaNow = {
        columns: [
          ...inferred.columns.map((c) => (declared[c.name] ? { ...c, type: declared[c.name] } : c)),
          ...Object.entries(declared)
            .filter(([n]) => !seen.has(n))
            .map(([name, type]) => ({ name, type, nullable: true })),
        ],
      };
    }
    const cols = this.schemaNow.columns;
    for (const p of this.pending) this.accept(p.record, p.line, p.offset, cols);
    this.pending = [];
    const n = this.rows.length;
    const columns: Column[] = cols.map((c, ci): Column => {
      if (c.type === 'categorical') {
        return categoricalFrom(
          c.name,
          this.rows.map((r) => (r.values[ci] === null ? null : String(r.values[ci]))),
        );
      }
      const values = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        const v = this.rows[r].values[ci];
        values[r] = v === null ? Number.NaN : (v as number);
      }
      return { name: c.name, type: c.type, values };
    });
    const out: FramedBatch = {
      frame: new Frame(columns),
      quarantine: this.quarantine,
      read: n + this.badRecords,
      lines: Int32Array.from(this.rows, (r) => r.line),
    };
    this.rows = [];
    this.quarantine = [];
    this.badRecords = 0;
    return out;
  }

  private accept(record: unknown, line: number, offset: string | undefined, cols: Schema['columns']): void {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      this.reject(line, DataErrors.BAD_ROW, 'the record is not an object', rawOf(record), offset);
      return;
    }
    const rec = record as Record<string, unknown>;
    const values: Cell[] = [];
    const problems: QuarantinedRow[] = [];
    for (const c of cols) {
      const v = this.reader.value(c.type, rec[c.name]);
      if (v === undefined) {
        problems.push({
          source: this.source,
          line,
          offset,
          column: c.name,
          code: DataErrors.BAD_VALUE,
          reason: `not a ${c.type} value`,
          raw: rawOf(rec[c.name]),
        });
      }
      values.push(v ?? null);
    }
    if (problems.length > 0) {
      this.quarantine.push(...problems);
      this.badRecords++;
      return;
    }
    this.rows.push({ values, line });
  }
}

/** Reading must account for every record: read = accepted + quarantined. */
export function assertReconciled(source: string, read: number, accepted: number, quarantined: number): void {
  if (read !== accepted + quarantined) {
    throw new KeelError(
      DataErrors.RECONCILE,
      `${source}: read ${read} records but accepted ${accepted} + quarantined ${quarantined}`,
    );
  }
}
