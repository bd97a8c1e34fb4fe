// readDelimited: a CSV/TSV file into a Frame in one streaming pass, every record either accepted (with its line
// number) or quarantined with a specific reason: short or long row, wrong delimiter, unclosed quote, invalid UTF-8,
// NUL byte, empty line, or a value that does not fit its column. read = accepted + quarantined, always.

import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { KeelError } from '../../core/index.ts';
import { DataErrors, type QuarantinedRow } from '../errors.ts';
import { type Column, type ColumnType, Frame } from '../frame.ts';
import type { Schema } from '../schema.ts';
import { type Builder, CategoricalBuilder, NumericBuilder, TextParsedBuilder } from './columns.ts';
import { Fields, FLAG_EMPTY, FLAG_ESCAPED, FLAG_HIGH, FLAG_NUL, FLAG_UNCLOSED, scan } from './scan.ts';
import { makeMissingTest, parseBoolean, parseDateText, parseNumberText } from './values.ts';

export interface DelimitedOptions {
  delimiter: string;
  /** '' for none */
  quote: string;
  header: boolean;
  missing: readonly string[];
  /** declared column types; the others are inferred from every value */
  types?: Record<string, ColumnType>;
  /** a column is numeric / datetime when at least this share of its present values parse (default 0.99) */
  threshold?: number;
  /** 'utf8' (invalid bytes quarantine the row) or 'latin1' */
  encoding?: 'utf8' | 'latin1';
  /** told every few MB */
  onProgress?: (p: { bytes: number; totalBytes: number; rows: number }) => void;
}

export interface DelimitedResult {
  frame: Frame;
  schema: Schema;
  quarantine: QuarantinedRow[];
  counts: { read: number; accepted: number; quarantined: number };
  /** the line each accepted row starts on */
  lines: Int32Array;
  /** empty lines at the end of the file (not rows) */
  trailingEmptyLines: number;
  bom: boolean;
}

const SAMPLE_ROWS = 5000;
const CHUNK = 8 * 1024 * 1024;
const OTHER_DELIMITERS = [',', ';', '\t', '|'];

export function readDelimited(path: string, o: DelimitedOptions): DelimitedResult {
  const first = readPass(path, o, o.types ?? {});
  if (first.retypes === undefined) return first.result;
  // a column's type changed once every value was seen: read again with all types fixed
  return readPass(path, o, first.retypes).result;
}

interface Pass {
  result: DelimitedResult;
  retypes?: Record<string, ColumnType>;
}

function readPass(path: string, o: DelimitedOptions, declared: Record<string, ColumnType>): Pass {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    throw new KeelError(DataErrors.SOURCE_UNREADABLE, `cannot read ${path}: ${(err as Error).message}`);
  }
  const totalBytes = fs.fstatSync(fd).size;
  const dialect = {
    delimiter: o.delimiter.charCodeAt(0),
    quote: o.quote === '' ? -1 : o.quote.charCodeAt(0),
  };
  const isMissing = makeMissingTest(o.missing);
  const threshold = o.threshold ?? 0.99;
  const latin1 = o.encoding === 'latin1';
  const decoder = latin1 ? 'latin1' : 'utf8';
  const quarantine: QuarantinedRow[] = [];
  let names: string[] | undefined;
  let builders: Builder[] | undefined;
  let sample: { fields: string[]; quoted: boolean[]; line: number; raw: string }[] = [];
  const lines: number[] = [];
  let rows = 0;
  const bad: number[] = [];
  let read = 0;
  let pendingEmpty: number[] = [];
  let bom = false;
  let bytesSoFar = 0;
  let sampleBytes = 0;

  const rawOf = (buf: Uint8Array, s: number, e: number) =>
    Buffer.from(buf.buffer, buf.byteOffset + s, Math.min(e - s, 500))
      .toString(decoder)
      .replace(/\0/g, '\\0');
  const reject = (line: number, code: string, reason: string, raw: string, column: string | null = null) => {
    quarantine.push({ source: path, line, column, code, reason, raw });
  };
  const fieldText = (buf: Uint8Array, s: number, e: number, quoted: boolean, escaped: boolean): string => {
    const t = Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString(decoder);
    return quoted && escaped ? t.split(o.quote + o.quote).join(o.quote) : t;
  };
  // one reusable cursor instead of a closure per field
  const cursor = {
    buf: new Uint8Array(0) as Uint8Array,
    s: 0,
    e: 0,
    q: false,
    esc: false,
    text(): string {
      return fieldText(this.buf, this.s, this.e, this.q, this.esc);
    },
  };
  const fieldsOf = new Fields();

  const start = () => {
    const cols = names as string[];
    builders = cols.map((name, ci) => {
      const t =
        declared[name] ??
        inferType(
          sample.map((r) => r.fields[ci]),
          isMissing,
          threshold,
        );
      const cap = Math.ceil((totalBytes / Math.max(1, sampleBytes)) * Math.max(1, sample.length) * 1.02) + 16;
      if (t === 'numeric') return new NumericBuilder(name, cap, isMissing);
      if (t === 'datetime' || t === 'boolean') return new TextParsedBuilder(name, t, cap, isMissing);
      return new CategoricalBuilder(name, cap, isMissing);
    });
    const held = sample;
    sample = [];
    const bs = builders;
    for (const r of held) {
      let ok = true;
      for (let ci = 0; ci < bs.length; ci++) {
        const text = r.fields[ci];
        const bytes = Buffer.from(text, 'utf8');
        if (!bs[ci].add(bytes, 0, bytes.length, r.quoted[ci], { text: () => text })) {
          ok = false;
          reject(r.line, DataErrors.BAD_VALUE, `not a ${bs[ci].type} value`, r.raw, bs[ci].name);
        }
      }
      if (!ok) bad.push(rows);
      lines.push(r.line);
      rows++;
    }
  };

  const onRecord = (buf: Uint8Array, f: Fields, rs: number, re: number, line: number, flags: number) => {
    if (flags & FLAG_EMPTY) {
      pendingEmpty.push(line);
      return;
    }
    for (const l of pendingEmpty) {
      if (names) {
        read++;
        reject(l, DataErrors.EMPTY_LINE, 'empty line', '');
      }
    }
    pendingEmpty = [];
    if (!names) {
      const cols = [];
      for (let i = 0; i < f.n; i++)
        cols.push(
          fieldText(buf, f.start[i], f.end[i], f.quoted[i] === 1, (flags & FLAG_ESCAPED) !== 0).trim(),
        );
      if (o.header) {
        names = cols.map((c, i) => c || `column${i}`);
        const seen = new Map<string, number>();
        names = names.map((n) => {
          const k = seen.get(n) ?? 0;
          seen.set(n, k + 1);
          return k === 0 ? n : `${n}_${k}`;
        });
        for (const d of Object.keys(declared)) {
          if (!names.includes(d))
            throw new KeelError(DataErrors.UNKNOWN_COLUMN, `declared column "${d}" is not in ${path}`);
        }
        return;
      }
      names = cols.map((_, i) => `column${i}`);
    }
    read++;
    if (flags & FLAG_NUL)
      return reject(line, DataErrors.NUL_BYTE, 'a NUL byte inside the row', rawOf(buf, rs, re));
    if (flags & FLAG_HIGH && !latin1 && !isUtf8(buf.subarray(rs, re))) {
      return reject(line, DataErrors.INVALID_UTF8, 'bytes that are not valid UTF-8', rawOf(buf, rs, re));
    }
    if (flags & FLAG_UNCLOSED)
      return reject(
        line,
        DataErrors.UNCLOSED_QUOTE,
        'a quote that is not closed on its line',
        rawOf(buf, rs, re),
      );
    const want = (names as string[]).length;
    if (f.n !== want) {
      const text = rawOf(buf, rs, re);
      const other = OTHER_DELIMITERS.find((d) => d !== o.delimiter && text.split(d).length === want);
      if (other) {
        return reject(
          line,
          DataErrors.WRONG_DELIMITER,
          `fields separated by ${JSON.stringify(other)} instead of ${JSON.stringify(o.delimiter)}`,
          text,
        );
      }
      return f.n < want
        ? reject(line, DataErrors.SHORT_ROW, `${f.n} fields, expected ${want}`, text)
        : reject(line, DataErrors.LONG_ROW, `${f.n} fields, expected ${want}`, text);
    }
    const escaped = (flags & FLAG_ESCAPED) !== 0;
    if (!builders) {
      const fields: string[] = [];
      const quoted: boolean[] = [];
      for (let i = 0; i < f.n; i++) {
        fields.push(fieldText(buf, f.start[i], f.end[i], f.quoted[i] === 1, escaped));
        quoted.push(f.quoted[i] === 1);
      }
      sample.push({ fields, quoted, line, raw: rawOf(buf, rs, re) });
      sampleBytes += re - rs + 1;
      if (sample.length >= SAMPLE_ROWS) start();
      return;
    }
    let rawText: string | undefined;
    const bs = builders;
    let ok = true;
    cursor.buf = buf;
    cursor.esc = escaped;
    for (let ci = 0; ci < bs.length; ci++) {
      const s = f.start[ci];
      const e = f.end[ci];
      const q = f.quoted[ci] === 1;
      cursor.s = s;
      cursor.e = e;
      cursor.q = q;
      const b = bs[ci];
      // a monomorphic call for the common numeric case lets V8 inline the number parser
      if (!(b instanceof NumericBuilder ? b.add(buf, s, e, q, cursor) : b.add(buf, s, e, q, cursor))) {
        ok = false;
        rawText ??= rawOf(buf, rs, re);
        reject(line, DataErrors.BAD_VALUE, `not a ${bs[ci].type} value`, rawText, bs[ci].name);
      }
    }
    if (!ok) bad.push(rows);
    lines.push(line);
    rows++;
  };

  const at = { line: 1 };
  let carry: Uint8Array = new Uint8Array(0);
  const chunk = Buffer.allocUnsafe(CHUNK);
  try {
    let lastReport = 0;
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, CHUNK, null);
      const final = n === 0;
      let buf: Uint8Array;
      if (carry.length === 0)
        buf = new Uint8Array(chunk.buffer, chunk.byteOffset, n); // one array type (not Buffer) keeps the hot loops monomorphic
      else {
        buf = new Uint8Array(carry.length + n);
        buf.set(carry);
        buf.set(chunk.subarray(0, n), carry.length);
      }
      let pos = 0;
      if (bytesSoFar === 0 && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        bom = true;
        pos = 3;
      }
      bytesSoFar += n;
      const used = scan(buf, pos, buf.length, final, dialect, fieldsOf, at, onRecord);
      carry = used < buf.length ? new Uint8Array(buf.subarray(used)) : new Uint8Array(0); // a copy: the chunk is reused
      if (o.onProgress && (final || bytesSoFar - lastReport > 32 * CHUNK)) {
        lastReport = bytesSoFar;
        o.onProgress({ bytes: bytesSoFar, totalBytes, rows });
      }
      if (final) break;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (!names) throw new KeelError(DataErrors.EMPTY, `${path} has no header and no rows`);
  if (!builders) start();
  const bs = builders as unknown as Builder[];

  // types settled by every value: numeric/time columns with too many misfits become categorical, and columns that
  // looked like text in the sample but hold numbers throughout become numeric
  const retypes: Record<string, ColumnType> = { ...declared };
  let changed = false;
  for (const b of bs) {
    if (b.name in declared) continue;
    let t: ColumnType = b.type;
    if (b.type !== 'categorical' && b.failed > (1 - threshold) * b.present) t = 'categorical';
    if (b instanceof CategoricalBuilder) t = settleCategorical(b, isMissing, threshold);
    retypes[b.name] = t;
    if (t !== b.type) changed = true;
  }
  if (changed) return { result: undefined as unknown as DelimitedResult, retypes };

  let keep: Uint8Array | undefined;
  let keptLines: Int32Array;
  if (bad.length > 0) {
    keep = new Uint8Array(rows).fill(1);
    for (const r of bad) keep[r] = 0;
    keptLines = Int32Array.from(lines.filter((_, i) => (keep as Uint8Array)[i] === 1));
  } else keptLines = Int32Array.from(lines);
  const columns: Column[] = bs.map((b) => b.finish(keep));
  const frame = new Frame(columns);
  quarantine.sort((a, b) => a.line - b.line);
  const quarantinedRows = new Set(quarantine.map((q) => q.line)).size;
  if (read !== frame.nRows + quarantinedRows) {
    throw new KeelError(
      DataErrors.RECONCILE,
      `${path}: read ${read} rows but accepted ${frame.nRows} + quarantined ${quarantinedRows}`,
    );
  }
  const schema: Schema = {
    columns: columns.map((c) => {
      if (c.type === 'categorical') {
        const used = new Set<number>();
        let nullable = false;
        for (const k of c.codes) k < 0 ? (nullable = true) : used.add(k);
        return { name: c.name, type: c.type, nullable, levels: [...used].map((k) => c.levels[k]).sort() };
      }
      return { name: c.name, type: c.type, nullable: c.values.some(Number.isNaN) };
    }),
  };
  return {
    result: {
      frame,
      schema,
      quarantine,
      counts: { read, accepted: frame.nRows, quarantined: quarantinedRows },
      lines: keptLines,
      trailingEmptyLines: pendingEmpty.length,
      bom,
    },
  };
}

/** The type of a column from its sampled values: the one that at least `threshold` of the present values take. */
function inferType(
  values: readonly string[],
  isMissing: (t: string) => boolean,
  threshold: number,
): ColumnType {
  let present = 0;
  let nums = 0;
  let dates = 0;
  let bools = 0;
  for (const v of values) {
    const t = v.trim();
    if (t === '' || isMissing(t)) continue;
    present++;
    if (parseNumberText(t) !== undefined) nums++;
    else if (parseDateText(t) !== undefined) dates++;
    else if (parseBoolean(t) !== undefined) bools++;
  }
  if (present === 0) return 'categorical';
  if (nums >= threshold * present) return 'numeric';
  if (dates >= threshold * present) return 'datetime';
  if (bools === present) return 'boolean';
  return 'categorical';
}

/** What a categorical column really is once every value is known (its levels weighted by their counts). */
function settleCategorical(
  b: CategoricalBuilder,
  isMissing: (t: string) => boolean,
  threshold: number,
): ColumnType {
  const col = b.finish();
  if (col.type !== 'categorical') return 'categorical';
  const counts = new Float64Array(col.levels.length);
  for (const k of col.codes) if (k >= 0) counts[k]++;
  // weighted by use: each level counts as often as it occurs
  let present = 0;
  let nums = 0;
  let dates = 0;
  let bools = 0;
  col.levels.forEach((lv, k) => {
    const t = lv.trim();
    if (isMissing(t)) return;
    present += counts[k];
    if (parseNumberText(t) !== undefined) nums += counts[k];
    else if (parseDateText(t) !== undefined) dates += counts[k];
    else if (parseBoolean(t) !== undefined) bools += counts[k];
  });
  if (present === 0) return 'categorical';
  if (nums >= threshold * present) return 'numeric';
  if (dates >= threshold * present) return 'datetime';
  if (bools === present) return 'boolean';
  return 'categorical';
}
