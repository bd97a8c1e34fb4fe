// serve: the model server — validation from the artifact's schema, prediction, health.
export { type FieldError, ServeErrors, STATUS_OF } from './errors.ts';
export { type LoadedModel, loadModel, type ModelArtifact } from './model.ts';
export {
  buildModelServer,
  type ModelServer,
  type ModelServerOptions,
  type ReloadOutcome,
  startModelServer,
} from './server.ts';
export { type Validated, validatePredictBody } from './validate.ts';
