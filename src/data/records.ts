// RecordFramer: JSON-like records (HTTP APIs, SQL rows, stream messages) into a Frame. Types come from a schema or
// are inferred from the first batch and then held fixed; a value that does not fit is quarantined with its reason.

import { KeelError } from '../core/index.ts';
import { DataErrors, type QuarantinedRow } from './errors.ts';
import { type Column, type ColumnType, categoricalFrom, Frame } from './frame.ts';
import type { Schema } from './schema.ts';

export interface FramedBatch {
  frame: Frame;
  quarantine: QuarantinedRow[];
  /** records offered in this batch: frame.nRows + the distinct quarantined records */
  read: number;
  /** the line (record number) of each accepted row */
  lines: Int32Array;
}

type Cell = number | string | null;

const MISSING = new Set(['', '?', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL']);

/** What a record says about a column's type: one of the four, or nothing (missing). */
function kindOf(v: unknown): ColumnType | 'missing' | 'other' {
  if (v === null || v === undefined) return 'missing';
  if (typeof v === 'number' || typeof v === 'bigint') return 'numeric';
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof Date) return 'datetime';
  if (typeof v === 'string') {
    const t = v.trim();
    if (MISSING.has(t)) return 'missing';
    if (Number.isFinite(Number(t))) return 'numeric';
    if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(t) && !Number.isNaN(Date.parse(t)))
      return 'datetime';
    if (t === 'true' || t === 'false') return 'boolean';
    return 'categorical';
  }
  return 'other';
}

/**
 * Infers a schema from sample records, as readCsv does: a column is numeric (or a time) when at least `threshold` of
 * its present values are (the rest are then quarantined), boolean when all are, categorical otherwise.
 */
export function inferRecordSchema(records: readonly unknown[], threshold = 0.99): Schema {
  const seen = new Map<string, { counts: Map<string, number>; present: number; missing: boolean }>();
  for (const r of records) {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) continue;
    for (const [k, v] of Object.entries(r)) {
      let s = seen.get(k);
      if (!s) {
        s = { counts: new Map(), present: 0, missing: false };
        seen.set(k, s);
      }
      const kind = kindOf(v);
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

/** One value as its column type wants it; `undefined` means it does not fit. */
function coerce(v: unknown, type: ColumnType): Cell | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' && MISSING.has(v.trim())) return null;
  switch (type) {
    case 'numeric': {
      const n =
        typeof v === 'number'
          ? v
          : typeof v === 'bigint'
            ? Number(v)
            : typeof v === 'string'
              ? Number(v.trim())
              : NaN;
      return Number.isFinite(n) ? n : undefined;
    }
    case 'boolean':
      if (v === true || v === 1 || v === 'true') return 1;
      if (v === false || v === 0 || v === 'false') return 0;
      return undefined;
    case 'datetime': {
      const ms =
        v instanceof Date
          ? v.getTime()
          : typeof v === 'number'
            ? v
            : typeof v === 'string'
              ? Date.parse(v.trim())
              : NaN;
      return Number.isFinite(ms) ? ms : undefined;
    }
    default:
      if (typeof v === 'string') return v.trim();
      if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
      if (v instanceof Date) return v.toISOString();
      return undefined;
  }
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
  ) {
    this.schemaNow = schema;
  }

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
      const inferred = inferRecordSchema(this.pending.map((p) => p.record));
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
      const v = coerce(rec[c.name], c.type);
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
