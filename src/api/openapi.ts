// The OpenAPI 3.1 document of the platform API (served at /openapi.json).

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

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Keel platform API',
      version: KEEL_VERSION,
      description: 'Runs, artifacts, models, aliases, promotion gates and model cards.',
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
    },
    components: {
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
