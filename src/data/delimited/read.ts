// readDelimited: a CSV/TSV file into a Frame in one streaming pass, every record either accepted (with its line
// number) or quarantined with a specific reason: short or long row, wrong delimiter, unclosed quote, invalid UTF-8,
// NUL byte, empty line, or a value that does not fit its column. read = accepted + quarantined, always.
// Large files are split in two at a line end and the second half is parsed by a helper thread into shared memory;
// if the split turns out to fall inside a quoted field, or a part runs out of room, the file is read serially.

import fs from 'node:fs';
import { KeelError } from '../../core/index.ts';
import { DataErrors, type QuarantinedRow } from '../errors.ts';
import type { ColumnType, Frame } from '../frame.ts';
import type { Schema } from '../schema.ts';
import { RegionFull } from './columns.ts';
import { finishRead, settledTypes, stitchParts } from './finish.ts';
import { type HelperResult, regionsOf, type Split, startHelper } from './helper.ts';
import { inferType } from './infer.ts';
import { type PartConfig, PartParser } from './part.ts';
import {
  ChunkReader,
  Fields as FieldsClass,
  FLAG_EMPTY,
  FLAG_ESCAPED,
  type OnRecord,
  scan,
  Utf16Reader,
  utf16Of,
} from './scan.ts';
import { makeMissingTest } from './values.ts';

export interface DelimitedOptions {
  delimiter: string;
  /** '' for none */
  quote: string;
  header: boolean;
  missing: readonly string[];
  /** the zone of date-times written without one (default UTC) */
  zone?: string;
  /** declared column types; the others are inferred from every value */
  types?: Record<string, ColumnType>;
  /** a column is numeric / datetime when at least this share of its present values parse (default 0.99) */
  threshold?: number;
  /** 'utf8' (invalid bytes quarantine the row), 'latin1', or UTF-16 (also recognised by its byte-order mark) */
  encoding?: 'utf8' | 'latin1' | 'utf16le' | 'utf16be';
  /** use a helper thread for large files (default true) */
  parallel?: boolean;
  /** files at least this big get the helper thread (default 48 MB) */
  parallelMinBytes?: number;
  /** told every few hundred MB */
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
  /** whether a helper thread parsed part of the file */
  parallel: boolean;
}

const SAMPLE_ROWS = 5000;
const CHUNK = 8 * 1024 * 1024;
const FIRST_CHUNK = 256 * 1024;
/** files smaller than this are read on one thread (a helper's start-up would not pay) */
const PARALLEL_MIN_BYTES = 48 * 1024 * 1024;

export async function readDelimited(path: string, o: DelimitedOptions): Promise<DelimitedResult> {
  let parallel = o.parallel !== false;
  let declared = o.types ?? {};
  for (let attempt = 0; attempt < 3; attempt++) {
    const pass = await readPass(path, o, declared, parallel);
    if (pass.kind === 'done') return pass.result;
    if (pass.kind === 'serial') parallel = false;
    else declared = pass.retypes; // a column's type changed once every value was seen: read again with types fixed
  }
  throw new KeelError(DataErrors.RECONCILE, `${path}: the column types did not settle`);
}

type Pass =
  | { kind: 'done'; result: DelimitedResult }
  | { kind: 'retype'; retypes: Record<string, ColumnType> }
  | { kind: 'serial' };

async function readPass(
  path: string,
  o: DelimitedOptions,
  declared: Record<string, ColumnType>,
  allowParallel: boolean,
): Promise<Pass> {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    throw new KeelError(DataErrors.SOURCE_UNREADABLE, `cannot read ${path}: ${(err as Error).message}`);
  }
  const totalBytes = fs.fstatSync(fd).size;
  // UTF-16 is decoded to UTF-8 on the way in (one thread: the helper reads raw bytes)
  const utf16 = o.encoding === 'utf16le' ? 'utf-16le' : o.encoding === 'utf16be' ? 'utf-16be' : utf16Of(fd);
  const dialect = {
    delimiter: o.delimiter.charCodeAt(0),
    quote: o.quote === '' ? -1 : o.quote.charCodeAt(0),
  };
  const isMissing = makeMissingTest(o.missing);
  const threshold = o.threshold ?? 0.99;
  const latin1 = o.encoding === 'latin1';
  const decoder = latin1 ? 'latin1' : 'utf8';
  let names: string[] | undefined;
  let types: ColumnType[] | undefined;
  let probe: PartParser | undefined; // structural checks while sampling
  let main: PartParser | undefined;
  let sample: { fields: string[]; quoted: boolean[]; line: number; raw: string }[] = [];
  let sampleBytes = 0;
  let bom = false;
  let bytesSoFar = 0;
  let split: Split | undefined;
  let limit = totalBytes;

  const config = (extra: Partial<PartConfig>): PartConfig => ({
    path,
    delimiter: o.delimiter,
    quote: o.quote,
    missing: o.missing,
    zone: o.zone,
    latin1,
    names: names as string[],
    types: types ?? (names as string[]).map(() => 'categorical'),
    capacity: 0,
    ...extra,
  });

  const start = () => {
    const cols = names as string[];
    types = cols.map(
      (name, ci) =>
        declared[name] ??
        inferType(
          sample.map((r) => r.fields[ci]),
          isMissing,
          threshold,
        ),
    );
    const perRow = Math.max(1, sampleBytes) / Math.max(1, sample.length);
    const estRows = Math.ceil(totalBytes / perRow);
    if (
      allowParallel &&
      !utf16 &&
      totalBytes >= (o.parallelMinBytes ?? PARALLEL_MIN_BYTES) &&
      bytesSoFar < totalBytes * 0.4
    ) {
      split = startHelper(path, fd, totalBytes, perRow, cols, types, config({}));
      if (split) limit = split.at;
    }
    const regions = split ? regionsOf(split.buffers, types, 0, split.capA) : undefined;
    main = new PartParser(config({ capacity: Math.ceil(estRows * 1.02) + 16, regions }));
    const p = probe as PartParser;
    main.quarantine.push(...p.quarantine);
    main.read += p.read;
    main.pendingEmpty = p.pendingEmpty;
    main.sawRecord = p.sawRecord;
    for (const r of sample) main.addTexts(r.fields, r.quoted, r.line, r.raw);
    sample = [];
    handler = main.onRecord;
  };

  const sampling: OnRecord = (buf, f, rs, re, line, flags) => {
    if (!names) {
      if (flags & FLAG_EMPTY) {
        return; // blank lines before the header are not rows
      }
      const cols: string[] = [];
      const t = (i: number) =>
        Buffer.from(buf.buffer, buf.byteOffset + f.start[i], f.end[i] - f.start[i]).toString(decoder);
      for (let i = 0; i < f.n; i++) cols.push(t(i).trim());
      if (o.header) {
        const seen = new Map<string, number>();
        names = cols
          .map((c, i) => c || `column${i}`)
          .map((n) => {
            const k = seen.get(n) ?? 0;
            seen.set(n, k + 1);
            return k === 0 ? n : `${n}_${k}`;
          });
        for (const d of Object.keys(declared)) {
          if (!names.includes(d))
            throw new KeelError(DataErrors.UNKNOWN_COLUMN, `declared column "${d}" is not in ${path}`);
        }
        probe = new PartParser(config({ capacity: 0 }));
        return;
      }
      names = cols.map((_, i) => `column${i}`);
      probe = new PartParser(config({ capacity: 0 }));
    }
    const p = probe as PartParser;
    if (flags & FLAG_EMPTY) {
      p.pendingEmpty.push(line);
      return;
    }
    p.sawRecord = true;
    if (p.pendingEmpty.length > 0) p.settleEmpty();
    if (!p.checkRecord(buf, f, rs, re, line, flags)) {
      p.read++;
      return;
    }
    const escaped = (flags & FLAG_ESCAPED) !== 0;
    const fields: string[] = [];
    const quoted: boolean[] = [];
    for (let i = 0; i < f.n; i++) {
      fields.push(p.fieldText(buf, f.start[i], f.end[i], f.quoted[i] === 1, escaped));
      quoted.push(f.quoted[i] === 1);
    }
    sample.push({ fields, quoted, line, raw: p.rawOf(buf, rs, re) });
    sampleBytes += re - rs + 1;
    if (sample.length >= SAMPLE_ROWS) start();
  };
  let handler: OnRecord = sampling;
  const dispatch: OnRecord = (buf, f, rs, re, line, flags) => handler(buf, f, rs, re, line, flags);

  const at = { line: 1 };
  const fields = new FieldsClass();
  const reader = utf16 ? new Utf16Reader(fd, CHUNK, utf16) : new ChunkReader(fd, CHUNK);
  try {
    let lastReport = 0;
    for (;;) {
      // small reads while sampling: the split is then decided before most of the file is read
      const want = Math.min(main ? CHUNK : FIRST_CHUNK, limit - bytesSoFar);
      const { view: buf, n } = reader.next(bytesSoFar, want);
      const final = n === 0;
      let pos = 0;
      if (bytesSoFar === 0 && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        bom = true;
        pos = 3;
      }
      bytesSoFar += n;
      // at a split point the part must end exactly on a record boundary: scan it as not final and check
      const atSplit = split !== undefined && bytesSoFar >= limit;
      const used = scan(buf, pos, buf.length, final && !atSplit, dialect, fields, at, dispatch);
      reader.keep(buf, used);
      if (o.onProgress && (final || bytesSoFar - lastReport >= 4 * CHUNK)) {
        lastReport = bytesSoFar;
        o.onProgress({ bytes: bytesSoFar, totalBytes, rows: main?.rows ?? 0 });
      }
      if (atSplit) break;
      if (final) break;
    }
  } catch (err) {
    if (err instanceof RegionFull && split) {
      split.stop();
      fs.closeSync(fd);
      return { kind: 'serial' };
    }
    split?.stop();
    fs.closeSync(fd);
    throw err;
  }
  fs.closeSync(fd);
  if (!names) throw new KeelError(DataErrors.EMPTY, `${path} has no header and no rows`);
  if (!main) start();
  const m = main as unknown as PartParser;
  const cols = names as string[];
  const colTypes = types as ColumnType[];

  let helper: HelperResult | undefined;
  if (split) {
    if (reader.pending > 0) {
      // the split fell inside a record (a quoted field with a line end in it): read the file serially instead
      split.stop();
      return { kind: 'serial' };
    }
    helper = await split.helper;
    if (helper.overflow) return { kind: 'serial' };
    if (helper.error) throw new KeelError(DataErrors.SOURCE_UNREADABLE, `${path}: ${helper.error}`);
  }

  const parts = stitchParts(m, helper, split, cols, colTypes, at.line - 1);
  const retypes = settledTypes(parts.whole, m, helper, cols, colTypes, declared, isMissing, threshold);
  if (retypes) return { kind: 'retype', retypes };
  return { kind: 'done', result: finishRead(path, parts, bom, helper !== undefined) };
}
