/**
 * transform: feature transformers and pipeline(); inference.ts is the serving-side door (no fitting code).
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/transform.ts}
 *
 * @module keel/transform
 */
export { type CompiledScorer, compileScorer, frameRecords, type RecordValue } from './compiled.ts';
export {
  DATE_PARTS,
  type DatePart,
  type DatePartsState,
  type DropState,
  type DurationState,
} from './derive-apply.ts';
export {
  correlationFilter,
  dateFeatures,
  durationBetween,
  pearson,
  varianceThreshold,
} from './derive-fit.ts';
export type { FrequencyState, ImputerState, OrdinalState, TargetEncodingState } from './encode-apply.ts';
export {
  frequencyEncoder,
  hashEncoder,
  type ImputerOptions,
  imputer,
  knnImputer,
  ordinalEncoder,
  type TargetEncoderOptions,
  targetEncoder,
} from './encode-fit.ts';
export {
  columnsOf,
  type Expr,
  type ExpressionState,
  ExprNode,
  expr,
  expressions,
  type NumericKeys,
  parseExpression,
} from './expression.ts';
export { oneHotEncoder, simpleImputer, standardScaler } from './fit.ts';
export {
  applyTransform,
  applyTransforms,
  frameToMatrix,
  type PipelineOutput,
  type PipelineState,
  requestSchema,
  scorePipeline,
  TRANSFORM_CATALOG,
  TransformErrors,
} from './inference.ts';
export { type ModelStepOptions, modelFeature } from './model-step.ts';
export type { ModelStepResolver, ModelStepState } from './model-step-apply.ts';
export { boxCox, type NumericState, yeoJohnson } from './numeric-apply.ts';
export {
  binner,
  type ColumnChoice,
  clipper,
  logTransform,
  maxAbsScaler,
  minMaxScaler,
  pcaTransformer,
  polynomialFeatures,
  powerTransformer,
  robustScaler,
} from './numeric-fit.ts';
export {
  encodeTarget,
  type FittedPipeline,
  inferTask,
  type Pipeline,
  type PipelineFitOptions,
  pipeline,
} from './pipeline.ts';
export {
  type ImportanceSelectorOptions,
  importanceSelector,
  mutualInformation,
  mutualInfoSelector,
} from './select-fit.ts';
export { murmur3, type TextState, tokenize } from './text-apply.ts';
export { type TextOptions, textFeatures } from './text-fit.ts';
export { featureSources } from './trace.ts';
export type { TargetInfo, Transformer, TransformState } from './types.ts';
