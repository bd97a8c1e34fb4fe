// Inference of the isolation forest: anomaly score s(x) = 2^(−E[h(x)] / c(ψ)), h the path length with the usual
// correction c(size) at a leaf. Scores near 1 are anomalies, well below 0.5 normal rows.

import type { Matrix } from '../../estimator/index.ts';
import type { IsolationForestState } from './state.ts';

/** Average path length of an unsuccessful search in a binary search tree of n nodes. */
export function averagePath(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + 0.5772156649015329) - (2 * (n - 1)) / n;
}

export function scoreIsolation(s: IsolationForestState, X: Matrix): Float64Array {
  const out = new Float64Array(X.rows);
  const norm = averagePath(s.sampleSize);
  for (let i = 0; i < X.rows; i++) {
    let total = 0;
    for (let t = 0; t < s.nTrees; t++) {
      const off = s.treeOffsets[t];
      let node = off;
      let depth = 0;
      while (s.feature[node] >= 0) {
        node =
          off + (X.data[i * s.features + s.feature[node]] < s.threshold[node] ? s.left[node] : s.right[node]);
        depth++;
      }
      total += depth + averagePath(s.size[node]);
    }
    out[i] = 2 ** (-(total / s.nTrees) / norm);
  }
  return out;
}
