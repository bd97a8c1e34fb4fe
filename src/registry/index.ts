// registry: model versions, aliases with history, and verified artifact loading.
export { RegistryErrors } from './errors.ts';
export { ModelRegistry, parseModelRef, type AliasEvent, type ModelRef, type ModelVersion } from './registry.ts';
