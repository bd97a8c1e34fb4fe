// A feature's bin edges from its sampled values: the quantile cuts of a sorted sample, found without sorting all of it.

import type { FeatureArray } from '../../estimator/index.ts';

/** Buckets a sample is counted into, linear in value between its least and greatest values. */
const BUCKETS = 1 << 16;

/** Upper bin edges from sorted values: midpoints between distinct values, cut at quantiles when there are many. */
export function featureEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const m = sorted.length;
  if (m === 0) return Float64Array.of(Number.POSITIVE_INFINITY);
  let distinct = 1;
  for (let i = 1; i < m; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  const cuts: number[] = [];
  if (distinct <= maxBins) {
    for (let i = 1; i < m; i++)
      if (sorted[i] !== sorted[i - 1]) cuts.push(midpoint(sorted[i - 1], sorted[i]));
  } else {
    // walk the runs of equal values; cut after a run once the cumulative count passes the next quantile
    const walk = new QuantileWalk(m, maxBins);
    let i = 0;
    while (i < m && !walk.done) {
      let j = i + 1;
      while (j < m && sorted[j] === sorted[i]) j++;
      if (j >= m) break;
      if (walk.cutsAt(j)) walk.cut(j, sorted[i], sorted[j]);
      i = j;
    }
    cuts.push(...walk.cuts);
  }
  cuts.push(Number.POSITIVE_INFINITY);
  return Float64Array.from(cuts);
}

/** The quantile cuts as runs of equal values end, in ascending order: shared by the sorted walk and the bucketed one. */
class QuantileWalk {
  readonly cuts: number[] = [];
  private next = 1;
  constructor(
    private readonly m: number,
    private readonly maxBins: number,
  ) {}

  get done(): boolean {
    return this.cuts.length >= this.maxBins - 1;
  }

  /** Whether a run ending at sorted position j (exclusive) is cut after. */
  cutsAt(j: number): boolean {
    return j >= (this.next * this.m) / this.maxBins;
  }

  /** Cuts after a run of `value` ending at position j, before `following` (the value at j). */
  cut(j: number, value: number, following: number): void {
    this.cuts.push(midpoint(value, following));
    while (this.next * this.m <= j * this.maxBins) this.next++;
  }
}

function midpoint(a: number, b: number): number {
  const mid = a + (b - a) / 2;
  return mid < b ? mid : a;
}

/** Reusable buffers of quantileEdges (a sample's worth of values; counts per bucket). */
export interface EdgeScratch {
  values: Float64Array;
  counts: Int32Array;
  starts: Int32Array;
  flagged: Uint8Array;
}

export function edgeScratch(m: number): EdgeScratch {
  return {
    values: new Float64Array(m),
    counts: new Int32Array(BUCKETS),
    starts: new Int32Array(BUCKETS + 1),
    flagged: new Uint8Array(BUCKETS),
  };
}

/**
 * featureEdges(the values sorted) — the same edges, bit for bit — with only the values near each quantile sorted:
 * the values are counted into buckets linear in value (a bucket's place in sorted order is then known), and only the
 * buckets where a quantile falls, with the bucket after each, are gathered and sorted. A run of equal values lies in
 * one bucket, and a run that ends short of the next quantile makes no cut, so the buckets passed over hold no cut.
 * For 28 features of 200,000 values, ~0.12 s here against ~0.55 s for sorting them. `values` (no NaN) may be sorted in
 * place (where a full sort is needed).
 */
export function quantileEdges(
  values: FeatureArray,
  maxBins: number,
  scratch: EdgeScratch,
  sort: (a: Float64Array) => Float64Array,
): Float64Array {
  const m = values.length;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < m; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // a sample of one value (or of none), or with an infinite value (its distance to the rest is no scale)
  // (float32 samples are widened for a full sort: the same values)
  const sorted = () => sort(values instanceof Float64Array ? values : Float64Array.from(values));
  if (!(hi > lo) || !Number.isFinite(hi - lo)) return featureEdges(sorted(), maxBins);
  const { counts, starts, flagged } = scratch;
  // each step of (v - lo) * scale is rounded monotonically, so buckets keep the values' order
  const scale = (BUCKETS - 1) / (hi - lo);
  if (!Number.isFinite(scale)) return featureEdges(sorted(), maxBins);
  // a value's bucket: (v - lo) * scale is at most BUCKETS - 1 give or take its rounding; | 0 truncates it as floor
  // would (it is not negative) and the last bucket takes the rounding's overshoot (written out in both loops below:
  // a closure over lo took ~50 % longer)
  counts.fill(0);
  for (let i = 0; i < m; i++) {
    const c = ((values[i] - lo) * scale) | 0;
    counts[c < BUCKETS ? c : BUCKETS - 1]++;
  }
  let used = 0;
  for (let b = 0; b < BUCKETS; b++) {
    starts[b + 1] = starts[b] + counts[b];
    if (counts[b] > 0) used++;
  }
  // few buckets in use: perhaps few distinct values, which take every midpoint — sort them all
  if (used <= maxBins) return featureEdges(sorted(), maxBins);
  // the buckets holding a quantile position, and the next bucket in use after each (its least value may be a cut's
  // right side)
  flagged.fill(0);
  let b = 0;
  let after = 0;
  for (let k = 1; k < maxBins; k++) {
    const q = (k * m) / maxBins;
    while (starts[b + 1] < q) b++;
    flagged[b] = 1;
    // (the scans for the next bucket in use cover disjoint ranges: each starts past the bucket the last one found)
    if (after <= b) {
      after = b + 1;
      while (after < BUCKETS && counts[after] === 0) after++;
      if (after < BUCKETS) flagged[after] = 1;
    }
  }
  // gather the flagged buckets' values, each bucket's at its own place in `gathered`
  const gathered = scratch.values;
  const place = counts; // reused: the next free place of each flagged bucket
  let total = 0;
  for (let c = 0; c < BUCKETS; c++) {
    const size = starts[c + 1] - starts[c];
    place[c] = total;
    if (flagged[c]) total += size;
  }
  for (let i = 0; i < m; i++) {
    const v = values[i];
    const c0 = ((v - lo) * scale) | 0;
    const c = c0 < BUCKETS ? c0 : BUCKETS - 1;
    if (flagged[c]) gathered[place[c]++] = v;
  }
  const walk = new QuantileWalk(m, maxBins);
  const first = (c: number) => place[c] - (starts[c + 1] - starts[c]);
  for (let c = 0; c < BUCKETS && !walk.done; c++) {
    const size = starts[c + 1] - starts[c];
    if (!flagged[c] || size === 0) continue;
    const run = sort(gathered.subarray(first(c), place[c]));
    const base = starts[c];
    let i = 0;
    while (i < size && !walk.done) {
      let j = i + 1;
      while (j < size && run[j] === run[i]) j++;
      const end = base + j;
      if (end >= m) break;
      if (walk.cutsAt(end)) {
        // a cut at its bucket's end: the bucket holds a quantile, so the next bucket in use was flagged and gathered
        // (and, coming later, is not sorted yet: its least value is found by a scan)
        let following: number;
        if (j < size) following = run[j];
        else {
          let d = c + 1;
          while (starts[d + 1] === starts[d]) d++;
          following = gathered[first(d)];
          for (let k = first(d) + 1; k < place[d]; k++) if (gathered[k] < following) following = gathered[k];
        }
        walk.cut(end, run[i], following);
      }
      i = j;
    }
  }
  walk.cuts.push(Number.POSITIVE_INFINITY);
  return Float64Array.from(walk.cuts);
}
