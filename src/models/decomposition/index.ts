// PCA: the unsupervised learner built on fit.ts; projection in predict.ts.

import {
  type Matrix,
  type ParamSpecs,
  resolveParams,
  type UnsupervisedLearner,
} from '../../estimator/index.ts';
import { fitPca } from './fit.ts';
import { transformPca } from './predict.ts';

const pcaParamSpecs = {
  n_components: { type: 'number', default: 2, min: 1, integer: true },
} as const satisfies ParamSpecs;

export function pca(given: Record<string, unknown> = {}): UnsupervisedLearner {
  const params = resolveParams('pca', pcaParamSpecs, given);
  return {
    kind: 'pca',
    params,
    fit(X: Matrix) {
      const state = fitPca(X, params.n_components as number);
      return { kind: 'pca', state, width: state.components, apply: (Z: Matrix) => transformPca(state, Z) };
    },
  };
}
