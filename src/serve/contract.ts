// The request contract derived from the artifact's input schema: a JSON Schema for one instance and an OpenAPI
// document for the model's endpoints (served at /v1/models/<name>/schema and /v1/models/<name>/openapi.json).

import type { Schema } from '../data/index.ts';

/**
 * The JSON Schema of one instance. `missing` are the training data's missing markers: a nullable field also takes
 * one of them as text (the server reads it as missing, as training read it).
 */
export function instanceJsonSchema(schema: Schema, missing: readonly string[] = []): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const c of schema.columns) {
    let t: Record<string, unknown>;
    if (c.type === 'numeric') t = { type: 'number' };
    else if (c.type === 'boolean') t = { type: 'boolean' };
    else if (c.type === 'datetime')
      t = {
        anyOf: [
          { type: 'string', format: 'date-time' },
          { type: 'number', description: 'epoch milliseconds' },
        ],
      };
    else
      t = {
        type: 'string',
        ...(c.levels?.length
          ? { examples: c.levels.slice(0, 20), description: 'a category; unseen values are accepted' }
          : {}),
      };
    const marker =
      missing.length > 0 && c.type !== 'categorical'
        ? [{ type: 'string', enum: [...missing], description: 'a missing-value marker of the training data' }]
        : [];
    const nullable = c.imputed
      ? { description: 'never missing in training: a missing value is filled by the model pipeline' }
      : {};
    properties[c.name] = c.nullable ? { anyOf: [t, { type: 'null' }, ...marker], ...nullable } : t;
  }
  return {
    type: 'object',
    additionalProperties: false,
    required: schema.columns.map((c) => c.name),
    properties,
  };
}

export function modelOpenApi(o: {
  name: string;
  version: number;
  schema: Schema;
  task: string;
  classes: (string | number | boolean)[] | null;
  maxInstances: number;
  /** the training data's missing markers */
  missing?: readonly string[];
}): Record<string, unknown> {
  const instance = instanceJsonSchema(o.schema, o.missing);
  const prediction =
    o.task === 'regression'
      ? { type: 'object', required: ['value'], properties: { value: { type: 'number' } } }
      : {
          type: 'object',
          required: ['label', 'probabilities'],
          properties: {
            label: { enum: o.classes ?? [] },
            probabilities: {
              type: 'object',
              properties: Object.fromEntries(
                (o.classes ?? []).map((c) => [String(c), { type: 'number', minimum: 0, maximum: 1 }]),
              ),
            },
          },
        };
  const error = {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string' },
          message: { type: 'string' },
          details: {
            type: 'array',
            items: {
              type: 'object',
              properties: { code: { type: 'string' }, path: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: { title: `Keel model ${o.name}`, version: String(o.version) },
    paths: {
      [`/v1/models/${o.name}/predict`]: {
        post: {
          summary: `Predict with ${o.name} (${o.task})`,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    {
                      type: 'object',
                      required: ['instance'],
                      additionalProperties: false,
                      properties: { instance: { $ref: '#/components/schemas/Instance' } },
                    },
                    {
                      type: 'object',
                      required: ['instances'],
                      additionalProperties: false,
                      properties: {
                        instances: {
                          type: 'array',
                          minItems: 1,
                          maxItems: o.maxInstances,
                          items: { $ref: '#/components/schemas/Instance' },
                        },
                      },
                    },
                  ],
                },
              },
            },
          },
          responses: {
            200: {
              description: 'predictions, in request order',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      model: { type: 'string' },
                      version: { type: 'integer' },
                      arm: { type: 'string' },
                      predictions: { type: 'array', items: { $ref: '#/components/schemas/Prediction' } },
                    },
                  },
                },
              },
            },
            400: {
              description: 'invalid request, every bad field named',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
            413: { description: 'body too large' },
            415: { description: 'not JSON' },
            503: { description: 'not ready or overloaded (see Retry-After)' },
          },
        },
      },
    },
    components: { schemas: { Instance: instance, Prediction: prediction, Error: error } },
  };
}
