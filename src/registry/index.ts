/**
 * registry: model versions, aliases moved through promotion gates with history, model cards, verified loading.
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/registry.ts}
 *
 * @module keel/registry
 */

export { type ModelCard, modelCard } from './card.ts';
export type { CardEvaluation } from './card-figures.ts';
export { type ArmSpec, checkDeployment, type DeploymentSpec, DeploymentStore } from './deployments.ts';
export { REGISTRY_CATALOG, RegistryErrors } from './errors.ts';
export {
  beatsIncumbent,
  type Gate,
  type GateResult,
  lowerIsBetter,
  maxSize,
  metricBound,
  parseGate,
  type VersionEvidence,
} from './gates.ts';
export { openHome } from './home.ts';
export {
  type AliasEvent,
  type CardFields,
  type GateEvaluation,
  type ManifestEntry,
  type ModelRef,
  ModelRegistry,
  type ModelVersion,
  parseModelRef,
  signedPayload,
  type VersionSigner,
  type VersionVerifier,
} from './registry.ts';
export { type SchemaDiff, type SchemaLike, schemaDiff, schemaGateResult } from './schema-compat.ts';
