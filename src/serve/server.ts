// The model server (Fastify): validated predictions routed over weighted arms (A/B, canary, shadow), model schema and
// OpenAPI from the artifact, health, Prometheus metrics, overload shedding, hot swap, graceful shutdown.
// Never loads training code: models come from the registry through inference-only modules.

import { randomUUID } from 'node:crypto';
import os from 'node:os';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  AuthErrors,
  type AuthStore,
  hostAllowlist,
  installGuard,
  isLoopback,
  SERVE_POLICIES,
} from '../auth/index.ts';
import { KeelError, SECURITY_HEADERS } from '../core/index.ts';
import {
  type DeploymentSpec,
  type DeploymentStore,
  type ModelRegistry,
  RegistryErrors,
} from '../registry/index.ts';
import { type AnswerParts, answerJson, makeAnswerParts, predictionObjects } from './answer.ts';
import { type ArmLoader, loadEndpoint, type ReloadOutcome, reloadEndpoints } from './arms.ts';
import type { Answer, Endpoint, ScoreInput } from './endpoint.ts';
import { notServed, ServeErrors } from './errors.ts';
import { acceptJsonBodies, type BodyText } from './http.ts';
import { ServeMetrics } from './metrics.ts';
import { PredictionLog, redact } from './predlog.ts';
import { sendError } from './reply.ts';
import { registerInfoRoutes } from './routes.ts';
import type { ShadowFault } from './shadow.ts';
import { validatePredictBody } from './validate.ts';

export interface ModelServerOptions {
  registry: ModelRegistry;
  /** model references served as single-arm endpoints, e.g. ["adult@champion"] */
  refs?: string[];
  /** declared deployments (A/B, canary, shadow, batching, logging) */
  deployments?: DeploymentSpec[];
  /** where canary events, runtime state and the prediction log go */
  deploymentStore?: DeploymentStore;
  host?: string;
  port?: number;
  maxInstances?: number;
  /** largest request body in bytes */
  bodyLimit?: number;
  /** requests admitted at once (received, queued or being scored) before new ones are shed with 503 + Retry-After */
  maxInFlight?: number;
  /** rows admitted at once (estimated from Content-Length until the body is read) before shedding */
  maxRowsInFlight?: number;
  /**
   * shed new predict requests while the event loop is this many ms behind (default 0 = never; `keel serve` uses
   * 1000): scoring is synchronous, so a queue forms in socket buffers where no counter sees it — the loop's
   * lateness does
   */
  maxQueueMs?: number;
  /** where tokens are checked; without it every route that needs a token answers 401 */
  auth?: AuthStore;
  /** predict and model-metadata routes of deployments that do not say: open to anyone, or token only (default open) */
  access?: 'open' | 'token';
  /** Host names answered besides loopback names and the listen address ('*': any) */
  allowHosts?: string[];
  /** a request's headers must arrive within this (default 10 s), the whole request within requestTimeoutMs (30 s) */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** re-resolve the references this often and hot-swap moved versions (0 = never) */
  pollMs?: number;
  /** share of requests written to the prediction log when a deployment does not say */
  logSampleRate?: number;
  log?: (line: string) => void;
  /** how long a shadow may take before its copy counts as failed (default 2000 ms) */
  shadowTimeoutMs?: number;
  /** resilience tests only: make a shadow arm's worker throw or never answer */
  shadowFaults?: Record<string, ShadowFault>;
}

export interface BuiltServer {
  app: FastifyInstance;
  endpoints: Map<string, Endpoint>;
  metrics: ServeMetrics;
  /** re-resolve every arm's reference and swap in versions that moved; a version that fails to load is refused */
  reload(): Promise<ReloadOutcome[]>;
  /** readiness turns 503 at once; after drainMs the listener closes, in-flight requests finish, at most deadlineMs */
  shutdown(o?: { drainMs?: number; deadlineMs?: number }): Promise<void>;
}

export interface ModelServer extends BuiltServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Request ids: a random prefix fixed at start (48 bits, so servers and restarts do not collide) and a counter —
 * unique like a UUID per request, without drawing random bytes for each.
 */
function requestIds(): () => string {
  const prefix = randomUUID().replaceAll('-', '').slice(0, 12);
  let seq = 0;
  return () => `${prefix}-${(++seq).toString(36)}`;
}

export async function buildModelServer(o: ModelServerOptions): Promise<BuiltServer> {
  const maxInstances = o.maxInstances ?? 1000;
  const maxInFlight = o.maxInFlight ?? 512;
  const maxRowsInFlight = o.maxRowsInFlight ?? Math.max(maxInstances, 50_000);
  const endpoints = new Map<string, Endpoint>();
  /** each endpoint's project: whose tokens may call it */
  const projects = new Map<string, string>();
  let ready = false;
  // while draining every answer says Connection: close, so keep-alive clients reconnect elsewhere, not into a reset
  let draining = false;
  // admitted work: requests (and their rows) from the moment their headers arrive until their answer is written —
  // scoring is synchronous, so counting only the handler's own work would never see a queue
  let inFlight = 0;
  let rowsInFlight = 0;
  /** bytes per row of recent bodies, to estimate a request's rows from its Content-Length */
  let bytesPerRow = 64;
  const metrics = new ServeMetrics(() => inFlight);
  const headersTimeout = o.headersTimeoutMs ?? 10_000;
  const requestTimeout = o.requestTimeoutMs ?? 30_000;
  const app = Fastify({
    logger: false,
    bodyLimit: o.bodyLimit ?? 1024 * 1024,
    genReqId: requestIds(),
    return503OnClosing: true,
    requestTimeout,
    // slow clients are cut: the checks run every second, not every 30 s (Node's default)
    http: {
      headersTimeout,
      requestTimeout,
      connectionsCheckingInterval: Math.min(1000, headersTimeout),
    } as object,
  });
  const serverId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const accessOfEndpoint = (name: string) => endpoints.get(name)?.spec.access ?? o.access ?? 'open';
  installGuard(app, {
    policies: SERVE_POLICIES,
    auth: o.auth ?? null,
    hostAllowed: hostAllowlist(o.host ?? '127.0.0.1', o.allowHosts),
    isOpen: (req) => accessOfEndpoint((req.params as { name: string }).name) === 'open',
    projectOf: (_scope, req) => projects.get((req.params as { name: string }).name),
    hidden: (_scope, req) =>
      new KeelError(ServeErrors.MODEL_NOT_FOUND, notServed((req.params as { name: string }).name)),
    served: () => [...new Set(projects.values())],
    remember: false,
  });
  const store = o.deploymentStore;
  const predlog = new PredictionLog({
    sink: async (rows) => store?.logPredictions(rows),
    onError: (err) => o.log?.(`prediction log: ${(err as Error).message}`),
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    if (draining) reply.header('connection', 'close');
    return payload;
  });
  // admission: a predict request is counted from its headers to its answer; past the bound in requests or in
  // (estimated) rows, or while the loop runs late, it is shed at once with Retry-After, before its body is read,
  // rather than queued until clients time out
  const PREDICT = '/v1/models/:name/predict';
  const maxQueueMs = o.maxQueueMs ?? 0;
  const TICK_MS = 5;
  let tickDue = performance.now() + TICK_MS;
  if (maxQueueMs > 0) {
    // the loop's lateness is read off a timer that wants to run every TICK_MS (kept only when it is used)
    const lagTimer = setInterval(() => {
      tickDue = performance.now() + TICK_MS;
    }, TICK_MS);
    lagTimer.unref();
    app.addHook('onClose', async () => clearInterval(lagTimer));
  }
  app.addHook('onRequest', (req, reply, done) => {
    if (req.routeOptions.url !== PREDICT || req.method !== 'POST') return done();
    const length = Number(req.headers['content-length'] ?? 0);
    const rows = Math.max(1, Math.ceil(length / bytesPerRow));
    const why =
      inFlight >= maxInFlight
        ? `over ${maxInFlight} requests in flight`
        : inFlight > 0 && rowsInFlight + rows > maxRowsInFlight
          ? `over ${maxRowsInFlight} rows in flight`
          : // how long the loop has been kept from its timers: requests read now waited about that long in sockets
            maxQueueMs > 0 && performance.now() - tickDue > maxQueueMs
            ? `requests queue for over ${maxQueueMs} ms`
            : null;
    if (why) {
      const name = (req.params as { name: string }).name;
      metrics.errors.inc({ model: name, code: ServeErrors.OVERLOADED });
      reply.header('retry-after', '1');
      sendError(reply, ServeErrors.OVERLOADED, `${why}; retry shortly`);
      return;
    }
    inFlight++;
    rowsInFlight += rows;
    let left = false;
    reply.raw.once('close', () => {
      if (left) return;
      left = true;
      inFlight--;
      rowsInFlight -= rows;
    });
    done();
  });
  acceptJsonBodies(app, o.log);
  registerInfoRoutes(app, { endpoints, isReady: () => ready, metrics, maxInstances });
  app.post('/v1/admin/reload', async () => ({ reloaded: await reload() }));

  app.post<{ Params: { name: string } }>(PREDICT, (req, reply) => {
    const e = endpoints.get(req.params.name);
    if (!e) {
      metrics.errors.inc({ model: req.params.name, code: ServeErrors.MODEL_NOT_FOUND });
      sendError(reply, ServeErrors.MODEL_NOT_FOUND, notServed(req.params.name));
      return;
    }
    const out = predict(e, req, reply);
    // batched or fallen-back requests: Fastify sends what the promise resolves to
    if (out instanceof Promise) return out;
    if (out !== reply) reply.send(out);
  });

  const failed = (e: Endpoint, reply: FastifyReply, err: unknown): FastifyReply => {
    metrics.errors.inc({ model: e.name, code: ServeErrors.PREDICT_FAILED });
    o.log?.(`${e.name}: prediction failed: ${(err as Error).message}`);
    return sendError(reply, ServeErrors.PREDICT_FAILED, 'the model failed to score this request');
  };

  /** The response body, a promise of it (batched arms), or the reply when an error was already sent. */
  const predict = (e: Endpoint, req: FastifyRequest, reply: FastifyReply): unknown => {
    const live = e.live[0].model;
    const v = validatePredictBody(req.body, live.schema, { maxInstances }, live.reader);
    if (!v.ok) {
      const first = v.errors[0];
      metrics.errors.inc({ model: e.name, code: ServeErrors.SCHEMA_MISMATCH });
      const more = v.errors.length > 1 ? ` (and ${v.errors.length - 1} more)` : '';
      return sendError(
        reply,
        ServeErrors.SCHEMA_MISMATCH,
        `${first.path || 'body'}: ${first.message}${more}`,
        v.errors,
      );
    }
    v.text = (req as unknown as BodyText).keelBodyText;
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > 0 && v.count > 0) bytesPerRow = 0.9 * bytesPerRow + 0.1 * (length / v.count);
    const key = e.live.length > 1 ? req.headers[e.stickyHeader] : undefined;
    let pending: Answer | Promise<Answer>;
    try {
      pending = e.answerNow(v, typeof key === 'string' ? key : undefined);
    } catch (err) {
      return failed(e, reply, err);
    }
    if (pending instanceof Promise) {
      return pending.then(
        (a) => respond(e, req, reply, v, a),
        (err) => {
          failed(e, reply, err);
          return undefined;
        },
      );
    }
    return respond(e, req, reply, v, pending);
  };

  /** What a response needs of one (arm, model) pair, made once: its metrics and the fixed head of its JSON. */
  const answerParts = (e: Endpoint, answer: Answer): AnswerParts => {
    const cache = answer.arm.answerCache;
    if (cache && cache.model === answer.model) return cache.parts;
    const parts = makeAnswerParts(e.name, answer.arm.spec.name, answer.model, metrics);
    // the arm may have been swapped meanwhile: cache only the model it serves now
    if (answer.arm.model === answer.model) answer.arm.answerCache = { model: answer.model, parts };
    return parts;
  };

  const respond = (e: Endpoint, req: FastifyRequest, reply: FastifyReply, v: ScoreInput, answer: Answer) => {
    const { arm, model, output } = answer;
    const parts = answerParts(e, answer);
    parts.stats.record(answer.latencyMs / 1000, v.count);
    e.shadow(v, output);
    const rate = e.spec.logSampleRate ?? o.logSampleRate ?? 0;
    if (store && rate > 0) {
      const body = req.body as { instances?: unknown[]; instance?: unknown };
      predlog.maybeRecord(rate, () => ({
        id: req.id,
        at: new Date().toISOString(),
        endpoint: e.name,
        model: model.name,
        version: model.version,
        arm: arm.spec.name,
        latencyMs: answer.latencyMs,
        input: redact((body.instances ?? [body.instance]) as Record<string, unknown>[], parts.sensitive),
        output: predictionObjects(output, parts.classes, v.count),
      }));
    }
    // the version and arm are in the body; each extra header costs both ends a few percent of throughput
    reply.header('x-request-id', req.id).header('content-type', 'application/json; charset=utf-8');
    return answerJson(parts, output, v.count);
  };

  // load every endpoint before declaring readiness
  const arms: ArmLoader = {
    registry: o.registry,
    metrics,
    log: o.log,
    shadowTimeoutMs: o.shadowTimeoutMs,
    shadowFaults: o.shadowFaults,
  };
  const specs: DeploymentSpec[] = [...(o.deployments ?? [])];
  for (const ref of o.refs ?? []) specs.push({ name: ref.split('@')[0], arms: [{ name: 'primary', ref }] });
  for (const spec of specs) {
    if (endpoints.has(spec.name))
      throw new KeelError(RegistryErrors.BAD_DEPLOYMENT, `endpoint ${spec.name} is declared twice`);
    const e = await loadEndpoint(arms, spec, (ev) => {
      o.log?.(`${spec.name}: canary ${ev.kind}${'reason' in ev ? `: ${ev.reason}` : ''}`);
      void store?.recordEvent(spec.name, `canary_${ev.kind}`, ev).catch(() => {});
    });
    const shadowRate = spec.logSampleRate ?? o.logSampleRate ?? 0;
    if (store && shadowRate > 0) {
      // shadow answers go to the prediction log under their own arm, never to the caller
      e.onShadowAnswer = (arm, input, answer, latencyMs) =>
        predlog.maybeRecord(shadowRate, () => ({
          id: randomUUID(),
          at: new Date().toISOString(),
          endpoint: e.name,
          model: arm.model.name,
          version: arm.model.version,
          arm: arm.spec.name,
          latencyMs,
          input: redact(
            input.records,
            new Set(arm.model.schema.columns.filter((c) => c.sensitive).map((c) => c.name)),
          ),
          output: answer.labels ?? Array.from(answer.values ?? []),
        }));
    }
    endpoints.set(spec.name, e);
    projects.set(spec.name, (await o.registry.modelProject(e.arms[0].model.name)) ?? 'default');
    o.log?.(
      `serving ${spec.name}: ${spec.arms.map((a, i) => `${a.name}=${a.ref} (v${e.arms[i].model.version})`).join(', ')}`,
    );
  }
  ready = true;

  function reload(): Promise<ReloadOutcome[]> {
    return reloadEndpoints(arms, endpoints.values());
  }

  const timers: NodeJS.Timeout[] = [];
  if (o.pollMs && o.pollMs > 0) {
    let busy = false;
    timers.push(
      setInterval(() => {
        if (busy) return;
        busy = true;
        void reload().finally(() => {
          busy = false;
        });
      }, o.pollMs),
    );
  }
  if (store) {
    timers.push(
      setInterval(() => {
        for (const e of endpoints.values())
          void store.saveState(e.name, e.snapshot(), serverId).catch(() => {});
      }, 2000),
    );
  }
  for (const t of timers) t.unref();
  app.addHook('onClose', async () => {
    for (const t of timers) clearInterval(t);
    for (const e of endpoints.values()) for (const a of e.arms) await a.worker?.close();
    await predlog.close();
    if (store)
      for (const e of endpoints.values())
        await store.saveState(e.name, e.snapshot(), serverId).catch(() => {});
  });

  const shutdown = async (s: { drainMs?: number; deadlineMs?: number } = {}): Promise<void> => {
    ready = false;
    draining = true;
    if (s.drainMs) await new Promise((r) => setTimeout(r, s.drainMs));
    await Promise.race([app.close(), new Promise((r) => setTimeout(r, s.deadlineMs ?? 10_000).unref())]);
  };
  return { app, endpoints, metrics, reload, shutdown };
}

export async function startModelServer(o: ModelServerOptions): Promise<ModelServer> {
  const host = o.host ?? '127.0.0.1';
  const built = await buildModelServer(o);
  if (!isLoopback(host)) {
    const open = [...built.endpoints.values()].filter(
      (e) => (e.spec.access ?? o.access ?? 'open') === 'open',
    );
    if (open.length > 0) {
      await built.app.close();
      throw new KeelError(
        AuthErrors.OPEN_BIND,
        `refusing to listen on ${host} with ${open.map((e) => e.name).join(', ')} open to callers without a token: serve with --access token (or "access": "token" in the deployment), or listen on 127.0.0.1`,
      );
    }
  }
  try {
    await built.app.listen({ host, port: o.port ?? 8080 });
  } catch (err) {
    await built.app.close();
    throw err;
  }
  const addr = built.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (o.port ?? 8080);
  return { ...built, port, url: `http://${host}:${port}`, close: () => built.app.close() };
}
