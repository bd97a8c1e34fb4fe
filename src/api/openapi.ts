// The OpenAPI 3.1 document of the platform API (served at /openapi.json).

import { API_POLICIES, routeKey } from '../auth/index.ts';
import { KEEL_VERSION } from '../flow/index.ts';

const err = {
  description: 'error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};
const json = (ref: string, description = 'ok') => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
const pathParam = (name: string, type = 'string') => ({ name, in: 'path', required: true, schema: { type } });
const query = (name: string, type = 'string', description?: string) => ({
  name,
  in: 'query',
  required: false,
  schema: { type },
  ...(description ? { description } : {}),
});

/** The route policy table's key of an OpenAPI path and method ({id} → :id; an artifact's {name} is the wildcard). */
function policyOf(method: string, p: string) {
  const url = p.replace('/artifacts/{name}', '/artifacts/*').replace(/\{(\w+)\}/g, ':$1');
  return API_POLICIES[routeKey(method.toUpperCase(), url)];
}

/** Each operation's security and permission, derived from the one policy table. */
function withPolicies(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }) {
  for (const [p, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) {
      const policy = policyOf(method, p);
      if (!policy) continue;
      op.security = policy.scope === 'public' ? [] : [{ bearer: [] }];
      op['x-keel-permission'] = policy.permission ?? (policy.scope === 'public' ? 'none' : 'any valid token');
      op['x-keel-scope'] = policy.scope;
    }
  return doc;
}

export function openApiDocument(): Record<string, unknown> {
  return withPolicies(document());
}

function document() {
  return {
    openapi: '3.1.0',
    security: [{ bearer: [] }],
    info: {
      title: 'Keel platform API',
      version: KEEL_VERSION,
      description:
        'Runs, artifacts, models, aliases, promotion gates, model cards, deployments and the audit log. Every route but /health and /openapi.json needs a token (Authorization: Bearer keel_…); each operation names the permission it needs (x-keel-permission) in the project of the object it names (x-keel-scope).',
    },
    servers: [{ url: 'http://127.0.0.1:7070' }],
    paths: {
      '/api/v1/runs': {
        get: {
          summary: 'List runs',
          parameters: [
            query('experiment'),
            query('status'),
            query('filter', 'string', "e.g. metrics.roc_auc > 0.9 and params.model = 'gradient_boosting'"),
            query('order', 'string', 'e.g. metrics.roc_auc desc'),
            query('limit', 'integer'),
            query('offset', 'integer'),
          ],
          responses: { 200: json('RunList'), 400: err },
        },
      },
      '/api/v1/runs/{id}': {
        get: { summary: 'One run', parameters: [pathParam('id')], responses: { 200: json('Run'), 404: err } },
        delete: {
          summary: 'Delete a run',
          parameters: [pathParam('id'), query('force', 'boolean')],
          responses: { 200: { description: 'deleted' }, 404: err, 409: err },
        },
      },
      '/api/v1/runs/{id}/manifest': {
        get: {
          summary: "A run's artifact manifest",
          parameters: [pathParam('id')],
          responses: { 200: json('Manifest'), 404: err },
        },
      },
      '/api/v1/runs/{id}/metrics/{key}': {
        get: {
          summary: 'History of one metric',
          parameters: [pathParam('id'), pathParam('key')],
          responses: { 200: { description: 'steps' } },
        },
      },
      '/api/v1/runs/{id}/artifacts/{name}': {
        get: {
          summary:
            "Download a run's artifact (name is a relative path; traversal, encodings and schemes are refused)",
          parameters: [pathParam('id'), pathParam('name')],
          responses: {
            200: { description: 'the bytes', content: { 'application/octet-stream': {} } },
            400: err,
            404: err,
            422: err,
          },
        },
      },
      '/api/v1/compare': {
        get: {
          summary: 'Runs side by side',
          parameters: [query('ids', 'string', 'comma-separated run ids')],
          responses: { 200: json('Comparison'), 400: err },
        },
      },
      '/api/v1/gc': {
        post: {
          summary: 'Collect unreferenced artifacts (dry run by default)',
          responses: { 200: json('GcReport') },
        },
      },
      '/api/v1/models': {
        get: { summary: 'Registered models', responses: { 200: { description: 'models' } } },
      },
      '/api/v1/models/{name}': {
        get: {
          summary: 'Versions and alias history',
          parameters: [pathParam('name')],
          responses: { 200: json('ModelDetail'), 404: err },
        },
      },
      '/api/v1/models/{name}/versions/{version}': {
        get: {
          summary: 'One version',
          parameters: [pathParam('name'), pathParam('version', 'integer')],
          responses: { 200: json('ModelVersion'), 404: err },
        },
      },
      '/api/v1/models/{name}/versions/{version}/card': {
        get: {
          summary: 'Model card',
          parameters: [
            pathParam('name'),
            pathParam('version', 'integer'),
            query('format', 'string', 'md (default) or html'),
          ],
          responses: {
            200: { description: 'the card', content: { 'text/markdown': {}, 'text/html': {} } },
            404: err,
          },
        },
        put: {
          summary: 'Fill in intended use and limitations',
          parameters: [pathParam('name'), pathParam('version', 'integer')],
          responses: { 200: json('ModelVersion') },
        },
      },
      '/api/v1/models/{name}/aliases/{alias}': {
        post: {
          summary: 'Promote a version to an alias through gates',
          parameters: [pathParam('name'), pathParam('alias')],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/PromoteRequest' } } },
          },
          responses: {
            200: { description: 'moved' },
            409: { description: 'a gate failed; the evaluation is in error.details' },
          },
        },
      },
      '/api/v1/models/{name}/evaluations': {
        get: {
          summary: 'Gate evaluations with evidence',
          parameters: [pathParam('name')],
          responses: { 200: { description: 'evaluations' } },
        },
      },
      '/api/v1/models/{name}/policies/{alias}': {
        put: {
          summary: "Set an alias's default gates",
          parameters: [pathParam('name'), pathParam('alias')],
          responses: { 200: { description: 'stored' } },
        },
      },
      '/api/v1/deployments': {
        get: { summary: 'Declared deployments', responses: { 200: { description: 'names' } } },
      },
      '/api/v1/deployments/{name}': {
        get: {
          summary: 'A deployment: spec, last reported state (traffic, canary, A/B, shadows) and events',
          parameters: [pathParam('name')],
          responses: { 200: { description: 'status' }, 404: err },
        },
        put: {
          summary: 'Declare or replace a deployment (weighted arms: A/B, canary, shadow)',
          parameters: [pathParam('name')],
          responses: { 200: { description: 'applied' }, 400: err },
        },
      },
      '/api/v1/deployments/{name}/predictions': {
        get: {
          summary: 'The sampled prediction log (sensitive fields redacted)',
          parameters: [pathParam('name'), query('limit', 'integer')],
          responses: { 200: { description: 'rows' } },
        },
      },
      '/health': {
        get: { summary: 'Liveness and the store in use', responses: { 200: { description: 'ok' } } },
      },
      '/openapi.json': {
        get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } },
      },
      '/api/v1/whoami': {
        get: {
          summary: 'The identity behind the token, its roles per project',
          responses: { 200: { description: 'identity' }, 401: err },
        },
      },
      '/api/v1/audit': {
        get: {
          summary: 'Audit log entries of the projects the token may audit, newest first',
          parameters: [query('limit', 'integer'), query('action')],
          responses: { 200: { description: 'entries' }, 401: err, 403: err },
        },
      },
      '/api/v1/audit/verify': {
        get: {
          summary: "Walk the audit log's hash chain",
          responses: { 200: { description: 'entries, head, problems' } },
        },
      },
      '/api/v1/users': {
        get: {
          summary: 'Identities with their roles (admin)',
          responses: { 200: { description: 'users' }, 403: err },
        },
      },
      '/api/v1/tokens/{id}': {
        delete: {
          summary: 'Revoke a token (admin)',
          parameters: [pathParam('id')],
          responses: { 200: { description: 'revoked' }, 404: err },
        },
      },
      '/auth/login': {
        get: {
          summary: 'Single sign-on: redirect to the identity provider',
          responses: { 302: { description: 'to the provider' }, 404: err },
        },
      },
      '/auth/callback': {
        get: {
          summary:
            'Single sign-on: the provider sends the browser back; a session token (also as an HttpOnly cookie)',
          parameters: [query('code'), query('state')],
          responses: { 200: { description: 'identity, token, expiresAt' }, 401: err, 403: err },
        },
      },
      '/auth/exchange': {
        post: {
          summary: "Trade the identity provider's ID token for a Keel token (scripts)",
          responses: { 200: { description: 'identity, token, expiresAt' }, 401: err, 403: err },
        },
      },
      '/auth/logout': {
        post: {
          summary: "Revoke the session's token",
          responses: { 200: { description: 'logged out' }, 401: err },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'keel tokens create <name>' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
            },
          },
        },
        Run: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            experiment: { type: 'string' },
            parentId: { type: ['string', 'null'] },
            name: { type: 'string' },
            status: { enum: ['running', 'finished', 'failed', 'killed'] },
            startedAt: { type: 'string' },
            endedAt: { type: ['string', 'null'] },
            params: { type: 'object', additionalProperties: { type: 'string' } },
            metrics: { type: 'object', additionalProperties: { type: 'number' } },
            tags: { type: 'object', additionalProperties: { type: 'string' } },
            artifacts: { type: 'array', items: { $ref: '#/components/schemas/Artifact' } },
          },
        },
        Artifact: {
          type: 'object',
          properties: { name: { type: 'string' }, sha256: { type: 'string' }, size: { type: 'integer' } },
        },
        RunList: {
          type: 'object',
          properties: {
            runs: { type: 'array', items: { $ref: '#/components/schemas/Run' } },
            total: { type: 'integer' },
            limit: { type: 'integer' },
            offset: { type: 'integer' },
          },
        },
        Manifest: {
          type: 'object',
          properties: {
            run_id: { type: 'string' },
            sha256: { type: 'string' },
            artifacts: { type: 'array', items: { $ref: '#/components/schemas/Artifact' } },
          },
        },
        Comparison: { type: 'object' },
        GcReport: { type: 'object' },
        ModelVersion: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            version: { type: 'integer' },
            runId: { type: 'string' },
            aliases: { type: 'array', items: { type: 'string' } },
          },
        },
        ModelDetail: { type: 'object' },
        PromoteRequest: {
          type: 'object',
          required: ['version', 'reason'],
          properties: {
            version: { type: 'integer' },
            reason: { type: 'string' },
            gates: { type: 'array', items: { type: 'string' } },
            override: { type: 'string' },
            actor: { type: 'string' },
          },
        },
      },
    },
  };
}
