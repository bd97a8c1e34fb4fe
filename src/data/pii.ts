// Personal data in columns: detectors for e-mail addresses, phone numbers, card numbers (Luhn), IBANs (mod 97), IP
// addresses and names in free text, and the policy a schema declares per column — drop, mask, hash (keyed:
// HMAC-SHA256 with KEEL_PII_KEY, so equal values stay equal and joins still work) or keep — applied at ingest.

import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { KeelError } from '../core/index.ts';
import { DataErrors } from './errors.ts';
import { type CategoricalColumn, type Column, Frame } from './frame.ts';

export type PiiKind = 'email' | 'phone' | 'card' | 'iban' | 'ip' | 'name';
export type PiiPolicy = 'drop' | 'mask' | 'hash' | 'keep';
export const PII_POLICIES: readonly PiiPolicy[] = ['drop', 'mask', 'hash', 'keep'];

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function ibanValid(s: string): boolean {
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

const EMAIL = /^[^\s@<>()[\],;:"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const PHONE = /^\+?[\d\s().-]{7,22}$/;
const CARD = /^[\d\s-]{13,23}$/;
const IBAN = /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/;
/** dates and times look like phone numbers to a pattern: 2024-01-31, 31/01/2024, 12:30 */
const DATE_LIKE = /^\d{4}-\d{1,2}-\d{1,2}|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$|:\d{2}/;
const NAME_IN_TEXT = /\b(Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Madam)\.?\s+[A-Z][a-z]+(\s+[A-Z][a-z]+)?\b/;

/** Each detector, declared once: what a value of its kind looks like. */
export const PII_DETECTORS: readonly { kind: PiiKind; test: (v: string) => boolean; minShare: number }[] = [
  { kind: 'email', test: (v) => EMAIL.test(v), minShare: 0.5 },
  {
    kind: 'card',
    test: (v) => {
      if (!CARD.test(v)) return false;
      const d = v.replace(/[\s-]/g, '');
      return d.length >= 13 && d.length <= 19 && luhn(d);
    },
    minShare: 0.5,
  },
  {
    kind: 'iban',
    test: (v) => {
      const s = v.replace(/\s/g, '').toUpperCase();
      return IBAN.test(s) && ibanValid(s);
    },
    minShare: 0.5,
  },
  { kind: 'ip', test: (v) => isIP(v) !== 0, minShare: 0.5 },
  {
    kind: 'phone',
    test: (v) => {
      if (!PHONE.test(v) || DATE_LIKE.test(v) || !/[\s()+-]/.test(v)) return false;
      const digits = v.replace(/\D/g, '');
      // a phone number has separators or a leading + (a bare run of digits is more likely an id or an amount)
      return digits.length >= 7 && digits.length <= 15 && /[\s().+-]/.test(v);
    },
    minShare: 0.5,
  },
  // names are found inside free text, so a smaller share of values is enough
  { kind: 'name', test: (v) => NAME_IN_TEXT.test(v), minShare: 0.1 },
];

/** The personal kind most of these values are (checked on at most 1,000 of them), or null. */
export function detectPii(values: readonly string[]): { kind: PiiKind; share: number } | null {
  const sample = values.filter((v) => v !== '').slice(0, 1000);
  if (sample.length === 0) return null;
  let best: { kind: PiiKind; share: number } | null = null;
  for (const d of PII_DETECTORS) {
    let hits = 0;
    for (const v of sample) if (d.test(v)) hits++;
    const share = hits / sample.length;
    if (share >= d.minShare && (!best || share > best.share)) best = { kind: d.kind, share };
  }
  return best;
}

/** A categorical column's personal kind, judged on its distinct values. */
export function columnPii(c: Column): { kind: PiiKind; share: number } | null {
  return c.type === 'categorical' ? detectPii(c.levels) : null;
}

function masked(v: string): string {
  if (v.length <= 4) return '***';
  return `${'*'.repeat(Math.min(8, v.length - 2))}${v.slice(-2)}`;
}

/**
 * Apply each column's policy: drop it, mask or hash its values (categorical columns: the levels are rewritten, so
 * this costs one pass over the distinct values), or keep it. Hashing needs a key (KEEL_PII_KEY, 16 bytes or more).
 */
export function applyPiiPolicies(
  frame: Frame,
  policies: Readonly<Record<string, PiiPolicy>>,
  key: string | undefined = process.env.KEEL_PII_KEY,
): { frame: Frame; applied: { column: string; policy: PiiPolicy }[] } {
  const applied: { column: string; policy: PiiPolicy }[] = [];
  const drop: string[] = [];
  const columns: Column[] = [];
  for (const c of frame.columns) {
    const policy = policies[c.name] ?? 'keep';
    if (!PII_POLICIES.includes(policy))
      throw new KeelError(
        DataErrors.SOURCE_CONFIG,
        `column ${c.name}: pii policy must be one of ${PII_POLICIES.join(', ')}`,
      );
    if (policy === 'keep') {
      columns.push(c);
      continue;
    }
    applied.push({ column: c.name, policy });
    if (policy === 'drop') {
      drop.push(c.name);
      continue;
    }
    if (c.type !== 'categorical')
      throw new KeelError(
        DataErrors.SOURCE_CONFIG,
        `column ${c.name}: ${policy} applies to text columns; drop a ${c.type} one`,
      );
    if (policy === 'hash' && (!key || key.length < 16))
      throw new KeelError(
        DataErrors.SOURCE_CONFIG,
        `column ${c.name}: hashing personal data needs a key of 16 characters or more in KEEL_PII_KEY`,
      );
    const rewrite = (v: string) =>
      policy === 'mask'
        ? masked(v)
        : createHmac('sha256', key as string)
            .update(v)
            .digest('hex')
            .slice(0, 24);
    columns.push(relevel(c, rewrite));
  }
  return { frame: new Frame(columns.filter((c) => !drop.includes(c.name))), applied };
}

/** The column with its levels rewritten; levels that become equal (masking) are merged. */
function relevel(c: CategoricalColumn, f: (v: string) => string): CategoricalColumn {
  const index = new Map<string, number>();
  const levels: string[] = [];
  const map = new Int32Array(c.levels.length);
  c.levels.forEach((v, i) => {
    const w = f(v);
    let j = index.get(w);
    if (j === undefined) {
      j = levels.length;
      levels.push(w);
      index.set(w, j);
    }
    map[i] = j;
  });
  const codes = new Int32Array(c.codes.length);
  for (let i = 0; i < codes.length; i++) codes[i] = c.codes[i] < 0 ? c.codes[i] : map[c.codes[i]];
  return { name: c.name, type: 'categorical', codes, levels };
}
