// Param specs of k-means (scikit-learn's names).

import type { ParamSpecs } from '../../estimator/index.ts';

export const kmeansParamSpecs = {
  n_clusters: { type: 'number', default: 8, min: 1, integer: true },
  /** k-means++ seeding runs, the lowest inertia wins (ignored when initial centres are given) */
  n_init: { type: 'number', default: 4, min: 1, integer: true },
  max_iter: { type: 'number', default: 300, min: 1, integer: true },
  /** stop when no centre moves more than tol (squared Euclidean, summed) */
  tol: { type: 'number', default: 1e-10, min: 0 },
  seed: { type: 'number', default: 0, integer: true },
} as const satisfies ParamSpecs;
