// registry: model versions, aliases with history, and verified artifact loading.
export { RegistryErrors } from './errors.ts';
export {
  type AliasEvent,
  type ModelRef,
  ModelRegistry,
  type ModelVersion,
  parseModelRef,
} from './registry.ts';
