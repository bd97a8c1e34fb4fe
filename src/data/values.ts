// The value layer: how a field's text or a record's value becomes a column value — missing markers, trimming,
// numbers, booleans, date-times and their time zone — shared by the CSV reader, every source, batch scoring, the
// server's validation and the compiled transforms, so the same input means the same thing on every path.

import { KeelError } from '../core/index.ts';
import { DataErrors } from './errors.ts';
import type { ColumnType } from './frame.ts';

/** The values (after trimming) that mean "missing" unless a reader is told otherwise. */
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

/**
 * The rules a table was read with. A model artifact records them, so the server and batch scoring read requests
 * and files the way its training data was read.
 */
export interface ReadingRules {
  /** values (after trimming) that mean "missing" */
  missing: string[];
  /** the zone of date-times written without one: "UTC" or an IANA zone such as "America/New_York" */
  zone: string;
}

export const DEFAULT_READING: ReadingRules = { missing: [...DEFAULT_MISSING_MARKERS], zone: 'UTC' };

/** Rules with defaults filled in and the zone checked (a coded error names an unknown zone). */
export function readingRules(r: Partial<ReadingRules> | undefined): ReadingRules {
  const missing = [...(r?.missing ?? DEFAULT_MISSING_MARKERS)].map((m) => m.trim());
  const zone = r?.zone ?? 'UTC';
  checkZone(zone);
  return { missing, zone };
}

/** A value's text as every path reads it: without the whitespace around it (String.prototype.trim's set). */
export function trimText(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(n - 1);
  // the common case — printable ASCII at both ends — is decided by two char codes: no regex, no new string (every
  // whitespace character trim() removes is either <= 32 or beyond ASCII)
  return a > 32 && a < 127 && b > 32 && b < 127 ? s : s.trim();
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A finite number written in decimal or exponent form (after trimming), or undefined. */
export function parseNumberText(text: string): number | undefined {
  const t = trimText(text);
  if (!NUMBER_TEXT.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/** Whether trimmed text is a missing-value marker. */
export function makeMissingTest(markers: readonly string[]): (text: string) => boolean {
  const set = new Set(markers.map((m) => m.trim()));
  return (t) => set.has(t);
}

/**
 * true / false in any letter case → 1 / 0. Nothing else: yes/no and 1/0 columns stay categorical or numeric, so
 * labels keep the spelling their users wrote.
 */
export function parseBoolean(t: string): number | undefined {
  const l = t.toLowerCase();
  if (l === 'true') return 1;
  if (l === 'false') return 0;
  return undefined;
}

const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const SLASHED_YMD = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;

function wall(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // reject dates that roll over (31 February)
  return new Date(t).getUTCDate() === d ? t : undefined;
}

/**
 * Epoch milliseconds, or undefined. Accepted: ISO 8601 (date, date and time, fractions, Z or ±hh:mm),
 * M/D/YYYY [H:MM[:SS]], D.M.YYYY and YYYY/MM/DD. A time without a zone is a clock time in `zone` (default UTC).
 */
export function parseDateText(t: string, zone = 'UTC'): number | undefined {
  let m = ISO.exec(t);
  let local: number | undefined;
  if (m) {
    const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
    const base = wall(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), ms);
    if (base === undefined) return undefined;
    if (m[8] === 'Z') return base;
    if (m[8]) {
      const sign = m[8][0] === '-' ? -1 : 1;
      const hh = Number(m[8].slice(1, 3));
      const mm = Number(m[8].slice(-2));
      return base - sign * (hh * 60 + mm) * 60_000;
    }
    local = base;
  } else if ((m = US.exec(t))) local = wall(+m[3], +m[1], +m[2], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  else if ((m = DOTTED.exec(t))) local = wall(+m[3], +m[2], +m[1]);
  else if ((m = SLASHED_YMD.exec(t))) local = wall(+m[1], +m[2], +m[3]);
  if (local === undefined) return undefined;
  return zone === 'UTC' ? local : local - zoneOffset(zone, local);
}

const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
/** offsets by zone and clock hour (a zone's offset changes on hour boundaries in all but a few zones) */
const offsets = new Map<string, Map<number, number>>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

export function checkZone(zone: string): void {
  if (zone === 'UTC') return;
  try {
    formatterFor(zone);
  } catch {
    throw new KeelError(
      DataErrors.SOURCE_CONFIG,
      `unknown time zone "${zone}" (use "UTC" or an IANA name such as "Europe/Oslo")`,
    );
  }
}

/** The zone's clock minus UTC at the instant `utc`, in milliseconds. */
function offsetAt(zone: string, utc: number): number {
  const p = formatterFor(zone).formatToParts(new Date(utc));
  const get = (type: string) => Number(p.find((x) => x.type === type)?.value);
  const clock = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return clock - (utc - (((utc % 1000) + 1000) % 1000));
}

/**
 * The offset that turns a clock time in `zone` into UTC, decided once per clock hour, so every path (and every order
 * of reading) gets the same answer, also for the hour a change of offset repeats or skips.
 */
function zoneOffset(zone: string, clock: number): number {
  const hour = Math.floor(clock / HOUR);
  let byHour = offsets.get(zone);
  if (!byHour) offsets.set(zone, (byHour = new Map()));
  let off = byHour.get(hour);
  if (off === undefined) {
    const start = hour * HOUR;
    const o1 = offsetAt(zone, start);
    const o2 = offsetAt(zone, start - o1);
    if (o1 === o2) off = o1;
    else {
      const o3 = offsetAt(zone, start - o2);
      off = o2 === o3 ? o2 : Math.max(o2, o3);
    }
    if (byHour.size > 100_000) byHour.clear();
    byHour.set(hour, off);
  }
  return off;
}

/**
 * Reads field text into the column values a Frame stores, one reading rule set for all readers: numbers for
 * numeric / boolean (0/1) / datetime (epoch ms) columns, trimmed text for categorical ones, null when missing;
 * undefined when the text does not fit the type.
 */
export class ValueReader {
  readonly rules: ReadingRules;
  private readonly missing: Set<string>;
  constructor(rules?: Partial<ReadingRules>) {
    this.rules = readingRules(rules);
    this.missing = new Set(this.rules.missing);
  }

  /** Whether already-trimmed text is a missing marker. */
  isMissing(trimmed: string): boolean {
    return this.missing.has(trimmed);
  }

  /** A field's text as the column type wants it. */
  text(type: ColumnType, raw: string): number | string | null | undefined {
    const t = trimText(raw);
    if (this.missing.has(t)) return null;
    switch (type) {
      case 'numeric':
        return parseNumberText(t);
      case 'boolean':
        return parseBoolean(t);
      case 'datetime':
        return parseDateText(t, this.rules.zone);
      default:
        return t;
    }
  }

  /**
   * A record's value (a SQL row, an API's JSON, a stream message) as the column type wants it: typed values are
   * taken as they are (numbers; true/false or 1/0 for booleans; epoch ms or a Date for date-times; numbers and
   * booleans as text for categories) and strings are read as field text.
   */
  value(type: ColumnType, v: unknown): number | string | null | undefined {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') return this.text(type, v);
    return this.typed(type, v);
  }

  /**
   * A value of a typed request (the server's JSON contract): numbers for numeric fields, true / false for booleans,
   * text for categories, text or epoch ms for date-times — and, in any field, a missing marker's text for missing,
   * as the same row's field in the training file would have been read.
   */
  requestValue(type: ColumnType, v: unknown): number | string | null | undefined {
    if (v === null) return null;
    if (typeof v === 'string') {
      const t = trimText(v);
      if (this.missing.has(t)) return null;
      if (type === 'categorical') return t;
      if (type === 'datetime') return parseDateText(t, this.rules.zone);
      return undefined;
    }
    if (type === 'boolean') return v === true ? 1 : v === false ? 0 : undefined;
    if (type === 'categorical' || typeof v !== 'number') return undefined;
    return Number.isFinite(v) ? v : undefined;
  }

  private typed(type: ColumnType, v: unknown): number | string | null | undefined {
    switch (type) {
      case 'numeric':
        if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
        if (typeof v === 'bigint') return Number(v);
        return undefined;
      case 'boolean':
        if (v === true || v === 1) return 1;
        if (v === false || v === 0) return 0;
        return undefined;
      case 'datetime':
        if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.getTime() : undefined;
        if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
        return undefined;
      default:
        if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
        if (v instanceof Date) return v.toISOString();
        return undefined;
    }
  }
}
