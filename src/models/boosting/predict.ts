// Inference of gradient-boosted trees from state alone: walk each tree on raw feature values.

import { type Matrix, type ModelOutput, type Predictor, predictorOf } from '../../estimator/index.ts';
import { compileTrees } from './compile.ts';
import { wasmRawScores } from './compile-wasm.ts';
import { parallelWasmRawScores } from './predict-threads.ts';
import type { BoostingState } from './state.ts';

/**
 * The trees packed for walking one row at a time: 16 bytes a node in pre-order, so a left child sits right after its
 * parent (often in the same cache line) and a step touches one node instead of five parallel arrays.
 * Per node i: f64[2i] the threshold (a leaf's value for leaves); i32[4i+2] the feature << 1 | missing-goes-left, or
 * -1 for a leaf; i32[4i+3] the right child.
 */
interface Packed {
  f64: Float64Array;
  i32: Int32Array;
  roots: Int32Array;
}

const packed = new WeakMap<BoostingState, Packed>();

function pack(state: BoostingState): Packed {
  let p = packed.get(state);
  if (p) return p;
  const { feature, threshold, missingLeft, value, left, right, treeOffsets } = state;
  const buffer = new ArrayBuffer(feature.length * 16);
  const f64 = new Float64Array(buffer);
  const i32 = new Int32Array(buffer);
  const roots = new Int32Array(state.nTrees);
  let next = 0;
  const stack: number[] = [];
  for (let t = 0; t < state.nTrees; t++) {
    const off = treeOffsets[t];
    roots[t] = next;
    // iterative pre-order; a right child's slot is patched when the child is placed
    const parentOfRight: number[] = [];
    stack.push(0);
    parentOfRight.push(-1);
    while (stack.length > 0) {
      const node = off + (stack.pop() as number);
      const parent = parentOfRight.pop() as number;
      const me = next++;
      if (parent >= 0) i32[4 * parent + 3] = me;
      if (feature[node] < 0) {
        f64[2 * me] = value[node];
        i32[4 * me + 2] = -1;
        continue;
      }
      f64[2 * me] = threshold[node];
      i32[4 * me + 2] = (feature[node] << 1) | (missingLeft[node] ? 1 : 0);
      // the right subtree is placed after the whole left subtree: push it first
      stack.push(right[node]);
      parentOfRight.push(me);
      stack.push(left[node]);
      parentOfRight.push(-1);
    }
  }
  p = { f64, i32, roots };
  packed.set(state, p);
  return p;
}

/**
 * Raw additive scores, rows × treesPerRound, for a few rows (a request): each tree is walked over its packed nodes;
 * each row adds its trees in order, so the sums are the same as the compiled trees' and the WebAssembly trees'.
 */
export function rawScores(state: BoostingState, X: Matrix, into?: Float64Array): Float64Array {
  const T = state.treesPerRound;
  const p = state.features;
  const n = X.rows;
  const data = X.data;
  const { f64, i32, roots } = pack(state);
  const out = into ?? new Float64Array(n * T);
  for (let i = 0; i < n; i++) for (let k = 0; k < T; k++) out[i * T + k] = state.baseScore[k];
  for (let t = 0; t < roots.length; t++) {
    const k = t % T;
    for (let i = 0; i < n; i++) {
      const base = i * p;
      let node = roots[t];
      let fm = i32[4 * node + 2];
      while (fm >= 0) {
        const v = data[base + (fm >> 1)];
        // NaN fails every comparison: it takes the learned direction for missing values
        node = v <= f64[2 * node] || ((fm & 1) === 1 && Number.isNaN(v)) ? node + 1 : i32[4 * node + 3];
        fm = i32[4 * node + 2];
      }
      out[i * T + k] += f64[2 * node];
    }
  }
  return out;
}

/** Raw scores through the compiled trees (same sums, same order as rawScores). */
export function compiledRawScores(state: BoostingState, X: Matrix, into?: Float64Array): Float64Array {
  const T = state.treesPerRound;
  const out = into ?? new Float64Array(X.rows * T);
  for (let i = 0; i < X.rows; i++) for (let k = 0; k < T; k++) out[i * T + k] = state.baseScore[k];
  compileTrees(state)(X.data, X.rows, X.cols, out);
  return out;
}

/**
 * Raw scores through trees compiled to WebAssembly (same sums, same order), on several threads for large batches
 * (`threads`: at most this many; default every core); null where WebAssembly is unavailable.
 */
export function wasmCompiledRawScores(
  state: BoostingState,
  X: Matrix,
  threads?: number,
  into?: Float64Array,
): Float64Array | null {
  const T = state.treesPerRound;
  const out = into ?? new Float64Array(X.rows * T);
  for (let i = 0; i < X.rows; i++) for (let k = 0; k < T; k++) out[i * T + k] = state.baseScore[k];
  if (parallelWasmRawScores(state, X.data, X.rows, X.cols, out, threads)) return out;
  return wasmRawScores(state, X.data, X.rows, X.cols, out) ? out : null;
}

/** Below this many rows the array walker is faster than the compiled trees (measured in a loaded server). */
const COMPILED_MIN_ROWS = 16;
/** From this many rows the WebAssembly trees pay for copying the batch into their memory. */
const WASM_MIN_ROWS = 4096;

export function predictBoosting(state: BoostingState, X: Matrix): ModelOutput {
  const n = X.rows;
  // a binary model's raw scores go in the second half of its probability pairs, which are then written over them
  // front to back (pair i ends at 2i + 1 <= n + i, so no score is overwritten before it is read): one array, not two
  const binary = state.task === 'binary';
  const out = binary ? new Float64Array(2 * n) : undefined;
  const into = out?.subarray(n);
  const raw =
    (n >= WASM_MIN_ROWS ? wasmCompiledRawScores(state, X, undefined, into) : null) ??
    (n >= COMPILED_MIN_ROWS ? compiledRawScores(state, X, into) : rawScores(state, X, into));
  if (state.task === 'regression') {
    if (state.objective === 'poisson') for (let i = 0; i < raw.length; i++) raw[i] = Math.exp(raw[i]);
    return { kind: 'values', values: raw };
  }
  if (binary && out) {
    for (let i = 0; i < n; i++) {
      const z = raw[i];
      // one exp: exp(-|z|) is exp(z) for a negative z
      const e = Math.exp(-Math.abs(z));
      const p1 = z >= 0 ? 1 / (1 + e) : e / (1 + e);
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

/** The kinds this folder scores, for the predictor table (models/inference.ts); family.ts describes each kind. */
export const PREDICTORS: Readonly<Record<string, Predictor>> = {
  gradient_boosting: predictorOf(predictBoosting),
};
