// estimator: the Learner / FittedModel contract, param specs and the artifact codec.
export { decodeArtifact, encodeArtifact, sha256Hex } from './codec.ts';
export { ESTIMATOR_CATALOG, EstimatorErrors } from './errors.ts';
export { requireFinite } from './finite.ts';
export { type ParamSpec, type ParamSpecs, resolveParams } from './params.ts';
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
