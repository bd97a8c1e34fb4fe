// Training of linear support vector machines by dual coordinate descent (the method of liblinear): L2-regularised hinge or
// squared hinge loss, the intercept learned as the weight of a constant feature (penalised, as in scikit-learn's
// LinearSVC), one-vs-rest for several classes.

import { createRng, shuffleInPlace } from '../../core/index.ts';
import { type Matrix, requireFinite } from '../../estimator/index.ts';
import type { SvmState } from './state.ts';

function binaryDual(
  X: Matrix,
  ypm: Float64Array,
  C: number,
  loss: string,
  maxIter: number,
  tol: number,
  seed: number,
  weight?: Float64Array,
): { w: Float64Array; b: number } {
  const { rows: n, cols: d, data } = X;
  const w = new Float64Array(d);
  let b = 0;
  const alpha = new Float64Array(n);
  // a sample weight scales that row's C: its box (hinge) or its diagonal term (squared hinge)
  const cw = (i: number) => C * (weight ? weight[i] : 1);
  const diagOf = (i: number) => (loss === 'hinge' ? 0 : 1 / (2 * cw(i)));
  const upperOf = (i: number) => (loss === 'hinge' ? cw(i) : Number.POSITIVE_INFINITY);
  const qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1; // the constant feature
    for (let j = 0; j < d; j++) s += data[i * d + j] ** 2;
    qii[i] = s + diagOf(i);
  }
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  for (let iter = 0; iter < maxIter; iter++) {
    shuffleInPlace(order, rng);
    let maxPg = 0;
    for (const i of order) {
      let f = b;
      for (let j = 0; j < d; j++) f += w[j] * data[i * d + j];
      const diag = diagOf(i);
      const upper = upperOf(i);
      const G = ypm[i] * f - 1 + diag * alpha[i];
      let pg = G;
      if (alpha[i] === 0) pg = Math.min(G, 0);
      else if (alpha[i] === upper) pg = Math.max(G, 0);
      maxPg = Math.max(maxPg, Math.abs(pg));
      if (pg !== 0) {
        const old = alpha[i];
        alpha[i] = Math.min(Math.max(old - G / qii[i], 0), upper);
        const step = (alpha[i] - old) * ypm[i];
        for (let j = 0; j < d; j++) w[j] += step * data[i * d + j];
        b += step;
      }
    }
    if (maxPg < tol) break;
  }
  return { w, b };
}

export function fitLinearSvm(
  X: Matrix,
  y: Float64Array,
  K: number,
  p: { C: number; loss: string; max_iter: number; tol: number; seed: number },
  weight?: Float64Array,
): SvmState {
  requireFinite(X.data, X.cols, 'linear SVMs');
  const problems = K === 2 ? 1 : K;
  const coef = new Float64Array(problems * X.cols);
  const intercept = new Float64Array(problems);
  for (let c = 0; c < problems; c++) {
    const positive = K === 2 ? 1 : c;
    const ypm = Float64Array.from(y, (v) => (v === positive ? 1 : -1));
    const { w, b } = binaryDual(X, ypm, p.C, p.loss, p.max_iter, p.tol, p.seed + c, weight);
    coef.set(w, c * X.cols);
    intercept[c] = b;
  }
  return { classes: K, features: X.cols, loss: p.loss, coef, intercept };
}
