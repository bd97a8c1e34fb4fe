// k-nearest neighbours, described once.

import { defineFamily, type FamilyDescriptor } from '../../estimator/index.ts';
import { fitKnn } from './fit.ts';
import { knnParamSpecs } from './params.ts';
import { predictKnn } from './predict.ts';

export const knnFamily = defineFamily({
  kind: 'knn',
  aliases: ['nearest_neighbors'],
  summary: 'k-nearest neighbours (KD-tree or brute force)',
  tasks: ['binary', 'multiclass', 'regression'],
  params: knnParamSpecs,
  weights: true,
  fit: (X, y, task, k, p, options) => fitKnn(X, y, task, k, p, options?.sampleWeight),
  predict: predictKnn,
  searchSpace: {
    n_neighbors: { type: 'int', low: 1, high: 100, log: true },
    weights: { type: 'categorical', choices: ['uniform', 'distance'] },
  },
});

/** every kind of this folder, for the family list (models/families.ts) */
export const FAMILIES: readonly FamilyDescriptor[] = [knnFamily];
