// Inference of gradient-boosted trees from state alone: walk each tree on raw feature values.

import type { Matrix, ModelOutput } from '../../estimator/index.ts';
import type { BoostingState } from './state.ts';

/** Raw additive scores, rows × treesPerRound. */
export function rawScores(state: BoostingState, X: Matrix): Float64Array {
  const T = state.treesPerRound;
  const p = state.features;
  const { feature, threshold, left, right, missingLeft, value, treeOffsets } = state;
  const out = new Float64Array(X.rows * T);
  for (let i = 0; i < X.rows; i++) {
    const base = i * p;
    for (let k = 0; k < T; k++) out[i * T + k] = state.baseScore[k];
    for (let t = 0; t < state.nTrees; t++) {
      const off = treeOffsets[t];
      let node = 0;
      for (;;) {
        const f = feature[off + node];
        if (f < 0) break;
        const v = X.data[base + f];
        if (Number.isNaN(v)) node = missingLeft[off + node] ? left[off + node] : right[off + node];
        else node = v <= threshold[off + node] ? left[off + node] : right[off + node];
      }
      out[i * T + (t % T)] += value[off + node];
    }
  }
  return out;
}

export function predictBoosting(state: BoostingState, X: Matrix): ModelOutput {
  const raw = rawScores(state, X);
  if (state.task === 'regression') return { kind: 'values', values: raw };
  if (state.task === 'binary') {
    const out = new Float64Array(X.rows * 2);
    for (let i = 0; i < X.rows; i++) {
      const z = raw[i];
      const p1 = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      out[2 * i] = 1 - p1;
      out[2 * i + 1] = p1;
    }
    return { kind: 'probabilities', classes: 2, values: out };
  }
  const K = state.classes;
  softmaxRows(raw, X.rows, K);
  return { kind: 'probabilities', classes: K, values: raw };
}

/** In-place softmax over each row of a rows × K matrix. */
export function softmaxRows(m: Float64Array, rows: number, K: number): void {
  for (let i = 0; i < rows; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) max = Math.max(max, m[i * K + k]);
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(m[i * K + k] - max);
      m[i * K + k] = e;
      sum += e;
    }
    for (let k = 0; k < K; k++) m[i * K + k] /= sum;
  }
}
