// Param specs of the tree family: the CART decision tree, random forest and extra trees (scikit-learn's names).

import type { ParamSpecs, ParamsOf } from '../../estimator/index.ts';

const common = {
  /** 0 = no limit */
  max_depth: { type: 'number', default: 0, min: 0, integer: true },
  min_samples_split: { type: 'number', default: 2, min: 2, integer: true },
  min_samples_leaf: { type: 'number', default: 1, min: 1, integer: true },
  /** minimal cost-complexity pruning strength (0 = no pruning) */
  ccp_alpha: { type: 'number', default: 0, min: 0 },
  /** thresholds are searched between quantile bins of each feature */
  max_bins: { type: 'number', default: 255, min: 2, max: 255, integer: true },
  seed: { type: 'number', default: 0, integer: true },
} as const satisfies ParamSpecs;

export const decisionTreeParamSpecs = { ...common } satisfies ParamSpecs;

export const forestParamSpecs = {
  ...common,
  n_estimators: { type: 'number', default: 100, min: 1, integer: true },
  /** features tried per split: auto = sqrt for classification, all for regression */
  max_features: { type: 'enum', default: 'auto', values: ['auto', 'sqrt', 'log2', 'all'] },
  /** draw each tree's rows with replacement (random forest) or use all rows (extra trees default) */
  bootstrap: { type: 'boolean', default: true },
  oob_score: { type: 'boolean', default: false },
  /** threads growing trees (0 = every core); the forest is byte-identical for any count */
  n_threads: { type: 'number', default: 0, min: 0, max: 256, integer: true },
} as const satisfies ParamSpecs;

/** a decision tree's params, or a forest's (which add the forest-only ones) */
export type TreeParams = ParamsOf<typeof decisionTreeParamSpecs> & Partial<ParamsOf<typeof forestParamSpecs>>;
