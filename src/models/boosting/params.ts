// Param specs of the gradient-boosted trees (names follow LightGBM / XGBoost where the meaning is the same).

import type { ParamSpecs, ParamsOf } from '../../estimator/index.ts';

export const boostingParamSpecs = {
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
  /** L1 penalty on leaf values (soft-thresholds the gradient sums) */
  reg_alpha: { type: 'number', default: 0, min: 0 },
  /** share of rows drawn (without replacement, per tree) */
  subsample: { type: 'number', default: 1, min: 0, exclusiveMin: true, max: 1 },
  /** share of features a tree may split on */
  colsample_bytree: { type: 'number', default: 1, min: 0, exclusiveMin: true, max: 1 },
  /** balanced: weight each class by n / (classes × its count) */
  class_weight: { type: 'enum', default: 'none', values: ['none', 'balanced'] },
  /** regression loss (classification always uses logistic / softmax) */
  loss: {
    type: 'enum',
    default: 'auto',
    values: ['auto', 'squared', 'absolute', 'huber', 'quantile', 'poisson'],
  },
  huber_delta: { type: 'number', default: 1, min: 0, exclusiveMin: true },
  quantile_alpha: { type: 'number', default: 0.5, min: 0, exclusiveMin: true, max: 1 },
  /** stop when the validation loss has not improved for this many rounds (0 = off); the best round is kept */
  early_stopping_rounds: { type: 'number', default: 0, min: 0, integer: true },
  /** held-out share for early stopping when no validation set is given */
  validation_fraction: { type: 'number', default: 0.1, min: 0.01, max: 0.5 },
  seed: { type: 'number', default: 0, integer: true },
  /** threads that sum histograms (0 = every core); the model is bit-identical for any count */
  n_threads: { type: 'number', default: 0, min: 0, max: 256, integer: true },
} as const satisfies ParamSpecs;

/** the params as the spec declares them */
export type BoostingParams = ParamsOf<typeof boostingParamSpecs>;
