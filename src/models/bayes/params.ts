// Param specs of the naive Bayes family (scikit-learn's names).

import type { ParamSpecs } from '../../estimator/index.ts';

export const gaussianNbParamSpecs = {
  /** added to every variance: var_smoothing × the largest feature variance */
  var_smoothing: { type: 'number', default: 1e-9, min: 0 },
} as const satisfies ParamSpecs;

export const categoricalNbParamSpecs = {
  /** additive (Laplace / Lidstone) smoothing */
  alpha: { type: 'number', default: 1, min: 0 },
} as const satisfies ParamSpecs;
