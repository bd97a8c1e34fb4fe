// The quality profile: the per-column statistics of profileFrame plus histograms, outliers (IQR fences and robust
// z-scores), duplicate rows and each column's association with the target.

import { median, sortedFinite } from '../../core/index.ts';
import type { Column, Frame } from '../frame.ts';
import { type ColumnProfile, profileFrame } from '../profile.ts';

export interface Histogram {
  /** bin edges (numeric: bins + 1 edges) */
  edges?: number[];
  /** numeric: count per bin; categorical: count per top value */
  counts: number[];
  labels?: string[];
}

export interface DatasetColumnProfile extends ColumnProfile {
  histogram: Histogram;
  /** numeric columns: values outside the 1.5·IQR fences, and with |robust z| > 3.5 */
  outliers?: { iqr: number; robustZ: number; lowFence: number; highFence: number };
  /** association with the target: |Pearson r| for numbers, the correlation ratio η for categories */
  target?: { method: 'pearson' | 'eta'; value: number };
}

export interface DatasetProfile {
  rows: number;
  duplicateRows: number;
  target?: string;
  columns: DatasetColumnProfile[];
}

export interface ProfileOptions {
  target?: string;
  bins?: number;
  topK?: number;
}

/** The target as numbers: a numeric target as is, a categorical one as 1 for its minority level (binary) or codes. */
function targetValues(c: Column): Float64Array {
  if (c.type !== 'categorical') return c.values;
  const counts = new Float64Array(c.levels.length);
  for (const k of c.codes) if (k >= 0) counts[k]++;
  const used = [...counts.keys()].filter((k) => counts[k] > 0);
  const positive = used.length === 2 ? (counts[used[0]] <= counts[used[1]] ? used[0] : used[1]) : -1;
  return Float64Array.from(c.codes, (k) =>
    k < 0 ? Number.NaN : positive >= 0 ? (k === positive ? 1 : 0) : k,
  );
}

function pearson(x: Float64Array, y: Float64Array): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    n++;
    sx += x[i];
    sy += y[i];
  }
  if (n < 2) return 0;
  const mx = sx / n;
  const my = sy / n;
  let cxy = 0;
  let cxx = 0;
  let cyy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    const dx = x[i] - mx;
    const dy = y[i] - my;
    cxy += dx * dy;
    cxx += dx * dx;
    cyy += dy * dy;
  }
  return cxx === 0 || cyy === 0 ? 0 : cxy / Math.sqrt(cxx * cyy);
}

/** The correlation ratio: how much of the target's variance the categories explain (sqrt of between / total). */
function eta(codes: Int32Array, levels: number, y: Float64Array): number {
  const sum = new Float64Array(levels);
  const cnt = new Float64Array(levels);
  let total = 0;
  let n = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] < 0 || Number.isNaN(y[i])) continue;
    sum[codes[i]] += y[i];
    cnt[codes[i]]++;
    total += y[i];
    n++;
  }
  if (n < 2) return 0;
  const mean = total / n;
  let between = 0;
  for (let k = 0; k < levels; k++) if (cnt[k] > 0) between += cnt[k] * (sum[k] / cnt[k] - mean) ** 2;
  let all = 0;
  for (let i = 0; i < codes.length; i++) {
    if (codes[i] < 0 || Number.isNaN(y[i])) continue;
    all += (y[i] - mean) ** 2;
  }
  return all === 0 ? 0 : Math.sqrt(between / all);
}

function duplicates(frame: Frame): number {
  const seen = new Set<string>();
  let dup = 0;
  const cols = frame.columns;
  for (let i = 0; i < frame.nRows; i++) {
    const key = cols.map((c) => (c.type === 'categorical' ? c.codes[i] : c.values[i])).join('\u0001');
    if (seen.has(key)) dup++;
    else seen.add(key);
  }
  return dup;
}

export function profileDataset(frame: Frame, o: ProfileOptions = {}): DatasetProfile {
  const bins = o.bins ?? 20;
  const base = profileFrame(frame, o.topK ?? 10);
  const y = o.target && frame.has(o.target) ? targetValues(frame.column(o.target)) : undefined;
  const columns = base.columns.map((p, ci): DatasetColumnProfile => {
    const c = frame.columns[ci];
    if (c.type === 'categorical') {
      const out: DatasetColumnProfile = {
        ...p,
        histogram: { counts: (p.top ?? []).map((t) => t.count), labels: (p.top ?? []).map((t) => t.value) },
      };
      if (y && c.name !== o.target) out.target = { method: 'eta', value: eta(c.codes, c.levels.length, y) };
      return out;
    }
    const sorted = sortedFinite(c.values);
    const lo = sorted.length ? sorted[0] : 0;
    const hi = sorted.length ? sorted[sorted.length - 1] : 0;
    const width = hi > lo ? (hi - lo) / bins : 1;
    const counts = new Array(hi > lo ? bins : 1).fill(0);
    for (const v of sorted) counts[Math.min(counts.length - 1, Math.floor((v - lo) / width))]++;
    const edges = counts.map((_, k) => lo + k * width).concat(Math.max(hi, lo));
    const out: DatasetColumnProfile = { ...p, histogram: { edges, counts } };
    if (c.type === 'numeric' && sorted.length > 0) {
      const q1 = p.quantiles?.p25 ?? 0;
      const q3 = p.quantiles?.p75 ?? 0;
      const lowFence = q1 - 1.5 * (q3 - q1);
      const highFence = q3 + 1.5 * (q3 - q1);
      const med = median(sorted);
      const mad = median(sorted.map((v) => Math.abs(v - med)));
      let iqr = 0;
      let robustZ = 0;
      for (const v of sorted) {
        if (v < lowFence || v > highFence) iqr++;
        if (mad > 0 && Math.abs((0.6745 * (v - med)) / mad) > 3.5) robustZ++;
      }
      out.outliers = { iqr, robustZ, lowFence, highFence };
    }
    if (y && c.name !== o.target) out.target = { method: 'pearson', value: Math.abs(pearson(c.values, y)) };
    return out;
  });
  return {
    rows: frame.nRows,
    duplicateRows: duplicates(frame),
    ...(o.target ? { target: o.target } : {}),
    columns,
  };
}
