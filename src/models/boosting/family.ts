// Gradient-boosted trees, described once.

import { defineFamily, type FamilyDescriptor } from '../../estimator/index.ts';
import { fitBoosting } from './fit.ts';
import { boostingParamSpecs } from './params.ts';
import { predictBoosting } from './predict.ts';
import { PARALLEL_MIN_ROWS, prepareLargeBatches, warmPredictionThreads } from './predict-threads.ts';

/** a model fitted on many rows with threads likely scores large batches: ready them while it trains */
const LARGE_BATCHES = {
  minRows: PARALLEL_MIN_ROWS,
  warm: warmPredictionThreads,
  prepare: prepareLargeBatches,
};

export const gradientBoostingFamily = defineFamily({
  kind: 'gradient_boosting',
  aliases: ['boosting', 'gbt'],
  summary:
    'histogram gradient-boosted trees (losses: squared, absolute, Huber, quantile, Poisson; early stopping)',
  tasks: ['binary', 'multiclass', 'regression'],
  params: boostingParamSpecs,
  weights: true,
  threaded: true,
  fit: (X, y, task, nClasses, p, options) =>
    fitBoosting(
      X,
      y,
      task,
      nClasses,
      p,
      options?.sampleWeight,
      options?.onProgress,
      options?.validation,
      options?.onIteration,
      LARGE_BATCHES,
    ),
  predict: predictBoosting,
  searchSpace: {
    learning_rate: { type: 'float', low: 0.01, high: 0.3, log: true },
    max_leaves: { type: 'int', low: 4, high: 128, log: true },
    min_samples_leaf: { type: 'int', low: 1, high: 100, log: true },
    subsample: { type: 'float', low: 0.5, high: 1 },
    colsample_bytree: { type: 'float', low: 0.3, high: 1 },
    reg_lambda: { type: 'float', low: 1e-3, high: 10, log: true },
  },
});

/** every kind of this folder, for the family list (models/families.ts) */
export const FAMILIES: readonly FamilyDescriptor[] = [gradientBoostingFamily];
