// Inference of k-nearest neighbours: a KD-tree (built once per state, cached) or brute force finds the k nearest
// training rows by Euclidean distance; votes (or the mean) are uniform or weighted by inverse distance.

import { type Matrix, type ModelOutput, type Predictor, predictorOf } from '../../estimator/index.ts';
import type { KnnState } from './state.ts';

interface KdTree {
  perm: Int32Array;
  /** per node: split dimension (-1 for a leaf), split value, children, row range */
  dim: Int32Array;
  value: Float64Array;
  left: Int32Array;
  right: Int32Array;
  start: Int32Array;
  end: Int32Array;
}

const trees = new WeakMap<KnnState, KdTree>();

function buildTree(s: KnnState): KdTree {
  const n = s.rows;
  const d = s.features;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  const dim: number[] = [];
  const value: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const build = (lo: number, hi: number): number => {
    const node = dim.length;
    dim.push(-1);
    value.push(0);
    left.push(-1);
    right.push(-1);
    start.push(lo);
    end.push(hi);
    if (hi - lo <= s.leafSize) return node;
    // split on the dimension of widest spread, at the median
    let best = 0;
    let spread = -1;
    for (let j = 0; j < d; j++) {
      let mn = Number.POSITIVE_INFINITY;
      let mx = Number.NEGATIVE_INFINITY;
      for (let r = lo; r < hi; r++) {
        const v = s.X[perm[r] * d + j];
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      if (mx - mn > spread) {
        spread = mx - mn;
        best = j;
      }
    }
    if (spread <= 0) return node;
    const slice = Array.from(perm.subarray(lo, hi)).sort((a, b) => s.X[a * d + best] - s.X[b * d + best]);
    perm.set(slice, lo);
    const mid = (lo + hi) >> 1;
    dim[node] = best;
    value[node] = s.X[perm[mid] * d + best];
    left[node] = build(lo, mid);
    right[node] = build(mid, hi);
    return node;
  };
  build(0, n);
  return {
    perm,
    dim: Int32Array.from(dim),
    value: Float64Array.from(value),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    start: Int32Array.from(start),
    end: Int32Array.from(end),
  };
}

/** The k nearest training rows of query q: indices and squared distances, nearest first. */
function nearest(s: KnnState, q: Float64Array, useTree: boolean): { idx: Int32Array; d2: Float64Array } {
  const k = s.k;
  const d = s.features;
  const idx = new Int32Array(k).fill(-1);
  const d2 = new Float64Array(k).fill(Number.POSITIVE_INFINITY);
  // sorted insertion (k is small); ties keep the earlier training row first
  const offer = (row: number) => {
    let dist = 0;
    for (let j = 0; j < d; j++) {
      const diff = s.X[row * d + j] - q[j];
      dist += diff * diff;
    }
    if (dist > d2[k - 1] || (dist === d2[k - 1] && idx[k - 1] >= 0 && row > idx[k - 1])) return;
    let p = k - 1;
    while (p > 0 && (d2[p - 1] > dist || (d2[p - 1] === dist && idx[p - 1] > row))) {
      d2[p] = d2[p - 1];
      idx[p] = idx[p - 1];
      p--;
    }
    d2[p] = dist;
    idx[p] = row;
  };
  if (!useTree) {
    for (let r = 0; r < s.rows; r++) offer(r);
    return { idx, d2 };
  }
  let t = trees.get(s);
  if (!t) trees.set(s, (t = buildTree(s)));
  const tree = t;
  const visit = (node: number) => {
    const dm = tree.dim[node];
    if (dm < 0) {
      for (let r = tree.start[node]; r < tree.end[node]; r++) offer(tree.perm[r]);
      return;
    }
    const diff = q[dm] - tree.value[node];
    const [near, far] = diff < 0 ? [tree.left[node], tree.right[node]] : [tree.right[node], tree.left[node]];
    visit(near);
    if (diff * diff <= d2[k - 1]) visit(far);
  };
  visit(0);
  return { idx, d2 };
}

export function predictKnn(s: KnnState, X: Matrix): ModelOutput {
  const useTree =
    s.algorithm === 'kd_tree' || (s.algorithm === 'auto' && s.features <= 15 && s.rows > 2 * s.leafSize);
  const q = new Float64Array(s.features);
  const K = s.classes;
  const out = new Float64Array(X.rows * (s.task === 'regression' ? 1 : K));
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < s.features; j++) q[j] = X.data[i * s.features + j];
    const { idx, d2 } = nearest(s, q, useTree);
    // inverse-distance weights; exact matches (distance 0) take all the weight, as in scikit-learn
    const exact = s.weights === 'distance' && d2[0] === 0;
    const weight = (m: number) =>
      s.w[idx[m]] * (s.weights === 'uniform' ? 1 : exact ? (d2[m] === 0 ? 1 : 0) : 1 / Math.sqrt(d2[m]));
    let total = 0;
    if (s.task === 'regression') {
      let acc = 0;
      for (let m = 0; m < s.k; m++) {
        const wm = weight(m);
        acc += wm * s.y[idx[m]];
        total += wm;
      }
      out[i] = acc / total;
    } else {
      for (let m = 0; m < s.k; m++) {
        const wm = weight(m);
        out[i * K + s.y[idx[m]]] += wm;
        total += wm;
      }
      for (let c = 0; c < K; c++) out[i * K + c] /= total;
    }
  }
  return s.task === 'regression'
    ? { kind: 'values', values: out }
    : { kind: 'probabilities', classes: K, values: out };
}

/** The kinds this folder scores, for the predictor table (models/inference.ts); family.ts describes each kind. */
export const PREDICTORS: Readonly<Record<string, Predictor>> = {
  knn: predictorOf(predictKnn),
};
