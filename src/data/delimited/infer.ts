// Column types from values: the sample's verdict before the parse, and the verdict once every value is in.

import type { ColumnType } from '../frame.ts';
import { parseBoolean, parseDateText, parseNumberText } from './values.ts';

/** The type of a column from its sampled values: the one that at least `threshold` of the present values take. */
export function inferType(
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
export function settleCategorical(
  codes: Int32Array,
  levels: string[],
  isMissing: (t: string) => boolean,
  threshold: number,
): ColumnType {
  const counts = new Float64Array(levels.length);
  for (const k of codes) if (k >= 0) counts[k]++;
  let present = 0;
  let nums = 0;
  let dates = 0;
  let bools = 0;
  levels.forEach((lv, k) => {
    const t = lv.trim();
    if (isMissing(t) || counts[k] === 0) return;
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
