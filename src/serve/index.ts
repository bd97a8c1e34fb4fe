/**
 * serve: the model server — validation from the artifact's schema, weighted arms (A/B, canary, shadow), batching,
 * hot swap, health, metrics, prediction log.
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/serve.ts}
 *
 * @module keel/serve
 */
export { type AbResult, SequentialAbTest } from './abtest.ts';
export type { ReloadOutcome } from './arms.ts';
export { MicroBatcher, sliceOutput } from './batcher.ts';
export { nestsDeeperThan, parseJsonBody } from './body.ts';
export { CanaryController, type CanaryEvent, type CanarySpec } from './canary.ts';
export { type CodegenInput, generateClient, typeName } from './codegen.ts';
export { instanceJsonSchema, modelOpenApi } from './contract.ts';
export { Endpoint } from './endpoint.ts';
export {
  FIELD_CATALOG,
  type FieldError,
  FieldErrors,
  SERVE_CATALOG,
  ServeErrors,
  statusOf,
} from './errors.ts';
export { ServeMetrics } from './metrics.ts';
export { type LoadedModel, loadModel, type ModelArtifact, resolveModelStep } from './model.ts';
export { PredictionLog, redact } from './predlog.ts';
export { stickyPoint, WeightedRouter } from './router.ts';
export {
  type BuiltServer,
  buildModelServer,
  type ModelServer,
  type ModelServerOptions,
  startModelServer,
} from './server.ts';
export { normaliseRecords, recordsToFrame, type Validated, validatePredictBody } from './validate.ts';
