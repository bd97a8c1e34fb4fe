// PartParser: the records of one stretch of a delimited file into column builders, with the quarantine, the line of
// each accepted row and the empty lines seen. The main thread runs one; a helper thread may run another on the
// second half of the file, writing into shared memory, and the two are stitched together.

import { isUtf8 } from 'node:buffer';
import { DataErrors, type QuarantinedRow } from '../errors.ts';
import type { ColumnType } from '../frame.ts';
import {
  type Builder,
  CategoricalBuilder,
  type FieldText,
  NumericBuilder,
  TextParsedBuilder,
} from './columns.ts';
import { type Fields, FLAG_EMPTY, FLAG_ESCAPED, FLAG_HIGH, FLAG_NUL, FLAG_UNCLOSED } from './scan.ts';
import { makeMissingTest } from './values.ts';

const OTHER_DELIMITERS = [',', ';', '\t', '|'];

export interface PartConfig {
  path: string;
  delimiter: string;
  quote: string;
  missing: readonly string[];
  /** the zone of date-times written without one (default UTC) */
  zone?: string;
  latin1: boolean;
  names: string[];
  types: ColumnType[];
  /** rows to allocate for (growable), or the shared regions to write into (fixed, one per column) */
  capacity: number;
  regions?: (Float64Array | Int32Array)[];
}

/** Line numbers of accepted rows, growable. */
class Ints {
  a = new Int32Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

export class PartParser {
  readonly builders: Builder[];
  readonly quarantine: QuarantinedRow[] = [];
  readonly lines = new Ints();
  /** part-local indices of rows with a value that did not fit */
  readonly bad: number[] = [];
  rows = 0;
  /** records taken (accepted + quarantined, empty lines included once they are known not to be trailing) */
  read = 0;
  /** empty lines not yet followed by a record (trailing, unless a record comes) */
  pendingEmpty: number[] = [];
  /** whether any non-empty record was seen */
  sawRecord = false;
  private readonly decoder: 'utf8' | 'latin1';
  private readonly cursor: FieldText & { buf: Uint8Array; s: number; e: number; q: boolean; esc: boolean };

  constructor(private readonly c: PartConfig) {
    this.decoder = c.latin1 ? 'latin1' : 'utf8';
    const isMissing = makeMissingTest(c.missing);
    this.builders = c.names.map((name, i) => {
      const t = c.types[i];
      const region = c.regions?.[i];
      if (t === 'numeric')
        return new NumericBuilder(name, c.capacity, isMissing, region as Float64Array | undefined);
      if (t === 'datetime' || t === 'boolean')
        return new TextParsedBuilder(
          name,
          t,
          c.capacity,
          isMissing,
          region as Float64Array | undefined,
          c.zone ?? 'UTC',
        );
      return new CategoricalBuilder(name, c.capacity, isMissing, region as Int32Array | undefined);
    });
    const text = this.fieldText;
    this.cursor = {
      buf: new Uint8Array(0) as Uint8Array,
      s: 0,
      e: 0,
      q: false,
      esc: false,
      text() {
        return text(this.buf, this.s, this.e, this.q, this.esc);
      },
    };
  }

  readonly fieldText = (buf: Uint8Array, s: number, e: number, quoted: boolean, escaped: boolean): string => {
    const t = Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString(this.decoder);
    return quoted && escaped ? t.split(this.c.quote + this.c.quote).join(this.c.quote) : t;
  };

  rawOf(buf: Uint8Array, s: number, e: number): string {
    return Buffer.from(buf.buffer, buf.byteOffset + s, Math.min(e - s, 500))
      .toString(this.decoder)
      .replace(/\0/g, '\\0');
  }

  reject(line: number, code: string, reason: string, raw: string, column: string | null = null): void {
    this.quarantine.push({ source: this.c.path, line, column, code, reason, raw });
  }

  /** Empty lines seen so far are inside the data (a record follows): they are rows, quarantined. */
  settleEmpty(): void {
    for (const l of this.pendingEmpty) {
      this.read++;
      this.reject(l, DataErrors.EMPTY_LINE, 'empty line', '');
    }
    this.pendingEmpty = [];
  }

  /** A record whose structure and encoding are already checked, as field texts (the sampled rows). */
  addTexts(fields: string[], quoted: boolean[], line: number, raw: string): void {
    this.read++;
    const bs = this.builders;
    let ok = true;
    for (let ci = 0; ci < bs.length; ci++) {
      const text = fields[ci];
      const bytes = Buffer.from(text, 'utf8');
      if (!bs[ci].add(bytes, 0, bytes.length, quoted[ci], { text: () => text })) {
        ok = false;
        this.reject(line, DataErrors.BAD_VALUE, `not a ${bs[ci].type} value`, raw, bs[ci].name);
      }
    }
    if (!ok) this.bad.push(this.rows);
    this.lines.push(line);
    this.rows++;
  }

  /** Structural checks shared with the sampling phase: returns false when the record was quarantined. */
  checkRecord(buf: Uint8Array, f: Fields, rs: number, re: number, line: number, flags: number): boolean {
    // an unclosed quote first: the scanner's look-ahead for its closing quote may have crossed a NUL or bytes that
    // are not UTF-8 on later lines, which are not this row's fault
    if (flags & FLAG_UNCLOSED) {
      this.reject(
        line,
        DataErrors.UNCLOSED_QUOTE,
        'a quote that is not closed on its line',
        this.rawOf(buf, rs, re),
      );
      return false;
    }
    if (flags & FLAG_NUL) {
      this.reject(line, DataErrors.NUL_BYTE, 'a NUL byte inside the row', this.rawOf(buf, rs, re));
      return false;
    }
    if (flags & FLAG_HIGH && !this.c.latin1 && !isUtf8(buf.subarray(rs, re))) {
      this.reject(line, DataErrors.INVALID_UTF8, 'bytes that are not valid UTF-8', this.rawOf(buf, rs, re));
      return false;
    }
    const want = this.c.names.length;
    if (f.n !== want) {
      const text = this.rawOf(buf, rs, re);
      const other = OTHER_DELIMITERS.find((d) => d !== this.c.delimiter && text.split(d).length === want);
      if (other) {
        this.reject(
          line,
          DataErrors.WRONG_DELIMITER,
          `fields separated by ${JSON.stringify(other)} instead of ${JSON.stringify(this.c.delimiter)}`,
          text,
        );
      } else {
        this.reject(
          line,
          f.n < want ? DataErrors.SHORT_ROW : DataErrors.LONG_ROW,
          `${f.n} fields, expected ${want}`,
          text,
        );
      }
      return false;
    }
    return true;
  }

  /** One scanned record (the scanner's callback once the column types are known). */
  readonly onRecord = (
    buf: Uint8Array,
    f: Fields,
    rs: number,
    re: number,
    line: number,
    flags: number,
  ): void => {
    if (flags & FLAG_EMPTY) {
      this.pendingEmpty.push(line);
      return;
    }
    this.sawRecord = true;
    if (this.pendingEmpty.length > 0) this.settleEmpty();
    if (!this.checkRecord(buf, f, rs, re, line, flags)) {
      this.read++;
      return;
    }
    this.read++;
    const cursor = this.cursor;
    cursor.buf = buf;
    cursor.esc = (flags & FLAG_ESCAPED) !== 0;
    const bs = this.builders;
    let rawText: string | undefined;
    let ok = true;
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
        rawText ??= this.rawOf(buf, rs, re);
        this.reject(line, DataErrors.BAD_VALUE, `not a ${b.type} value`, rawText, b.name);
      }
    }
    if (!ok) this.bad.push(this.rows);
    this.lines.push(line);
    this.rows++;
  };
}
