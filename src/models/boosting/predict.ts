// Inference of gradient-boosted trees from state alone: walk each tree on raw feature values.

import type { Matrix, ModelOutput } from '../../estimator/index.ts';
import { compileTrees } from './compile.ts';
import { wasmRawScores } from './compile-wasm.ts';
import type { BoostingState } from './state.ts';

interface Prepared {
  /** absolute child indices: no per-step offset arithmetic in the hot loop */
  left: Int32Array;
  right: Int32Array;
}

const prepared = new WeakMap<BoostingState, Prepared>();

function prepare(state: BoostingState): Prepared {
  let p = prepared.get(state);
  if (!p) {
    const left = new Int32Array(state.left.length);
    const right = new Int32Array(state.right.length);
    for (let t = 0; t < state.nTrees; t++) {
      const off = state.treeOffsets[t];
      for (let j = off; j < state.treeOffsets[t + 1]; j++) {
        left[j] = off + state.left[j];
        right[j] = off + state.right[j];
      }
    }
    p = { left, right };
    prepared.set(state, p);
  }
  return p;
}

/**
 * Raw additive scores, rows × treesPerRound. Trees are walked one at a time over all rows (the tree stays in cache);
 * each row still adds its trees in order, so the sums are the same as walking row by row.
 */
export function rawScores(state: BoostingState, X: Matrix): Float64Array {
  const T = state.treesPerRound;
  const p = state.features;
  const n = X.rows;
  const data = X.data;
  const { feature, threshold, missingLeft, value, treeOffsets } = state;
  const { left, right } = prepare(state);
  const out = new Float64Array(n * T);
  for (let i = 0; i < n; i++) for (let k = 0; k < T; k++) out[i * T + k] = state.baseScore[k];
  for (let t = 0; t < state.nTrees; t++) {
    const root = treeOffsets[t];
    const k = t % T;
    for (let i = 0; i < n; i++) {
      const base = i * p;
      let node = root;
      let f = feature[node];
      while (f >= 0) {
        const v = data[base + f];
        // NaN fails every comparison: it takes the learned direction for missing values
        node =
          v <= threshold[node]
            ? left[node]
            : !Number.isNaN(v) || missingLeft[node] === 0
              ? right[node]
              : left[node];
        f = feature[node];
      }
      out[i * T + k] += value[node];
    }
  }
  return out;
}

/** Raw scores through the compiled trees (same sums, same order as rawScores). */
export function compiledRawScores(state: BoostingState, X: Matrix): Float64Array {
  const T = state.treesPerRound;
  const out = new Float64Array(X.rows * T);
  for (let i = 0; i < X.rows; i++) for (let k = 0; k < T; k++) out[i * T + k] = state.baseScore[k];
  compileTrees(state)(X.data, X.rows, X.cols, out);
  return out;
}

/** Raw scores through trees compiled to WebAssembly (same sums, same order); null where that is unavailable. */
export function wasmCompiledRawScores(state: BoostingState, X: Matrix): Float64Array | null {
  const T = state.treesPerRound;
  const out = new Float64Array(X.rows * T);
  for (let i = 0; i < X.rows; i++) for (let k = 0; k < T; k++) out[i * T + k] = state.baseScore[k];
  return wasmRawScores(state, X.data, X.rows, X.cols, out) ? out : null;
}

/** Below this many rows the array walker is faster than the compiled trees (measured in a loaded server). */
const COMPILED_MIN_ROWS = 16;
/** From this many rows the WebAssembly trees pay for copying the batch into their memory. */
const WASM_MIN_ROWS = 4096;

export function predictBoosting(state: BoostingState, X: Matrix): ModelOutput {
  const raw =
    (X.rows >= WASM_MIN_ROWS ? wasmCompiledRawScores(state, X) : null) ??
    (X.rows >= COMPILED_MIN_ROWS ? compiledRawScores(state, X) : rawScores(state, X));
  if (state.task === 'regression') {
    if (state.objective === 'poisson') for (let i = 0; i < raw.length; i++) raw[i] = Math.exp(raw[i]);
    return { kind: 'values', values: raw };
  }
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
