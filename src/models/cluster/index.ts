// k-means clustering: the unsupervised learner built on fit.ts; labels from predict.ts.

import { type Matrix, resolveParams, type UnsupervisedLearner } from '../../estimator/index.ts';
import { fitKMeans } from './fit.ts';
import { kmeansParamSpecs } from './params.ts';
import { predictKMeans } from './predict.ts';

export function kMeans(given: Record<string, unknown> = {}): UnsupervisedLearner {
  const params = resolveParams('kmeans', kmeansParamSpecs, given);
  return {
    kind: 'kmeans',
    params,
    fit(X: Matrix, options) {
      const state = fitKMeans(
        X,
        params as { n_clusters: number; n_init: number; max_iter: number; tol: number; seed: number },
        options?.init,
      );
      return { kind: 'kmeans', state, width: 1, apply: (Z: Matrix) => predictKMeans(state, Z) };
    },
  };
}
