// The model server's routes besides prediction: health, Prometheus metrics, model metadata, the instance schema, the
// OpenAPI document, and a deployment's state and outcomes. Errors go out in the catalog's shape and status.

import type { FastifyInstance, FastifyReply } from 'fastify';
import { instanceJsonSchema, modelOpenApi } from './contract.ts';
import type { Endpoint } from './endpoint.ts';
import { notServed, ServeErrors } from './errors.ts';
import type { ServeMetrics } from './metrics.ts';
import { sendError } from './reply.ts';

export interface InfoContext {
  endpoints: ReadonlyMap<string, Endpoint>;
  isReady: () => boolean;
  metrics: ServeMetrics;
  maxInstances: number;
}

export function registerInfoRoutes(app: FastifyInstance, c: InfoContext): void {
  const { endpoints, metrics, maxInstances } = c;
  app.get('/health/live', async () => ({ status: 'live' }));
  app.get('/health/ready', async (_req, reply) => {
    if (!c.isReady()) return sendError(reply, ServeErrors.NOT_READY, 'not ready (loading or shutting down)');
    return {
      status: 'ready',
      models: [...endpoints.values()].map((e) => ({
        name: e.name,
        versions: e.arms.map((a) => a.model.version),
      })),
    };
  });
  app.get('/metrics', async (_req, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  const endpointOf = (name: string, reply: FastifyReply): Endpoint | null => {
    const e = endpoints.get(name);
    if (!e) sendError(reply, ServeErrors.MODEL_NOT_FOUND, notServed(name));
    return e ?? null;
  };

  app.get<{ Params: { name: string } }>('/v1/models/:name', async (req, reply) => {
    const e = endpointOf(req.params.name, reply);
    if (!e) return reply;
    const m = e.live[0].model;
    const p = m.artifact.pipeline;
    return {
      name: e.name,
      version: m.version,
      artifact_sha256: m.artifactSha256,
      task: p.task,
      target: p.target,
      classes: p.classes,
      model: p.model.kind,
      input_schema: m.schema,
      metrics: m.artifact.metrics,
      deployment: e.snapshot(),
    };
  });
  app.get<{ Params: { name: string } }>('/v1/models/:name/schema', async (req, reply) => {
    const e = endpointOf(req.params.name, reply);
    return e ? instanceJsonSchema(e.live[0].model.schema, e.live[0].model.reader.rules.missing) : reply;
  });
  app.get<{ Params: { name: string } }>('/v1/models/:name/openapi.json', async (req, reply) => {
    const e = endpointOf(req.params.name, reply);
    if (!e) return reply;
    const m = e.live[0].model;
    return modelOpenApi({
      name: e.name,
      version: m.version,
      schema: m.schema,
      task: m.artifact.pipeline.task,
      classes: m.artifact.pipeline.classes,
      maxInstances,
      missing: m.reader.rules.missing,
    });
  });

  app.get<{ Params: { name: string } }>('/v1/deployments/:name', async (req, reply) => {
    const e = endpointOf(req.params.name, reply);
    return e ? e.snapshot() : reply;
  });
  app.post<{
    Params: { name: string };
    Body: { arm?: string; value?: number; outcomes?: { arm: string; value: number }[] };
  }>('/v1/deployments/:name/outcomes', async (req, reply) => {
    const e = endpointOf(req.params.name, reply);
    if (!e) return reply;
    if (!e.ab && !e.canary?.spec.metric) {
      return sendError(
        reply,
        ServeErrors.BAD_REQUEST,
        `deployment ${e.name} has no A/B test and no canary metric to feed`,
      );
    }
    const list = req.body?.outcomes ?? [{ arm: req.body?.arm as string, value: req.body?.value as number }];
    const arms = new Set(e.live.map((a) => a.spec.name));
    const bad = list.findIndex(
      (x) => !x || !arms.has(x.arm) || typeof x.value !== 'number' || !Number.isFinite(x.value),
    );
    if (bad >= 0)
      return sendError(
        reply,
        ServeErrors.BAD_REQUEST,
        `outcome ${bad}: needs {arm: one of ${[...arms].join(', ')}, value: a finite number}`,
      );
    for (const x of list) {
      e.ab?.add(x.arm, x.value);
      const arm = e.live.find((a) => a.spec.name === x.arm);
      if (e.canary && arm) e.canary.recordOutcome(arm.spec.canary ? 'canary' : 'baseline', x.value);
    }
    return { ab_test: e.ab?.result() ?? null, canary: e.canary?.snapshot() ?? null };
  });
}
