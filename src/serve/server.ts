// The model server (Fastify): predict with schema validation, model metadata, liveness and readiness.
// Never loads training code: models come from the registry through inference-only modules.

import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';

import type { ModelRegistry } from '../registry/index.ts';
import { type FieldError, ServeErrors, STATUS_OF } from './errors.ts';
import { type LoadedModel, loadModel } from './model.ts';
import { validatePredictBody } from './validate.ts';

export interface ModelServerOptions {
  registry: ModelRegistry;
  /** model references to serve, e.g. ["adult@champion"] */
  refs: string[];
  host?: string;
  port?: number;
  maxInstances?: number;
  /** largest request body in bytes */
  bodyLimit?: number;
  log?: (line: string) => void;
  /** re-resolve the references this often and hot-swap moved versions (0 = never) */
  pollMs?: number;
}

export interface ModelServer {
  app: FastifyInstance;
  url: string;
  port: number;
  models: Map<string, LoadedModel>;
  /** re-resolve the references now and swap in versions that moved (see buildModelServer) */
  reload(): Promise<ReloadOutcome[]>;
  close(): Promise<void>;
}

function sendError(reply: FastifyReply, code: string, message: string, details?: FieldError[]): FastifyReply {
  return reply
    .code(STATUS_OF[code] ?? 500)
    .send({ error: { code, message, ...(details ? { details } : {}) } });
}

export async function buildModelServer(o: ModelServerOptions): Promise<{
  app: FastifyInstance;
  models: Map<string, LoadedModel>;
  reload: () => Promise<ReloadOutcome[]>;
}> {
  const maxInstances = o.maxInstances ?? 1000;
  const models = new Map<string, LoadedModel>();
  let ready = false;
  const app = Fastify({
    logger: false,
    bodyLimit: o.bodyLimit ?? 1024 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    genReqId: () => randomUUID(),
  });

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, _req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return sendError(reply, ServeErrors.TOO_LARGE, 'request body is too large');
    if (err.statusCode === 400 || err.code?.startsWith('FST_ERR_CTP')) {
      return sendError(reply, ServeErrors.BAD_JSON, `the body is not acceptable JSON: ${err.message}`);
    }
    if (err.statusCode === 415)
      return sendError(reply, ServeErrors.BAD_REQUEST, 'send Content-Type: application/json');
    o.log?.(`internal error: ${err.message}`);
    return sendError(reply, ServeErrors.INTERNAL, 'internal error');
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, ServeErrors.MODEL_NOT_FOUND, `no route ${req.method} ${req.url}`),
  );

  app.get('/health/live', async () => ({ status: 'live' }));
  app.get('/health/ready', async (_req, reply) => {
    if (!ready) return sendError(reply, ServeErrors.NOT_READY, 'models are loading');
    return {
      status: 'ready',
      models: [...models.values()].map((m) => ({ name: m.name, version: m.version })),
    };
  });

  app.get<{ Params: { name: string } }>('/v1/models/:name', async (req, reply) => {
    const m = models.get(req.params.name);
    if (!m)
      return sendError(
        reply,
        ServeErrors.MODEL_NOT_FOUND,
        `no model named "${req.params.name}" is served here`,
      );
    const p = m.artifact.pipeline;
    return {
      name: m.name,
      version: m.version,
      ref: m.ref,
      artifact_sha256: m.artifactSha256,
      task: p.task,
      target: p.target,
      classes: p.classes,
      model: p.model.kind,
      input_schema: p.inputSchema,
      metrics: m.artifact.metrics,
    };
  });

  app.post<{ Params: { name: string } }>('/v1/models/:name/predict', async (req, reply) => {
    const m = models.get(req.params.name);
    if (!m)
      return sendError(
        reply,
        ServeErrors.MODEL_NOT_FOUND,
        `no model named "${req.params.name}" is served here`,
      );
    const v = validatePredictBody(req.body, m.schema, { maxInstances });
    if (!v.ok) {
      const first = v.errors[0];
      return sendError(
        reply,
        ServeErrors.SCHEMA_MISMATCH,
        `${first.path || 'body'}: ${first.message}${v.errors.length > 1 ? ` (and ${v.errors.length - 1} more)` : ''}`,
        v.errors,
      );
    }
    const out = m.predict(v.frame);
    const classes = m.artifact.pipeline.classes ?? [];
    const predictions = [];
    for (let i = 0; i < v.count; i++) {
      if (out.values) {
        predictions.push({ value: out.values[i] });
      } else {
        const probs = out.probabilities as Float64Array;
        const K = classes.length;
        const probabilities: Record<string, number> = {};
        for (let k = 0; k < K; k++) probabilities[String(classes[k])] = probs[i * K + k];
        predictions.push({ label: (out.labels as unknown[])[i], probabilities });
      }
    }
    reply.header('x-request-id', req.id);
    return { model: m.name, version: m.version, task: m.artifact.pipeline.task, predictions };
  });

  for (const ref of o.refs) {
    const m = await loadModel(o.registry, ref);
    if (models.has(m.name)) throw new Error(`model ${m.name} is listed twice`);
    models.set(m.name, m);
    o.log?.(`loaded ${ref} → ${m.name} version ${m.version} (${m.artifact.pipeline.model.kind})`);
  }
  ready = true;

  /**
   * Follow the references: a version that moved is loaded, verified and warmed beside the old one, then swapped in
   * with one assignment (requests already running finish on the model they started with). A version that fails to
   * load — a tampered or truncated artifact — is refused and the previous one keeps serving.
   */
  const reload = async (): Promise<ReloadOutcome[]> => {
    const outcomes: ReloadOutcome[] = [];
    for (const ref of o.refs) {
      const current = [...models.values()].find((m) => m.ref === ref);
      try {
        const mv = await o.registry.resolve(ref);
        if (current && current.version === mv.version) {
          outcomes.push({ ref, status: 'unchanged', version: mv.version });
          continue;
        }
        const next = await loadModel(o.registry, ref);
        models.set(next.name, next);
        o.log?.(`swapped ${ref}: version ${current?.version ?? '—'} → ${next.version}`);
        outcomes.push({ ref, status: 'swapped', version: next.version, from: current?.version });
      } catch (err) {
        o.log?.(`kept ${ref} at version ${current?.version ?? '—'}: ${(err as Error).message}`);
        outcomes.push({ ref, status: 'kept', version: current?.version, error: (err as Error).message });
      }
    }
    return outcomes;
  };
  if (o.pollMs && o.pollMs > 0) {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      void reload().finally(() => {
        busy = false;
      });
    }, o.pollMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  return { app, models, reload };
}

export interface ReloadOutcome {
  ref: string;
  status: 'unchanged' | 'swapped' | 'kept';
  version?: number;
  from?: number;
  error?: string;
}

export async function startModelServer(o: ModelServerOptions): Promise<ModelServer> {
  const { app, models, reload } = await buildModelServer(o);
  try {
    await app.listen({ host: o.host ?? '127.0.0.1', port: o.port ?? 8080 });
  } catch (err) {
    await app.close();
    throw err;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (o.port ?? 8080);
  const host = o.host ?? '127.0.0.1';
  return { app, models, reload, port, url: `http://${host}:${port}`, close: () => app.close() };
}
