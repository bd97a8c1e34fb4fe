/**
 * flow: jobs that tie the rooms together (the training job now; DAGs, schedules and executors later).
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/flow.ts}
 *
 * @module keel/flow
 */

export { KEEL_VERSION } from '../core/version.ts';
export { FLOW_CATALOG, FlowErrors } from './errors.ts';
export {
  type Calibration,
  parseSplit,
  type Resample,
  type SplitSpec,
} from './imbalance.ts';
export { type NestedCvResult, type NestedFold, nestedCrossValidate } from './nested-cv.ts';
export {
  defaultSteps,
  dropMissingTarget,
  holdOut,
  type LabelledData,
  type ReadData,
  type ReadDataOptions,
  readData,
  readLabelled,
} from './prepare.ts';
export { type SearchSpace, searchSpaceOf, suggestFrom, TUNABLE_KINDS } from './search-spaces.ts';
export {
  alignTestLabels,
  defaultModels,
  formatMetrics,
  type ModelArtifactParts,
  type ModelSpec,
  modelArtifact,
  registerAndPromote,
  runTrainJob,
  type SkippedModel,
  type TrainedModelResult,
  type TrainJobOptions,
  type TrainJobResult,
} from './train.ts';
export { runTuneJob, type TuneJobOptions, type TuneJobResult } from './tune.ts';
export {
  contextFromFrame,
  EXTRA_OBJECTIVES,
  type ExtraObjective,
  setup as tuneSetup,
  type TuneContext,
  type TuneDataSpec,
  tuneObjective,
} from './tune-objective.ts';
export { RunStoreJournal } from './tune-store.ts';
