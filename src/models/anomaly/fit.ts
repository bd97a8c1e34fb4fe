// Training of the isolation forest: each tree isolates a random sample of rows with random features and random split
// values, to a depth of ceil(log2 ψ).

import { createRng } from '../../core/index.ts';
import { type Matrix, requireFinite } from '../../estimator/index.ts';
import type { IsolationForestState } from './state.ts';

export function fitIsolationForest(
  X: Matrix,
  p: { n_estimators: number; max_samples: number; seed: number },
): IsolationForestState {
  const { rows: n, cols: d, data } = X;
  requireFinite(data, d, 'isolation forests');
  const rng = createRng(p.seed);
  const psi = Math.min(p.max_samples, n);
  const limit = Math.ceil(Math.log2(Math.max(psi, 2)));
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const size: number[] = [];
  const treeOffsets = [0];
  for (let t = 0; t < p.n_estimators; t++) {
    const rows = Array.from({ length: n }, (_, i) => i);
    for (let j = 0; j < psi; j++) {
      const k = j + rng.int(n - j);
      [rows[j], rows[k]] = [rows[k], rows[j]];
    }
    const base = feature.length;
    const grow = (subset: number[], depth: number): number => {
      const node = feature.length - base;
      feature.push(-1);
      threshold.push(0);
      left.push(-1);
      right.push(-1);
      size.push(subset.length);
      if (depth >= limit || subset.length <= 1) return node;
      const f = rng.int(d);
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const r of subset) {
        lo = Math.min(lo, data[r * d + f]);
        hi = Math.max(hi, data[r * d + f]);
      }
      if (!(hi > lo)) return node;
      const cut = lo + rng.next() * (hi - lo);
      const l = subset.filter((r) => data[r * d + f] < cut);
      const rr = subset.filter((r) => data[r * d + f] >= cut);
      feature[base + node] = f;
      threshold[base + node] = cut;
      left[base + node] = grow(l, depth + 1);
      right[base + node] = grow(rr, depth + 1);
      return node;
    };
    grow(rows.slice(0, psi), 0);
    treeOffsets.push(feature.length);
  }
  return {
    features: d,
    nTrees: p.n_estimators,
    sampleSize: psi,
    treeOffsets: Int32Array.from(treeOffsets),
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    size: Int32Array.from(size),
  };
}
