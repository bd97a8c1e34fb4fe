// The quality profile: the per-column statistics of profileFrame plus histograms, outliers (IQR fences and robust
// z-scores), duplicate rows and each column's association with the target.

import { quantileSorted, sortedFinite } from '../../core/index.ts';
import type { Column, Frame } from '../frame.ts';
import { type ColumnProfile, profileColumn } from '../profile.ts';

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
  /** where the table was larger than ProfileOptions.sampleRows: the rows (evenly spread) the statistics come from */
  sampledRows?: number;
  duplicateRows: number;
  target?: string;
  columns: DatasetColumnProfile[];
}

export interface ProfileOptions {
  target?: string;
  /** profile at most this many rows, evenly spread over the table (all rows when absent) */
  sampleRows?: number;
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

/** The median absolute deviation from `med` of sorted values: the deviations are two sorted runs, merged in O(n). */
function madSorted(sorted: Float64Array, med: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  let split = 0;
  while (split < n && sorted[split] < med) split++;
  const dev = new Float64Array(n);
  let i = split - 1; // walks left: med - sorted[i] ascends
  let j = split; // walks right: sorted[j] - med ascends
  for (let k = 0; k < n; k++) {
    const left = i >= 0 ? med - sorted[i] : Number.POSITIVE_INFINITY;
    const right = j < n ? sorted[j] - med : Number.POSITIVE_INFINITY;
    if (left <= right) {
      dev[k] = left;
      i--;
    } else {
      dev[k] = right;
      j++;
    }
  }
  return quantileSorted(dev, 0.5);
}

/** k row indices spread evenly over n rows, first row included. */
function evenlySpread(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor((i * n) / k));
}

/** Rows equal to an earlier row in every column: rows are bucketed by a hash of their values, then compared. */
function duplicates(frame: Frame): number {
  const n = frame.nRows;
  const cols = frame.columns;
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const hash = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5;
    for (const c of cols) {
      if (c.type === 'categorical') h = Math.imul(h ^ (c.codes[i] + 2), 0x01000193);
      else {
        const v = c.values[i];
        bits[0] = Number.isNaN(v) ? Number.NaN : v === 0 ? 0 : v;
        h = Math.imul(h ^ words[0], 0x01000193);
        h = Math.imul(h ^ words[1], 0x01000193);
      }
    }
    hash[i] = h >>> 0;
  }
  const same = (a: number, b: number) =>
    cols.every((c) => {
      if (c.type === 'categorical') return c.codes[a] === c.codes[b];
      const x = c.values[a];
      const y = c.values[b];
      return x === y || (Number.isNaN(x) && Number.isNaN(y));
    });
  const buckets = new Map<number, number[]>();
  let dup = 0;
  for (let i = 0; i < n; i++) {
    const list = buckets.get(hash[i]);
    if (!list) buckets.set(hash[i], [i]);
    else if (list.some((j) => same(i, j))) dup++;
    else list.push(i);
  }
  return dup;
}

export function profileDataset(whole: Frame, o: ProfileOptions = {}): DatasetProfile {
  const sampled = o.sampleRows !== undefined && whole.nRows > o.sampleRows;
  const frame = sampled ? whole.take(evenlySpread(whole.nRows, o.sampleRows as number)) : whole;
  const bins = o.bins ?? 20;
  const y = o.target && frame.has(o.target) ? targetValues(frame.column(o.target)) : undefined;
  const columns = frame.columns.map((c): DatasetColumnProfile => {
    if (c.type === 'categorical') {
      const p = profileColumn(c, o.topK ?? 10);
      const out: DatasetColumnProfile = {
        ...p,
        histogram: { counts: (p.top ?? []).map((t) => t.count), labels: (p.top ?? []).map((t) => t.value) },
      };
      if (y && c.name !== o.target) out.target = { method: 'eta', value: eta(c.codes, c.levels.length, y) };
      return out;
    }
    const sorted = sortedFinite(c.values);
    const p = profileColumn(c, o.topK ?? 10, sorted);
    const lo = sorted.length ? sorted[0] : 0;
    const hi = sorted.length ? sorted[sorted.length - 1] : 0;
    const width = hi > lo ? (hi - lo) / bins : 1;
    const counts = new Array(hi > lo ? bins : 1).fill(0);
    const last = counts.length - 1;
    for (let i = 0; i < sorted.length; i++) counts[Math.min(last, Math.floor((sorted[i] - lo) / width))]++;
    const edges = counts.map((_, k) => lo + k * width).concat(Math.max(hi, lo));
    const out: DatasetColumnProfile = { ...p, histogram: { edges, counts } };
    if (c.type === 'numeric' && sorted.length > 0) {
      const q1 = p.quantiles?.p25 ?? 0;
      const q3 = p.quantiles?.p75 ?? 0;
      const lowFence = q1 - 1.5 * (q3 - q1);
      const highFence = q3 + 1.5 * (q3 - q1);
      const med = quantileSorted(sorted, 0.5);
      const mad = madSorted(sorted, med);
      let iqr = 0;
      let robustZ = 0;
      for (let i = 0; i < sorted.length; i++) {
        const v = sorted[i];
        if (v < lowFence || v > highFence) iqr++;
        if (mad > 0 && Math.abs((0.6745 * (v - med)) / mad) > 3.5) robustZ++;
      }
      out.outliers = { iqr, robustZ, lowFence, highFence };
    }
    if (y && c.name !== o.target) out.target = { method: 'pearson', value: Math.abs(pearson(c.values, y)) };
    return out;
  });
  return {
    rows: whole.nRows,
    ...(sampled ? { sampledRows: frame.nRows } : {}),
    duplicateRows: duplicates(frame),
    ...(o.target ? { target: o.target } : {}),
    columns,
  };
}
