// serve: the model server — validation from the artifact's schema, prediction, health.
export { ServeErrors, STATUS_OF, type FieldError } from './errors.ts';
export { loadModel, type LoadedModel, type ModelArtifact } from './model.ts';
export { buildModelServer, startModelServer, type ModelServer, type ModelServerOptions } from './server.ts';
export { validatePredictBody, type Validated } from './validate.ts';
