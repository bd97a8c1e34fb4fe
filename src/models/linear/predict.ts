// Inference of the linear family from state alone.

import { type Matrix, type ModelOutput, type Predictor, predictorOf } from '../../estimator/index.ts';
import type { LogisticState, RidgeState, SvmState } from './state.ts';

export function predictLogistic(state: LogisticState, X: Matrix): ModelOutput {
  const { classes: K, features: p, coef, intercept } = state;
  const n = X.rows;
  const out = new Float64Array(n * K);
  if (K === 2) {
    for (let i = 0; i < n; i++) {
      let z = intercept[0];
      const base = i * p;
      for (let j = 0; j < p; j++) z += coef[j] * X.data[base + j];
      const p1 = sigmoid(z);
      out[i * 2] = 1 - p1;
      out[i * 2 + 1] = p1;
    }
    return { kind: 'probabilities', classes: 2, values: out };
  }
  for (let i = 0; i < n; i++) {
    const base = i * p;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      let z = intercept[k];
      for (let j = 0; j < p; j++) z += coef[k * p + j] * X.data[base + j];
      out[i * K + k] = z;
      if (z > max) max = z;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(out[i * K + k] - max);
      out[i * K + k] = e;
      sum += e;
    }
    for (let k = 0; k < K; k++) out[i * K + k] /= sum;
  }
  return { kind: 'probabilities', classes: K, values: out };
}

export function predictRidge(state: RidgeState, X: Matrix): ModelOutput {
  const { features: p, coef, intercept } = state;
  const out = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    let z = intercept;
    const base = i * p;
    for (let j = 0; j < p; j++) z += coef[j] * X.data[base + j];
    out[i] = z;
  }
  return { kind: 'values', values: out };
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Decision values as scores: sigmoid for two classes, softmax over one-vs-rest margins otherwise (not calibrated). */
export function predictLinearSvm(
  s: SvmState,
  X: Matrix,
): { kind: 'probabilities'; classes: number; values: Float64Array } {
  const K = s.classes;
  const d = s.features;
  const rows = K === 2 ? 1 : K;
  const out = new Float64Array(X.rows * K);
  for (let i = 0; i < X.rows; i++) {
    const m = new Float64Array(rows);
    for (let c = 0; c < rows; c++) {
      let f = s.intercept[c];
      for (let j = 0; j < d; j++) f += s.coef[c * d + j] * X.data[i * d + j];
      m[c] = f;
    }
    if (K === 2) {
      const p1 = 1 / (1 + Math.exp(-m[0]));
      out[2 * i] = 1 - p1;
      out[2 * i + 1] = p1;
    } else {
      const max = Math.max(...m);
      let sum = 0;
      for (let c = 0; c < K; c++) sum += Math.exp(m[c] - max);
      for (let c = 0; c < K; c++) out[i * K + c] = Math.exp(m[c] - max) / sum;
    }
  }
  return { kind: 'probabilities', classes: K, values: out };
}

/** The kinds this folder scores, for the predictor table (models/inference.ts); family.ts describes each kind. */
export const PREDICTORS: Readonly<Record<string, Predictor>> = {
  logistic_regression: predictorOf(predictLogistic),
  ridge: predictorOf(predictRidge),
  lasso: predictorOf(predictRidge),
  elastic_net: predictorOf(predictRidge),
  linear_svm: predictorOf(predictLinearSvm),
};
