// Field values straight from the bytes: numbers (an exact fast path, the general parser as fallback), missing
// markers, booleans and the date formats found in real files — without making a string for every numeric field.

const SPACE = 0x20;
const TAB = 0x09;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

// powers of ten that are exact doubles (Clinger's fast path: an integer mantissa < 2^53 times one of these is exact)
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Trims spaces and tabs: returns [start, end). */
export function trimRange(buf: Uint8Array, s: number, e: number): [number, number] {
  while (s < e && (buf[s] === SPACE || buf[s] === TAB)) s++;
  while (e > s && (buf[e - 1] === SPACE || buf[e - 1] === TAB)) e--;
  return [s, e];
}

/**
 * The number in buf[s, e) (already trimmed), or undefined when it is not one. Plain decimals with up to 15 significant
 * digits and a small exponent take the exact fast path; anything else goes through the general parser.
 */
export function parseNumberBytes(buf: Uint8Array, s: number, e: number): number | undefined {
  if (s >= e) return undefined;
  let i = s;
  let neg = false;
  if (buf[i] === MINUS || buf[i] === PLUS) {
    neg = buf[i] === MINUS;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let scale = 0;
  let any = false;
  while (i < e && buf[i] === ZERO) {
    i++;
    any = true;
  }
  while (i < e) {
    const c = buf[i];
    if (c < ZERO || c > NINE) break;
    mant = mant * 10 + (c - ZERO);
    digits++;
    any = true;
    i++;
  }
  if (i < e && buf[i] === DOT) {
    i++;
    while (i < e) {
      const c = buf[i];
      if (c < ZERO || c > NINE) break;
      if (digits > 0 || c !== ZERO) {
        mant = mant * 10 + (c - ZERO);
        digits++;
      }
      scale--;
      any = true;
      i++;
    }
  }
  if (!any) return slow(buf, s, e);
  if (i === e && digits <= 15) {
    const v = scale === 0 ? mant : -scale <= 22 ? mant / POW10[-scale] : Number.NaN;
    if (!Number.isNaN(v)) return neg ? -v : v;
  }
  return slow(buf, s, e);
}

function slow(buf: Uint8Array, s: number, e: number): number | undefined {
  const text = Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1');
  if (!NUMBER_TEXT.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

export function parseNumberText(text: string): number | undefined {
  const t = text.trim();
  if (!NUMBER_TEXT.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/** Whether trimmed text is a missing-value marker. */
export function makeMissingTest(markers: readonly string[]): (text: string) => boolean {
  const set = new Set(markers.map((m) => m.trim()));
  return (t) => set.has(t);
}

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

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // reject dates that roll over (31 February)
  return new Date(t).getUTCDate() === d ? t : undefined;
}

/** Epoch milliseconds (UTC when the text has no zone) or undefined. ISO, M/D/YYYY [H:MM[:SS]], D.M.YYYY, YYYY/MM/DD. */
export function parseDateText(t: string): number | undefined {
  let m = ISO.exec(t);
  if (m) {
    const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
    const base = utc(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), ms);
    if (base === undefined) return undefined;
    if (!m[8] || m[8] === 'Z') return base;
    const sign = m[8][0] === '-' ? -1 : 1;
    const hh = Number(m[8].slice(1, 3));
    const mm = Number(m[8].slice(-2));
    return base - sign * (hh * 60 + mm) * 60_000;
  }
  m = US.exec(t);
  if (m) return utc(+m[3], +m[1], +m[2], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = DOTTED.exec(t);
  if (m) return utc(+m[3], +m[2], +m[1]);
  m = SLASHED_YMD.exec(t);
  if (m) return utc(+m[1], +m[2], +m[3]);
  return undefined;
}
