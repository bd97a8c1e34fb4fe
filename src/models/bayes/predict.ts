// Inference of naive Bayes from state alone: joint log-likelihoods, normalised with log-sum-exp.

import { type Matrix, type ModelOutput, type Predictor, predictorOf } from '../../estimator/index.ts';
import type { CategoricalNbState, GaussianNbState } from './state.ts';

function normalise(jll: Float64Array, n: number, K: number): Float64Array {
  for (let i = 0; i < n; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < K; k++) max = Math.max(max, jll[i * K + k]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(jll[i * K + k] - max);
    const lse = max + Math.log(sum);
    for (let k = 0; k < K; k++) jll[i * K + k] = Math.exp(jll[i * K + k] - lse);
  }
  return jll;
}

export function predictGaussianNb(s: GaussianNbState, X: Matrix): ModelOutput {
  const { classes: K, features: d } = s;
  const jll = new Float64Array(X.rows * K);
  for (let i = 0; i < X.rows; i++) {
    for (let k = 0; k < K; k++) {
      let ll = s.logPrior[k];
      for (let j = 0; j < d; j++) {
        const v = s.variance[k * d + j];
        const diff = X.data[i * d + j] - s.mean[k * d + j];
        ll -= 0.5 * Math.log(2 * Math.PI * v) + (diff * diff) / (2 * v);
      }
      jll[i * K + k] = ll;
    }
  }
  return { kind: 'probabilities', classes: K, values: normalise(jll, X.rows, K) };
}

export function predictCategoricalNb(s: CategoricalNbState, X: Matrix): ModelOutput {
  const { classes: K, features: d } = s;
  const jll = new Float64Array(X.rows * K);
  for (let i = 0; i < X.rows; i++) {
    for (let k = 0; k < K; k++) {
      let ll = s.logPrior[k];
      for (let j = 0; j < d; j++) {
        const c = X.data[i * d + j];
        const m = s.categories[j];
        // a category never seen in training contributes nothing (it cannot favour any class)
        if (Number.isInteger(c) && c >= 0 && c < m) ll += s.logProb[s.offsets[j] + k * m + c];
      }
      jll[i * K + k] = ll;
    }
  }
  return { kind: 'probabilities', classes: K, values: normalise(jll, X.rows, K) };
}

/** The kinds this folder scores, for the predictor table (models/inference.ts); family.ts describes each kind. */
export const PREDICTORS: Readonly<Record<string, Predictor>> = {
  gaussian_nb: predictorOf(predictGaussianNb),
  categorical_nb: predictorOf(predictCategoricalNb),
};
