// Quantile histogram bins: per feature up to maxBins value bins (upper edges, last = +Inf) plus one missing bin.

import type { Matrix } from '../../estimator/index.ts';

export interface Binned {
  /** row-major rows × features bin indices; the missing bin of feature f is nBins[f] */
  bins: Uint8Array;
  /** value bins per feature */
  nBins: Int32Array;
  /** upper edges per feature: value v falls in the first bin b with v <= edges[b] */
  edges: Float64Array[];
  /** start of each feature's bins in a histogram (value bins + missing bin) */
  offsets: Int32Array;
  totalBins: number;
}

const SAMPLE_ROWS = 200_000;

export function binMatrix(X: Matrix, maxBins: number): Binned {
  const { rows: n, cols: p, data } = X;
  const stride = n > SAMPLE_ROWS ? n / SAMPLE_ROWS : 1;
  const edges: Float64Array[] = [];
  const nBins = new Int32Array(p);
  const offsets = new Int32Array(p + 1);
  const sample = new Float64Array(Math.min(n, SAMPLE_ROWS));
  for (let f = 0; f < p; f++) {
    let m = 0;
    for (let s = 0; s < sample.length; s++) {
      const v = data[Math.floor(s * stride) * p + f];
      if (!Number.isNaN(v)) sample[m++] = v;
    }
    const e = featureEdges(sample.subarray(0, m).sort(), maxBins);
    edges.push(e);
    nBins[f] = e.length;
    offsets[f + 1] = offsets[f] + e.length + 1;
  }
  const bins = new Uint8Array(n * p);
  for (let f = 0; f < p; f++) {
    const e = edges[f];
    const missing = nBins[f];
    for (let i = 0; i < n; i++) {
      const v = data[i * p + f];
      bins[i * p + f] = Number.isNaN(v) ? missing : binOf(e, v);
    }
  }
  return { bins, nBins, edges, offsets, totalBins: offsets[p] };
}

/** Upper bin edges from sorted values: midpoints between distinct values, cut at quantiles when there are many. */
function featureEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const m = sorted.length;
  if (m === 0) return Float64Array.of(Number.POSITIVE_INFINITY);
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < m; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) {
      distinct.push(sorted[i]);
      counts.push(1);
    } else counts[counts.length - 1]++;
  }
  const cuts: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i < distinct.length - 1; i++) cuts.push(midpoint(distinct[i], distinct[i + 1]));
  } else {
    let cum = 0;
    let next = 1;
    for (let i = 0; i < distinct.length - 1 && cuts.length < maxBins - 1; i++) {
      cum += counts[i];
      if (cum >= (next * m) / maxBins) {
        cuts.push(midpoint(distinct[i], distinct[i + 1]));
        while (next * m <= cum * maxBins) next++;
      }
    }
  }
  cuts.push(Number.POSITIVE_INFINITY);
  return Float64Array.from(cuts);
}

function midpoint(a: number, b: number): number {
  const mid = a + (b - a) / 2;
  return mid < b ? mid : a;
}

/** First bin whose upper edge is >= v (binary search). */
export function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
