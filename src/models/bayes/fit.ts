// Training of naive Bayes: Gaussian (per-class means and variances with variance smoothing) and categorical
// (smoothed per-class category frequencies), with sample weights — the definitions of scikit-learn.

import { KeelError } from '../../core/index.ts';
import { EstimatorErrors, type Matrix } from '../../estimator/index.ts';
import type { CategoricalNbState, GaussianNbState } from './state.ts';

function classWeights(y: Float64Array, K: number, w: Float64Array | undefined): Float64Array {
  const cw = new Float64Array(K);
  for (let i = 0; i < y.length; i++) cw[y[i]] += w ? w[i] : 1;
  return cw;
}

export function fitGaussianNb(
  X: Matrix,
  y: Float64Array,
  K: number,
  p: { var_smoothing: number },
  w?: Float64Array,
): GaussianNbState {
  const { rows: n, cols: d, data } = X;
  const cw = classWeights(y, K, w);
  const mean = new Float64Array(K * d);
  const variance = new Float64Array(K * d);
  for (let i = 0; i < n; i++) {
    const k = y[i];
    const wi = w ? w[i] : 1;
    for (let j = 0; j < d; j++) mean[k * d + j] += wi * data[i * d + j];
  }
  for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) mean[k * d + j] /= cw[k];
  for (let i = 0; i < n; i++) {
    const k = y[i];
    const wi = w ? w[i] : 1;
    for (let j = 0; j < d; j++) {
      const diff = data[i * d + j] - mean[k * d + j];
      variance[k * d + j] += wi * diff * diff;
    }
  }
  // epsilon = var_smoothing × the largest variance of any feature over all rows (unweighted, as scikit-learn)
  let maxVar = 0;
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += data[i * d + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (data[i * d + j] - m) ** 2;
    maxVar = Math.max(maxVar, v / n);
  }
  const eps = p.var_smoothing * maxVar;
  for (let k = 0; k < K; k++)
    for (let j = 0; j < d; j++) variance[k * d + j] = variance[k * d + j] / cw[k] + eps;
  let total = 0;
  for (let k = 0; k < K; k++) total += cw[k];
  const logPrior = Float64Array.from(cw, (c) => Math.log(c / total));
  for (let k = 0; k < K; k++) {
    if (cw[k] === 0) throw new KeelError(EstimatorErrors.BAD_INPUT, `class ${k} has no training rows`);
  }
  return { classes: K, features: d, logPrior, mean, variance };
}

export function fitCategoricalNb(
  X: Matrix,
  y: Float64Array,
  K: number,
  p: { alpha: number },
  w?: Float64Array,
): CategoricalNbState {
  const { rows: n, cols: d, data } = X;
  const categories = new Int32Array(d);
  for (let i = 0; i < n * d; i++) {
    const v = data[i];
    if (!(Number.isInteger(v) && v >= 0)) {
      throw new KeelError(
        EstimatorErrors.BAD_INPUT,
        `categorical naive Bayes needs category codes 0, 1, 2…; got ${v} (use an ordinal encoding)`,
      );
    }
    const j = i % d;
    categories[j] = Math.max(categories[j], v + 1);
  }
  const offsets = new Int32Array(d + 1);
  for (let j = 0; j < d; j++) offsets[j + 1] = offsets[j] + K * categories[j];
  const counts = new Float64Array(offsets[d]);
  for (let i = 0; i < n; i++) {
    const k = y[i];
    const wi = w ? w[i] : 1;
    for (let j = 0; j < d; j++) counts[offsets[j] + k * categories[j] + data[i * d + j]] += wi;
  }
  const logProb = new Float64Array(offsets[d]);
  for (let j = 0; j < d; j++) {
    const m = categories[j];
    for (let k = 0; k < K; k++) {
      let row = 0;
      for (let c = 0; c < m; c++) row += counts[offsets[j] + k * m + c];
      for (let c = 0; c < m; c++) {
        logProb[offsets[j] + k * m + c] =
          Math.log(counts[offsets[j] + k * m + c] + p.alpha) - Math.log(row + p.alpha * m);
      }
    }
  }
  const cw = classWeights(y, K, w);
  let total = 0;
  for (let k = 0; k < K; k++) total += cw[k];
  return {
    classes: K,
    features: d,
    logPrior: Float64Array.from(cw, (c) => Math.log(c / total)),
    categories,
    offsets,
    logProb,
  };
}
