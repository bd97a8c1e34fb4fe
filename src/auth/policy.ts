// The one route policy table: every route of `keel api` and of the model server names the permission it needs and
// how the object's project is found. A route missing here cannot be registered (the guard refuses it at start-up).

import type { Permission } from './roles.ts';

/**
 * How a route's object is found, and so whose project is checked:
 * - public: anyone, no token (health, the OpenAPI document);
 * - token: any valid token (who am I);
 * - global: the permission in every project ('*'), e.g. garbage collection, users, the whole audit log;
 * - list: a listing, filtered to the projects where the permission holds;
 * - run / runs / model / deployment / endpoint: the project of the object named in the URL (runs: every id of the
 *   query); a token of another project gets the same 404 a missing object gets;
 * - served: the permission in the project of every endpoint the server serves.
 */
export type Scope =
  | 'public'
  | 'token'
  | 'global'
  | 'list'
  | 'run'
  | 'runs'
  | 'model'
  | 'deployment'
  | 'endpoint'
  | 'served';

export interface RoutePolicy {
  permission: Permission | null;
  scope: Scope;
  /** predict-like routes a deployment may open to callers without a token (`access: open`) */
  openable?: boolean;
}

const open: RoutePolicy = { permission: null, scope: 'public' };
const on = (permission: Permission, scope: Scope, openable?: boolean): RoutePolicy =>
  openable ? { permission, scope, openable } : { permission, scope };

/** `keel api` */
export const API_POLICIES: Readonly<Record<string, RoutePolicy>> = {
  'GET /health': open,
  'GET /openapi.json': open,
  'GET /api/v1/whoami': { permission: null, scope: 'token' },
  // single sign-on: the login itself is open; logging out needs the session's token
  'GET /auth/login': open,
  'GET /auth/callback': open,
  'POST /auth/exchange': open,
  'POST /auth/logout': { permission: null, scope: 'token' },
  'GET /api/v1/runs': on('read', 'list'),
  'GET /api/v1/runs/:id': on('read', 'run'),
  'DELETE /api/v1/runs/:id': on('run.delete', 'run'),
  'GET /api/v1/runs/:id/manifest': on('read', 'run'),
  'GET /api/v1/runs/:id/metrics/:key': on('read', 'run'),
  'GET /api/v1/runs/:id/artifacts/*': on('read', 'run'),
  'GET /api/v1/compare': on('read', 'runs'),
  'POST /api/v1/gc': on('gc', 'global'),
  'GET /api/v1/models': on('read', 'list'),
  'GET /api/v1/models/:name': on('read', 'model'),
  'GET /api/v1/models/:name/versions/:version': on('read', 'model'),
  'GET /api/v1/models/:name/versions/:version/card': on('read', 'model'),
  'PUT /api/v1/models/:name/versions/:version/card': on('model.card', 'model'),
  'POST /api/v1/models/:name/aliases/:alias': on('model.promote', 'model'),
  'GET /api/v1/models/:name/evaluations': on('read', 'model'),
  'PUT /api/v1/models/:name/policies/:alias': on('policy.write', 'model'),
  'GET /api/v1/deployments': on('read', 'list'),
  'PUT /api/v1/deployments/:name': on('deploy.write', 'deployment'),
  'GET /api/v1/deployments/:name': on('read', 'deployment'),
  'GET /api/v1/deployments/:name/predictions': on('read', 'deployment'),
  'GET /api/v1/audit': on('audit.read', 'list'),
  'GET /api/v1/audit/verify': on('audit.read', 'global'),
  'GET /api/v1/users': on('admin', 'global'),
  'DELETE /api/v1/tokens/:id': on('admin', 'global'),
};

/** the model server */
export const SERVE_POLICIES: Readonly<Record<string, RoutePolicy>> = {
  'GET /health/live': open,
  'GET /health/ready': open,
  // counters and latency histograms only; scrape from a private network
  'GET /metrics': open,
  'POST /v1/models/:name/predict': on('predict', 'endpoint', true),
  'GET /v1/models/:name': on('predict', 'endpoint', true),
  'GET /v1/models/:name/schema': on('predict', 'endpoint', true),
  'GET /v1/models/:name/openapi.json': on('predict', 'endpoint', true),
  'GET /v1/deployments/:name': on('read', 'endpoint'),
  'POST /v1/deployments/:name/outcomes': on('outcomes.write', 'endpoint'),
  'POST /v1/admin/reload': on('deploy.reload', 'served'),
};

/** The table key of a route: `METHOD /path` (HEAD answers as its GET). */
export function routeKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`;
}
