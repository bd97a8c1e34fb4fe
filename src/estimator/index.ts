/**
 * estimator: the Learner / FittedModel contract, param specs and the artifact codec.
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/estimator.ts}
 *
 * @module keel/estimator
 */
export { decodeArtifact, encodeArtifact, sha256Hex } from './codec.ts';
export { applyCalibrator, type CalibratorState, type DecisionState, decide } from './decision.ts';
export { ESTIMATOR_CATALOG, EstimatorErrors } from './errors.ts';
export {
  defineFamily,
  describeFamily,
  type FamilyDescriptor,
  learnerOf,
  predictorOf,
  type SearchParam,
  type SearchSpaceSpec,
} from './family.ts';
export { requireFinite } from './finite.ts';
export {
  type ParamSpec,
  type ParamSpecs,
  type ParamsOf,
  type ParamValueOf,
  resolveParams,
} from './params.ts';
export type {
  FeatureArray,
  FitOptions,
  FittedModel,
  IterationInfo,
  Learner,
  Matrix,
  ModelOutput,
  Predictor,
  State,
  StateValue,
  Task,
  UnsupervisedLearner,
  UnsupervisedModel,
} from './types.ts';
