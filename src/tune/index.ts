/**
 * tune: define-by-run studies (ask / tell / optimize), samplers (grid, random, TPE), pruners (median, ASHA,
 * Hyperband) and Pareto fronts. Objectives are plain functions; the room depends on core only.
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/tune.ts}
 *
 * @module keel/tune
 */
export {
  type CategoricalDistribution,
  type Choice,
  cardinality,
  type Distribution,
  type FloatDistribution,
  type IntDistribution,
  type ParamValue,
} from './distributions.ts';
export { TUNE_CATALOG, TuneErrors } from './errors.ts';
export { FileJournal, MemoryJournal, replay, type StudyEvent, type StudyJournal } from './journal.ts';
export {
  type Objective,
  type ObjectiveResult,
  type OptimizeOptions,
  type OptimizeSummary,
  optimize,
} from './optimize.ts';
export { asLoss, crowding, dominates, nondominatedRanks, paretoOrder } from './pareto.ts';
export {
  type HyperbandOptions,
  hyperbandPruner,
  type MedianPrunerOptions,
  medianPruner,
  nopPruner,
  type SuccessiveHalvingOptions,
  successiveHalvingPruner,
} from './pruners.ts';
export { gridSampler } from './samplers/grid.ts';
export { type RandomSamplerOptions, randomSampler } from './samplers/random.ts';
export { type TpeOptions, tpeSampler } from './samplers/tpe.ts';
export { INTERRUPTED, Study, type StudyOptions } from './study.ts';
export { type FloatOptions, type IntOptions, Trial } from './trial.ts';
export type { Direction, FrozenTrial, Pruner, Sampler, StudyView, TrialState } from './types.ts';
export { optimizeInWorkers, type WorkerObjective } from './workers.ts';
