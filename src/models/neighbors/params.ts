// Param specs of k-nearest neighbours (scikit-learn's names).

import type { ParamSpecs } from '../../estimator/index.ts';

export const knnParamSpecs = {
  n_neighbors: { type: 'number', default: 5, min: 1, integer: true },
  /** uniform votes, or votes weighted by 1 / distance (exact matches take all the weight) */
  weights: { type: 'enum', default: 'uniform', values: ['uniform', 'distance'] },
  /** auto: a KD-tree for up to 15 features, brute force above */
  algorithm: { type: 'enum', default: 'auto', values: ['auto', 'brute', 'kd_tree'] },
  leaf_size: { type: 'number', default: 30, min: 1, integer: true },
} as const satisfies ParamSpecs;
