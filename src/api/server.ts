// The platform HTTP API (Fastify, 127.0.0.1 by default): runs, artifacts, models, aliases, gates and cards.
// Errors are {error: {code, message}} with a status chosen from the code; artifact names are confined to their run.

import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { isKeelError, KeelError, SECURITY_HEADERS } from '../core/index.ts';
import { type DeploymentSpec, DeploymentStore, type ModelRegistry, modelCard } from '../registry/index.ts';
import {
  compareRuns,
  RUN_STATUSES,
  type RunStatus,
  type SqlRunStore,
  safeArtifactName,
} from '../track/index.ts';
import { ApiErrors, statusOf } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import type { CardUpdate, ListRunsQuery, PromoteRequest } from './types.ts';

export interface ApiOptions {
  store: SqlRunStore;
  registry: ModelRegistry;
  log?: (line: string) => void;
}

function fail(reply: FastifyReply, code: string, message: string, details?: unknown): FastifyReply {
  return reply
    .code(statusOf(code))
    .send({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

/** The longest text each kind of field takes (characters): a body under the size limit can still not bloat the store. */
const FIELD_LIMITS = { card: 20_000, reason: 1_000, actor: 200, gate: 200, gates: 50 } as const;

function limitText(field: string, value: string, max: number): void {
  if (value.length > max)
    throw badRequest(`${field} is ${value.length} characters long; at most ${max} are kept`);
}

function badRequest(message: string): KeelError {
  return new KeelError(ApiErrors.BAD_REQUEST, message);
}

export async function buildApi(o: ApiOptions): Promise<FastifyInstance> {
  const { store, registry } = o;
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });

  app.setErrorHandler((err: Error & { statusCode?: number; keelCode?: string }, _req, reply) => {
    if (isKeelError(err))
      return fail(reply, err.code, err.message, err.details?.evaluation ?? err.details?.problems);
    if (err.keelCode) return fail(reply, err.keelCode, err.message);
    if (err.statusCode && err.statusCode < 500) return fail(reply, ApiErrors.BAD_REQUEST, err.message);
    o.log?.(`api internal error: ${err.stack ?? err.message}`);
    return fail(reply, ApiErrors.INTERNAL, 'internal error');
  });
  app.setNotFoundHandler((req, reply) =>
    fail(reply, ApiErrors.NOT_FOUND, `no route ${req.method} ${req.url}`),
  );

  app.get('/health', async () => ({ status: 'ok', store: store.sql.dialect }));
  app.get('/openapi.json', async () => openApiDocument());

  app.get<{ Querystring: Record<string, string> }>('/api/v1/runs', async (req) => {
    const q = req.query as ListRunsQuery & Record<string, string>;
    if (q.status && !RUN_STATUSES.includes(q.status as RunStatus))
      throw badRequest(`status must be one of ${RUN_STATUSES.join(', ')}`);
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    const offset = q.offset === undefined ? 0 : Number(q.offset);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw badRequest('limit must be an integer from 1 to 1000');
    if (!Number.isInteger(offset) || offset < 0) throw badRequest('offset must be a non-negative integer');
    const opts = {
      experiment: q.experiment,
      status: q.status as RunStatus | undefined,
      filter: q.filter,
      orderBy: q.order,
      limit,
      offset,
    };
    const [runs, total] = await Promise.all([store.listRuns(opts), store.countRuns(opts)]);
    return { runs, total, limit, offset };
  });
  app.get<{ Params: { id: string } }>('/api/v1/runs/:id', async (req) => store.getRun(req.params.id));
  app.delete<{ Params: { id: string }; Querystring: { force?: string } }>('/api/v1/runs/:id', async (req) => {
    await store.deleteRun(req.params.id, { force: req.query.force === 'true' });
    return { deleted: req.params.id };
  });
  app.get<{ Params: { id: string } }>('/api/v1/runs/:id/manifest', async (req) =>
    store.manifest(req.params.id),
  );
  app.get<{ Params: { id: string; key: string } }>('/api/v1/runs/:id/metrics/:key', async (req) => ({
    key: req.params.key,
    history: await store.metricHistory(req.params.id, req.params.key),
  }));
  app.get<{ Params: { id: string; '*': string } }>('/api/v1/runs/:id/artifacts/*', async (req, reply) => {
    const name = safeArtifactName(req.params['*']);
    const bytes = await store.readRunArtifact(req.params.id, name);
    return reply
      .type(name.endsWith('.json') ? 'application/json' : 'application/octet-stream')
      .header('cache-control', 'no-store')
      .send(bytes);
  });
  app.get<{ Querystring: { ids?: string } }>('/api/v1/compare', async (req) => {
    const ids = (req.query.ids ?? '').split(',').filter(Boolean);
    if (ids.length < 2 || ids.length > 20) throw badRequest('ids takes 2 to 20 comma-separated run ids');
    return compareRuns(await Promise.all(ids.map((id) => store.getRun(id))));
  });
  app.post<{ Body: { dryRun?: boolean; minAgeMs?: number } }>('/api/v1/gc', async (req) =>
    store.collectGarbage({ dryRun: req.body?.dryRun ?? true, minAgeMs: req.body?.minAgeMs }),
  );

  app.get('/api/v1/models', async () => ({ models: await registry.listModels() }));
  app.get<{ Params: { name: string } }>('/api/v1/models/:name', async (req) => {
    const versions = await registry.listVersions(req.params.name);
    if (versions.length === 0) await registry.resolve(req.params.name); // throws a coded 404
    return { name: req.params.name, versions, history: await registry.aliasHistory(req.params.name) };
  });
  app.get<{ Params: { name: string; version: string } }>(
    '/api/v1/models/:name/versions/:version',
    async (req) => registry.get(req.params.name, versionOf(req.params.version)),
  );
  app.get<{ Params: { name: string; version: string }; Querystring: { format?: string } }>(
    '/api/v1/models/:name/versions/:version/card',
    async (req, reply) => {
      const card = await modelCard(registry, req.params.name, versionOf(req.params.version));
      if (req.query.format === 'html') return reply.type('text/html; charset=utf-8').send(card.html);
      return reply.type('text/markdown; charset=utf-8').send(card.markdown);
    },
  );
  app.put<{ Params: { name: string; version: string }; Body: CardUpdate }>(
    '/api/v1/models/:name/versions/:version/card',
    async (req) => {
      const body = req.body ?? {};
      for (const [k, v] of Object.entries(body)) {
        if (typeof v !== 'string') throw badRequest(`${k} must be a string`);
        limitText(k, v, FIELD_LIMITS.card);
      }
      return registry.updateCard(req.params.name, versionOf(req.params.version), body);
    },
  );
  app.post<{ Params: { name: string; alias: string }; Body: PromoteRequest }>(
    '/api/v1/models/:name/aliases/:alias',
    async (req) => {
      const b = req.body;
      if (!b || !Number.isInteger(b.version) || typeof b.reason !== 'string' || b.reason.trim() === '') {
        throw badRequest('body needs {"version": <integer>, "reason": "<why>"}');
      }
      limitText('reason', b.reason, FIELD_LIMITS.reason);
      if (b.override !== undefined) limitText('override', String(b.override), FIELD_LIMITS.reason);
      if (b.actor !== undefined) limitText('actor', String(b.actor), FIELD_LIMITS.actor);
      if (b.gates !== undefined) {
        if (!Array.isArray(b.gates) || b.gates.length > FIELD_LIMITS.gates)
          throw badRequest(`gates must be a list of at most ${FIELD_LIMITS.gates} specs`);
        for (const g of b.gates)
          limitText('gate', typeof g === 'string' ? g : JSON.stringify(g), FIELD_LIMITS.gate);
      }
      return registry.promote({
        name: req.params.name,
        alias: req.params.alias,
        version: b.version,
        reason: b.reason,
        gates: b.gates,
        override: b.override,
        actor: b.actor,
      });
    },
  );
  app.get<{ Params: { name: string } }>('/api/v1/models/:name/evaluations', async (req) => ({
    evaluations: await registry.evaluations(req.params.name),
  }));
  app.put<{ Params: { name: string; alias: string }; Body: { gates?: string[] } }>(
    '/api/v1/models/:name/policies/:alias',
    async (req) => {
      const gates = req.body?.gates;
      if (!Array.isArray(gates) || gates.some((g) => typeof g !== 'string'))
        throw badRequest('body needs {"gates": ["spec", ...]}');
      if (gates.length > FIELD_LIMITS.gates) throw badRequest(`at most ${FIELD_LIMITS.gates} gates`);
      for (const g of gates) limitText('gate', g, FIELD_LIMITS.gate);
      await registry.setPolicy(req.params.name, req.params.alias, gates);
      return { name: req.params.name, alias: req.params.alias, gates };
    },
  );
  // deployments: declared by API call as well as from a file (keel deploy apply)
  const deployments = await DeploymentStore.open(store);
  app.get('/api/v1/deployments', async () => ({ deployments: await deployments.list() }));
  app.put<{ Params: { name: string }; Body: DeploymentSpec }>('/api/v1/deployments/:name', async (req) => {
    const spec = req.body;
    if (!spec || typeof spec !== 'object' || spec.name !== req.params.name)
      throw badRequest('the body is a deployment whose name matches the URL');
    await deployments.apply(spec);
    return { applied: spec.name };
  });
  app.get<{ Params: { name: string } }>('/api/v1/deployments/:name', async (req) => ({
    spec: await deployments.get(req.params.name),
    state: await deployments.state(req.params.name),
    events: await deployments.events(req.params.name),
  }));
  app.get<{ Params: { name: string }; Querystring: { limit?: string } }>(
    '/api/v1/deployments/:name/predictions',
    async (req) => ({
      predictions: await deployments.predictions(
        req.params.name,
        Math.min(1000, Number(req.query.limit ?? 100) || 100),
      ),
    }),
  );
  return app;
}

function versionOf(v: string): number {
  if (!/^\d+$/.test(v)) throw badRequest(`version must be a positive integer, got "${v}"`);
  return Number(v);
}

export async function startApi(
  o: ApiOptions & { host?: string; port?: number },
): Promise<{ app: FastifyInstance; url: string; close: () => Promise<void> }> {
  const app = await buildApi(o);
  const host = o.host ?? '127.0.0.1';
  await app.listen({ host, port: o.port ?? 7070 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (o.port ?? 7070);
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}
