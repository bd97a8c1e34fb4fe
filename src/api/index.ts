/**
 * api: the platform HTTP API (runs, artifacts, models, aliases, gates, cards), its OpenAPI document and typed
 * client.
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/api.ts}
 *
 * @module keel/api
 */
export { KeelApiError, KeelClient } from './client.ts';
export { ALL_CATALOGS, API_CATALOG, ApiErrors, statusOf } from './errors.ts';
export { OidcLogin, type OidcSettings } from './oidc.ts';
export { openApiDocument } from './openapi.ts';
export { type ApiOptions, buildApi, startApi } from './server.ts';
export type * from './types.ts';
