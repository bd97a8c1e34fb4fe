// Field values straight from the bytes: numbers (an exact fast path, the general parser as fallback) without making a
// string for every numeric field; the rules for text (markers, booleans, date-times) are the value layer's (../values.ts).

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

export { makeMissingTest, parseBoolean, parseDateText, parseNumberText } from '../values.ts';
