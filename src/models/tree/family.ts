// The tree family's kinds, each described once: CART, random forest, extra trees (one fit, different settings).

import { defineFamily, type FamilyDescriptor, type SearchSpaceSpec } from '../../estimator/index.ts';
import { fitTrees } from './fit.ts';
import { decisionTreeParamSpecs, forestParamSpecs } from './params.ts';
import { predictTrees } from './predict.ts';

const forestSpace: SearchSpaceSpec = {
  max_depth: { type: 'int', low: 0, high: 30 },
  min_samples_leaf: { type: 'int', low: 1, high: 20, log: true },
  max_features: { type: 'categorical', choices: ['sqrt', 'log2', 'all'] },
};

export const decisionTreeFamily = defineFamily({
  kind: 'decision_tree',
  aliases: ['cart'],
  summary: 'CART decision tree with cost-complexity pruning',
  tasks: ['binary', 'multiclass', 'regression'],
  params: decisionTreeParamSpecs,
  weights: true,
  fit: (X, y, task, k, p, options) => fitTrees(X, y, task, k, p, null, options?.sampleWeight),
  predict: predictTrees,
  searchSpace: {
    max_depth: { type: 'int', low: 1, high: 30 },
    min_samples_leaf: { type: 'int', low: 1, high: 50, log: true },
    ccp_alpha: { type: 'float', low: 1e-6, high: 0.05, log: true },
  },
});

export const randomForestFamily = defineFamily({
  kind: 'random_forest',
  aliases: ['forest'],
  summary: 'random forest (bootstrap rows, random features per split, out-of-bag score)',
  tasks: ['binary', 'multiclass', 'regression'],
  params: forestParamSpecs,
  weights: true,
  threaded: true,
  fit: (X, y, task, k, p, options) =>
    fitTrees(X, y, task, k, p, { randomThresholds: false }, options?.sampleWeight),
  predict: predictTrees,
  searchSpace: forestSpace,
});

export const extraTreesFamily = defineFamily({
  kind: 'extra_trees',
  summary: 'extremely randomised trees (random thresholds, all rows by default)',
  tasks: ['binary', 'multiclass', 'regression'],
  params: forestParamSpecs,
  defaults: { bootstrap: false },
  weights: true,
  threaded: true,
  fit: (X, y, task, k, p, options) =>
    fitTrees(X, y, task, k, p, { randomThresholds: true }, options?.sampleWeight),
  predict: predictTrees,
  searchSpace: forestSpace,
});

/** every kind of this folder, for the family list (models/families.ts) */
export const FAMILIES: readonly FamilyDescriptor[] = [
  decisionTreeFamily,
  randomForestFamily,
  extraTreesFamily,
];
