// Fitting PCA: centre, take the covariance matrix's eigenvectors (Jacobi), keep the largest; each axis's sign is fixed
// so that its largest-magnitude loading is positive (a deterministic choice; scikit-learn's differs only in sign).

import { KeelError, symmetricEigen } from '../../core/index.ts';
import { EstimatorErrors, type Matrix, requireFinite } from '../../estimator/index.ts';
import type { PcaState } from './state.ts';

export function fitPca(X: Matrix, nComponents: number): PcaState {
  const { rows: n, cols: d, data } = X;
  if (nComponents > d)
    throw new KeelError(EstimatorErrors.BAD_PARAM, `n_components ${nComponents} exceeds the ${d} features`, {
      param: 'n_components',
    });
  requireFinite(data, d, 'PCA models');
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j] / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const xa = data[i * d + a] - mean[a];
      for (let b = a; b < d; b++) cov[a * d + b] += (xa * (data[i * d + b] - mean[b])) / (n - 1);
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a];
  const { values, vectors } = symmetricEigen(cov, d);
  let total = 0;
  for (let j = 0; j < d; j++) total += Math.max(values[j], 0);
  const axes = new Float64Array(nComponents * d);
  for (let c = 0; c < nComponents; c++) {
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(vectors[c * d + j]) > Math.abs(vectors[c * d + big])) big = j;
    const sign = vectors[c * d + big] < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) axes[c * d + j] = sign * vectors[c * d + j];
  }
  const explainedVariance = values.slice(0, nComponents);
  return {
    components: nComponents,
    features: d,
    mean,
    axes,
    explainedVariance,
    explainedVarianceRatio: Float64Array.from(explainedVariance, (v) => v / total),
  };
}
