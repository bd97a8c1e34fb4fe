// Quality profile: per-column type, missingness, distinct count, numeric summary and top categories.

import { moments, quantileSorted, sortedFinite } from '../core/index.ts';
import type { Column, ColumnType, Frame } from './frame.ts';
import { detectPii } from './pii.ts';

export const PROFILE_QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  count: number;
  missing: number;
  missingPct: number;
  distinct: number;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  /** keyed "p01", "p05", "p25", "p50", "p75", "p95", "p99" */
  quantiles?: Record<string, number>;
  top?: { value: string; count: number }[];
  /** the personal data this column looks like (its top values are then not kept) */
  pii?: { kind: string; share: number };
}

export interface FrameProfile {
  rows: number;
  columns: ColumnProfile[];
}

export function profileFrame(frame: Frame, topK = 10): FrameProfile {
  return { rows: frame.nRows, columns: frame.columns.map((c) => profileColumn(c, topK)) };
}

/** One column's profile; `sorted` (its finite values in order) may be passed by a caller that already has it. */
export function profileColumn(c: Column, topK: number, sorted?: Float64Array): ColumnProfile {
  if (c.type === 'categorical') {
    const counts = new Float64Array(c.levels.length);
    let missing = 0;
    for (let i = 0; i < c.codes.length; i++) {
      const code = c.codes[i];
      if (code < 0) missing++;
      else counts[code]++;
    }
    const order = [...counts.keys()].filter((k) => counts[k] > 0).sort((a, b) => counts[b] - counts[a]);
    // a column of personal data keeps no values in its profile (profiles go into runs, reports and artifacts)
    const pii = detectPii(c.levels);
    return {
      name: c.name,
      type: c.type,
      count: c.codes.length - missing,
      missing,
      missingPct: pct(missing, c.codes.length),
      distinct: order.length,
      top: pii ? [] : order.slice(0, topK).map((k) => ({ value: c.levels[k], count: counts[k] })),
      ...(pii ? { pii } : {}),
    };
  }
  sorted ??= sortedFinite(c.values);
  const m = moments(c.values);
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const missing = c.values.length - m.count;
  const quantiles: Record<string, number> = {};
  for (const q of PROFILE_QUANTILES)
    quantiles[`p${String(Math.round(q * 100)).padStart(2, '0')}`] = quantileSorted(sorted, q);
  return {
    name: c.name,
    type: c.type,
    count: m.count,
    missing,
    missingPct: pct(missing, c.values.length),
    distinct,
    min: m.min,
    max: m.max,
    mean: m.mean,
    std: Math.sqrt(m.variance),
    quantiles,
  };
}

function pct(part: number, whole: number): number {
  return whole === 0 ? 0 : (100 * part) / whole;
}
