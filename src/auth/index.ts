/**
 * auth: identities and API tokens, roles per project, the one route policy table with the guard both servers
 * install, the hash-chained audit log, and Ed25519 signing of artifacts.
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/auth.ts}
 *
 * @module keel/auth
 */

export { type AuditEntry, type AuditInput, AuditLog, type AuditProblem } from './audit.ts';
export { AUTH_MIGRATIONS, type AuthDb } from './db.ts';
export { AUTH_CATALOG, AuthErrors } from './errors.ts';
export {
  accessOf,
  actorOf,
  type GuardOptions,
  installGuard,
  type RequestAccess,
  SESSION_COOKIE,
} from './guard.ts';
export { hostAllowlist, isLoopback } from './hosts.ts';
export { API_POLICIES, type RoutePolicy, routeKey, type Scope, SERVE_POLICIES } from './policy.ts';
export {
  DEFAULT_PROJECT,
  isRole,
  PERMISSIONS,
  type Permission,
  PROJECT_NAME,
  ROLES,
  type Role,
  roleGrants,
} from './roles.ts';
export {
  createSigningKey,
  keyIdOf,
  loadSigner,
  loadTrust,
  type Signer,
  secureHome,
  signingOf,
  type TrustList,
  type VersionSignature,
} from './signing.ts';
export {
  AuthStore,
  can,
  canEverywhere,
  type IdentityInfo,
  type IdentityKind,
  localPrincipal,
  type Principal,
  projectsWhere,
  type TokenInfo,
} from './store.ts';
