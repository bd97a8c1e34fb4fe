// Param specs of the gradient-boosted trees (names follow LightGBM / XGBoost where the meaning is the same).

import type { ParamSpecs } from '../../estimator/index.ts';

export const boostingParamSpecs: ParamSpecs = {
  n_estimators: { type: 'number', default: 200, min: 1, integer: true },
  learning_rate: { type: 'number', default: 0.1, min: 0, exclusiveMin: true, max: 1 },
  /** leaf-wise growth stops at this many leaves per tree */
  max_leaves: { type: 'number', default: 31, min: 2, integer: true, max: 65536 },
  /** 0 = no depth limit */
  max_depth: { type: 'number', default: 0, min: 0, integer: true },
  min_samples_leaf: { type: 'number', default: 20, min: 1, integer: true },
  /** smallest sum of hessians in a child */
  min_child_weight: { type: 'number', default: 1e-3, min: 0 },
  /** L2 penalty on leaf values */
  reg_lambda: { type: 'number', default: 1, min: 0 },
  /** smallest loss reduction that makes a split */
  min_split_gain: { type: 'number', default: 0, min: 0 },
  /** histogram bins per feature (quantile-based), missing values get their own */
  max_bins: { type: 'number', default: 255, min: 2, max: 255, integer: true },
};

export interface BoostingParams {
  n_estimators: number;
  learning_rate: number;
  max_leaves: number;
  max_depth: number;
  min_samples_leaf: number;
  min_child_weight: number;
  reg_lambda: number;
  min_split_gain: number;
  max_bins: number;
}
