// Inference of the multilayer perceptron: a forward pass (no dropout), softmax or identity at the output.

import {
  type FeatureArray,
  type Matrix,
  type ModelOutput,
  type Predictor,
  predictorOf,
} from '../../estimator/index.ts';
import type { MlpState } from './state.ts';

/** Activations of every layer for a batch (rows × units each); the last is the pre-softmax output. */
export function forward(
  s: MlpState,
  X: FeatureArray,
  rows: number,
  dropMasks?: (Float64Array | null)[],
): FeatureArray[] {
  const acts: FeatureArray[] = [X];
  const L = s.weights.length;
  for (let l = 0; l < L; l++) {
    const nIn = s.sizes[l];
    const nOut = s.sizes[l + 1];
    const W = s.weights[l];
    const b = s.biases[l];
    const A = acts[l];
    const Z = new Float64Array(rows * nOut);
    for (let i = 0; i < rows; i++) {
      for (let o = 0; o < nOut; o++) Z[i * nOut + o] = b[o];
      for (let k = 0; k < nIn; k++) {
        const a = A[i * nIn + k];
        if (a === 0) continue;
        const row = k * nOut;
        for (let o = 0; o < nOut; o++) Z[i * nOut + o] += a * W[row + o];
      }
    }
    if (l < L - 1) {
      for (let q = 0; q < Z.length; q++) Z[q] = s.activation === 'relu' ? Math.max(Z[q], 0) : Math.tanh(Z[q]);
      const mask = dropMasks?.[l];
      if (mask) for (let q = 0; q < Z.length; q++) Z[q] *= mask[q];
    }
    acts.push(Z);
  }
  return acts;
}

export function softmaxInPlace(Z: Float64Array, rows: number, K: number): void {
  for (let i = 0; i < rows; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) max = Math.max(max, Z[i * K + k]);
    let sum = 0;
    for (let k = 0; k < K; k++) {
      Z[i * K + k] = Math.exp(Z[i * K + k] - max);
      sum += Z[i * K + k];
    }
    for (let k = 0; k < K; k++) Z[i * K + k] /= sum;
  }
}

export function predictMlp(s: MlpState, X: Matrix): ModelOutput {
  const out = forward(s, X.data, X.rows).at(-1) as Float64Array;
  if (s.task === 'regression') {
    for (let i = 0; i < out.length; i++) out[i] = out[i] * s.yScale + s.yMean;
    return { kind: 'values', values: out };
  }
  const K = s.sizes[s.sizes.length - 1];
  softmaxInPlace(out, X.rows, K);
  return { kind: 'probabilities', classes: K, values: out };
}

/** The kinds this folder scores, for the predictor table (models/inference.ts); family.ts describes each kind. */
export const PREDICTORS: Readonly<Record<string, Predictor>> = {
  mlp: predictorOf(predictMlp),
};
