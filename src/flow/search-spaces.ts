// Default search spaces of `keel tune`, one per model family: ranges that cover what usually works, log-scaled
// where the effect is multiplicative. Fixed params (from --param) override a suggested one and are not tuned.

import { KeelError } from '../core/index.ts';
import type { Trial } from '../tune/index.ts';
import { FlowErrors } from './errors.ts';

export type SearchSpace = (trial: Trial) => Record<string, unknown>;

export const SEARCH_SPACES: Record<string, SearchSpace> = {
  gradient_boosting: (t) => ({
    learning_rate: t.suggestFloat('learning_rate', 0.01, 0.3, { log: true }),
    max_leaves: t.suggestInt('max_leaves', 4, 128, { log: true }),
    min_samples_leaf: t.suggestInt('min_samples_leaf', 1, 100, { log: true }),
    subsample: t.suggestFloat('subsample', 0.5, 1),
    colsample_bytree: t.suggestFloat('colsample_bytree', 0.3, 1),
    reg_lambda: t.suggestFloat('reg_lambda', 1e-3, 10, { log: true }),
  }),
  random_forest: (t) => ({
    max_depth: t.suggestInt('max_depth', 0, 30),
    min_samples_leaf: t.suggestInt('min_samples_leaf', 1, 20, { log: true }),
    max_features: t.suggestCategorical('max_features', ['sqrt', 'log2', 'all']),
  }),
  extra_trees: (t) => ({
    max_depth: t.suggestInt('max_depth', 0, 30),
    min_samples_leaf: t.suggestInt('min_samples_leaf', 1, 20, { log: true }),
    max_features: t.suggestCategorical('max_features', ['sqrt', 'log2', 'all']),
  }),
  decision_tree: (t) => ({
    max_depth: t.suggestInt('max_depth', 1, 30),
    min_samples_leaf: t.suggestInt('min_samples_leaf', 1, 50, { log: true }),
    ccp_alpha: t.suggestFloat('ccp_alpha', 1e-6, 0.05, { log: true }),
  }),
  logistic_regression: (t) => {
    const penalty = t.suggestCategorical('penalty', ['l2', 'l1', 'elasticnet']);
    return {
      C: t.suggestFloat('C', 1e-3, 100, { log: true }),
      penalty,
      // a conditional param: only elastic-net has a mixing ratio
      ...(penalty === 'elasticnet' ? { l1_ratio: t.suggestFloat('l1_ratio', 0.05, 0.95) } : {}),
    };
  },
  mlp: (t) => ({
    hidden_layers: t.suggestCategorical('hidden_layers', ['32', '64', '128', '64,32', '128,64']),
    activation: t.suggestCategorical('activation', ['relu', 'tanh']),
    learning_rate: t.suggestFloat('learning_rate', 1e-4, 1e-2, { log: true }),
    alpha: t.suggestFloat('alpha', 1e-6, 1e-2, { log: true }),
    dropout: t.suggestFloat('dropout', 0, 0.5),
  }),
  knn: (t) => ({
    n_neighbors: t.suggestInt('n_neighbors', 1, 100, { log: true }),
    weights: t.suggestCategorical('weights', ['uniform', 'distance']),
  }),
};

export function searchSpaceOf(kind: string): SearchSpace {
  const space = SEARCH_SPACES[kind];
  if (!space) {
    throw new KeelError(
      FlowErrors.NO_SEARCH_SPACE,
      `no default search space for "${kind}" (tunable: ${Object.keys(SEARCH_SPACES).join(', ')})`,
    );
  }
  return space;
}
