// transform: feature transformers and pipeline(); inference.ts is the serving-side door (no fitting code).
export { oneHotEncoder, simpleImputer, standardScaler } from './fit.ts';
export {
  applyTransform,
  applyTransforms,
  frameToMatrix,
  scorePipeline,
  TransformErrors,
  type PipelineOutput,
  type PipelineState,
} from './inference.ts';
export { encodeTarget, inferTask, pipeline, type FittedPipeline, type Pipeline, type PipelineFitOptions } from './pipeline.ts';
export type { Transformer, TransformState } from './types.ts';
