// Column builders for the delimited reader: numbers parsed from the bytes into preallocated Float64Arrays, times and
// booleans from text, categories dictionary-encoded. A value that does not fit is reported, never guessed.

import { type Column, type ColumnType, levelCode } from '../frame.ts';
import { trimText } from '../values.ts';
import { parseBoolean, parseDateText, parseNumberBytes, parseNumberText } from './values.ts';

export interface FieldText {
  /** the field's text: unquoted fields trimmed, quoted ones as written (doubled quotes undone) */
  text(): string;
}

export interface Builder {
  readonly name: string;
  readonly type: ColumnType;
  /** rows appended so far */
  readonly rows: number;
  /** appends one value; false when it does not fit the type (a missing value is appended instead) */
  add(buf: Uint8Array, s: number, e: number, quoted: boolean, f: FieldText): boolean;
  /** present (non-missing) values so far, and how many of them did not fit */
  present: number;
  failed: number;
  finish(keep?: Uint8Array): Column;
}

/** Thrown when a part writing into a fixed shared region runs out of room (the reader then reads serially). */
export class RegionFull extends Error {}

class Floats {
  a: Float64Array;
  n = 0;
  private readonly fixed: boolean;
  constructor(capacity: number, region?: Float64Array) {
    this.fixed = region !== undefined;
    this.a = region ?? new Float64Array(Math.max(1024, capacity));
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      if (this.fixed) throw new RegionFull();
      const b = new Float64Array(Math.ceil(this.a.length * 1.5));
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  done(keep?: Uint8Array): Float64Array {
    // a view, not a copy: the estimate leaves only a few percent unused, and copying would double the peak
    if (!keep) return this.a.subarray(0, this.n);
    let m = 0;
    for (let i = 0; i < this.n; i++) if (keep[i]) m++;
    const out = new Float64Array(m);
    let j = 0;
    for (let i = 0; i < this.n; i++) if (keep[i]) out[j++] = this.a[i];
    return out;
  }
}

export class NumericBuilder implements Builder {
  readonly type = 'numeric' as const;
  present = 0;
  failed = 0;
  private readonly v: Floats;
  constructor(
    readonly name: string,
    capacity: number,
    private readonly isMissing: (t: string) => boolean,
    region?: Float64Array,
  ) {
    this.v = new Floats(capacity, region);
  }
  get rows(): number {
    return this.v.n;
  }
  add(buf: Uint8Array, s0: number, e0: number, quoted: boolean, f: FieldText): boolean {
    let s = s0;
    let e = e0;
    if (!quoted) {
      while (s < e && (buf[s] === 0x20 || buf[s] === 0x09)) s++;
      while (e > s && (buf[e - 1] === 0x20 || buf[e - 1] === 0x09)) e--;
    }
    if (s === e) {
      this.v.push(Number.NaN);
      return true;
    }
    const x = quoted ? parseNumberText(f.text()) : parseNumberBytes(buf, s, e);
    if (x !== undefined) {
      this.present++;
      this.v.push(x);
      return true;
    }
    this.v.push(Number.NaN);
    if (this.isMissing(f.text().trim())) return true;
    this.present++;
    this.failed++;
    return false;
  }
  finish(keep?: Uint8Array): Column {
    return { name: this.name, type: 'numeric', values: this.v.done(keep) };
  }
}

/** Times and booleans: parsed from the field's text. */
export class TextParsedBuilder implements Builder {
  present = 0;
  failed = 0;
  private readonly v: Floats;
  constructor(
    readonly name: string,
    readonly type: 'datetime' | 'boolean',
    capacity: number,
    private readonly isMissing: (t: string) => boolean,
    region?: Float64Array,
    private readonly zone = 'UTC',
  ) {
    this.v = new Floats(capacity, region);
  }
  get rows(): number {
    return this.v.n;
  }
  add(_b: Uint8Array, _s: number, _e: number, _q: boolean, f: FieldText): boolean {
    const t = f.text().trim();
    if (this.isMissing(t)) {
      this.v.push(Number.NaN);
      return true;
    }
    this.present++;
    const x = this.type === 'datetime' ? parseDateText(t, this.zone) : parseBoolean(t);
    this.v.push(x ?? Number.NaN);
    if (x === undefined) this.failed++;
    return x !== undefined;
  }
  finish(keep?: Uint8Array): Column {
    return { name: this.name, type: this.type, values: this.v.done(keep) };
  }
}

export class CategoricalBuilder implements Builder {
  readonly type = 'categorical' as const;
  present = 0;
  failed = 0;
  private codes: Int32Array;
  private n = 0;
  readonly levels: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly fixed: boolean;
  constructor(
    readonly name: string,
    capacity: number,
    private readonly isMissing: (t: string) => boolean,
    region?: Int32Array,
  ) {
    this.fixed = region !== undefined;
    this.codes = region ?? new Int32Array(Math.max(1024, capacity));
  }
  get rows(): number {
    return this.n;
  }
  /** counts per level over the rows so far */
  levelCounts(): Float64Array {
    const counts = new Float64Array(this.levels.length);
    for (let i = 0; i < this.n; i++) if (this.codes[i] >= 0) counts[this.codes[i]]++;
    return counts;
  }
  add(_b: Uint8Array, _s: number, _e: number, _q: boolean, f: FieldText): boolean {
    // quoted or not, a category is its trimmed text (the value layer's rule, as the server and batch scoring read it)
    const t = trimText(f.text());
    let code = -1;
    if (!(t === '' || this.isMissing(t))) {
      this.present++;
      code = levelCode(this.levels, this.index, t);
    }
    if (this.n === this.codes.length) {
      if (this.fixed) throw new RegionFull();
      const b = new Int32Array(Math.ceil(this.codes.length * 1.5));
      b.set(this.codes);
      this.codes = b;
    }
    this.codes[this.n++] = code;
    return true;
  }
  finish(keep?: Uint8Array): Column {
    let codes: Int32Array;
    if (!keep) codes = this.codes.subarray(0, this.n);
    else {
      const out: number[] = [];
      for (let i = 0; i < this.n; i++) if (keep[i]) out.push(this.codes[i]);
      codes = Int32Array.from(out);
    }
    return { name: this.name, type: 'categorical', codes, levels: this.levels };
  }
}
