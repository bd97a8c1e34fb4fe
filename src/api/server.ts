// The platform HTTP API (Fastify, 127.0.0.1 by default): runs, artifacts, models, aliases, gates, cards, deployments
// and the audit log, every route behind the policy table's guard. Errors are {error: {code, message}} with a status
// chosen from the code; artifact names are confined to their run.

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  API_POLICIES,
  type AuditInput,
  AuthErrors,
  type AuthStore,
  accessOf,
  actorOf,
  can,
  hostAllowlist,
  installGuard,
  isLoopback,
  type Principal,
  type Scope,
  SESSION_COOKIE,
} from '../auth/index.ts';
import { isKeelError, KeelError, SECURITY_HEADERS } from '../core/index.ts';
import {
  type DeploymentSpec,
  DeploymentStore,
  type ModelRegistry,
  modelCard,
  RegistryErrors,
} from '../registry/index.ts';
import {
  compareRuns,
  RUN_STATUSES,
  type RunStatus,
  type SqlRunStore,
  safeArtifactName,
  TrackErrors,
} from '../track/index.ts';
import { ApiErrors, statusOf } from './errors.ts';
import type { OidcLogin } from './oidc.ts';
import { openApiDocument } from './openapi.ts';
import type { CardUpdate, ListRunsQuery, PromoteRequest } from './types.ts';

export interface ApiOptions {
  store: SqlRunStore;
  registry: ModelRegistry;
  /** identities and tokens; every route but health and the OpenAPI document needs a token */
  auth: AuthStore;
  /**
   * Who a request without a token acts as: a local, single-user API (`keel api --no-auth`), refused beyond
   * loopback. Absent: such requests get 401.
   */
  anonymousAs?: Principal;
  /** Host names answered besides loopback names and the listen address ('*': any) */
  allowHosts?: string[];
  /** the listen address (for the Host allowlist) */
  host?: string;
  /** single sign-on with an OpenID provider (keel api --oidc settings.json) */
  oidc?: OidcLogin;
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

/** A 404 exactly as the handler gives it for a missing object: what a caller of another project sees. */
function hiddenError(scope: Scope, req: FastifyRequest, i: number): KeelError {
  const p = req.params as Record<string, string>;
  const q = req.query as Record<string, string>;
  if (scope === 'run') return new KeelError(TrackErrors.NOT_FOUND, `no run ${p.id}`);
  if (scope === 'runs')
    return new KeelError(TrackErrors.NOT_FOUND, `no run ${(q.ids ?? '').split(',').filter(Boolean)[i]}`);
  if (scope === 'deployment') return new KeelError(RegistryErrors.NOT_FOUND, `no deployment named ${p.name}`);
  if (p.version !== undefined && /^\d+$/.test(p.version))
    return new KeelError(RegistryErrors.NOT_FOUND, `model ${p.name} has no version ${p.version}`);
  return new KeelError(RegistryErrors.NOT_FOUND, `no model named ${p.name}`);
}

export async function buildApi(o: ApiOptions): Promise<FastifyInstance> {
  const { store, registry, auth } = o;
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // a slow client cannot hold a socket: headers in 10 s, the whole request in 30 s
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    http: { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1000 } as object,
  });
  const deployments = await DeploymentStore.open(store);
  installGuard(app, {
    policies: API_POLICIES,
    auth,
    anonymousAs: o.anonymousAs,
    hostAllowed: hostAllowlist(o.host ?? '127.0.0.1', o.allowHosts),
    projectOf: async (scope, req) => {
      const p = req.params as Record<string, string>;
      if (scope === 'run') return store.runProject(p.id);
      if (scope === 'runs') {
        const ids = ((req.query as Record<string, string>).ids ?? '').split(',').filter(Boolean).slice(0, 20);
        return (await Promise.all(ids.map((id) => store.runProject(id)))).filter((x): x is string => !!x);
      }
      if (scope === 'model') return registry.modelProject(p.name);
      if (scope === 'deployment') return deployments.project(p.name);
      return undefined;
    },
    hidden: hiddenError,
  });
  /** record an action with the authenticated actor; a failed audit write fails the request (nothing unaudited) */
  const audit = (req: FastifyRequest, e: Omit<AuditInput, 'actor'>) =>
    auth.audit.append({ ...e, actor: actorOf(req), details: { ...e.details, via: 'api' } });
  const listed = (req: FastifyRequest): string[] | undefined => {
    const p = accessOf(req).projects;
    return p === '*' ? undefined : p;
  };

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
      projects: listed(req),
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
    const project = await store.runProject(req.params.id);
    await store.deleteRun(req.params.id, { force: req.query.force === 'true' });
    await audit(req, {
      action: 'run.delete',
      project,
      object: req.params.id,
      details: { force: req.query.force === 'true' },
    });
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
  app.post<{ Body: { dryRun?: boolean; minAgeMs?: number } }>('/api/v1/gc', async (req) => {
    const dryRun = req.body?.dryRun ?? true;
    const report = await store.collectGarbage({ dryRun, minAgeMs: req.body?.minAgeMs });
    if (!dryRun) await audit(req, { action: 'gc', details: { report } });
    return report;
  });

  app.get('/api/v1/models', async (req) => ({
    models: await registry.listModels({ projects: listed(req) }),
  }));
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
      const updated = await registry.updateCard(req.params.name, versionOf(req.params.version), body);
      await audit(req, {
        action: 'card.update',
        project: await registry.modelProject(req.params.name),
        object: `${req.params.name}@${req.params.version}`,
        details: { fields: Object.keys(body) },
      });
      return updated;
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
      // the actor is the authenticated identity; a body's "actor" is not believed
      const result = await registry.promote({
        name: req.params.name,
        alias: req.params.alias,
        version: b.version,
        reason: b.reason,
        gates: b.gates,
        override: b.override,
        actor: actorOf(req),
      });
      await audit(req, {
        action: 'promote',
        project: await registry.modelProject(req.params.name),
        object: `${req.params.name}@${req.params.alias}`,
        details: { version: b.version, reason: b.reason, override: b.override ?? null },
      });
      return result;
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
      await audit(req, {
        action: 'policy.set',
        project: await registry.modelProject(req.params.name),
        object: `${req.params.name}@${req.params.alias}`,
        details: { gates },
      });
      return { name: req.params.name, alias: req.params.alias, gates };
    },
  );
  // deployments: declared by API call as well as from a file (keel deploy apply)
  app.get('/api/v1/deployments', async (req) => ({
    deployments: await deployments.list({ projects: listed(req) }),
  }));
  app.put<{ Params: { name: string }; Body: DeploymentSpec }>('/api/v1/deployments/:name', async (req) => {
    const spec = req.body;
    if (!spec || typeof spec !== 'object' || spec.name !== req.params.name || !Array.isArray(spec.arms))
      throw badRequest('the body is a deployment whose name matches the URL');
    // a new deployment's project is its models' project: the right there is checked here, once the body is read
    const project = await deployments.projectOfArms(spec);
    const who = accessOf(req).principal;
    if (!who || !can(who, 'deploy.write', project)) {
      if (who && can(who, 'read', project))
        throw new KeelError(AuthErrors.FORBIDDEN, `${who.name} may not deploy.write here`);
      throw new KeelError(RegistryErrors.NOT_FOUND, `no model named ${spec.arms[0]?.ref?.split('@')[0]}`);
    }
    await registry.verifyRefs(spec.arms.map((a) => a.ref));
    await deployments.apply(spec);
    await audit(req, { action: 'deploy.apply', project, object: spec.name, details: { spec } });
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
  // single sign-on
  const sso = (): OidcLogin => {
    if (!o.oidc)
      throw new KeelError(ApiErrors.NOT_FOUND, 'single sign-on is not configured (keel api --oidc FILE)');
    return o.oidc;
  };
  app.get('/auth/login', async (_req, reply) => reply.redirect(await sso().start(), 302));
  app.get('/auth/callback', async (req, reply) => {
    const query = new URLSearchParams(req.query as Record<string, string>);
    const session = await sso().finish(query);
    const secure = sso().secureCookies ? '; Secure' : '';
    reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${session.token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200${secure}`,
    );
    return session;
  });
  app.post<{ Body: { id_token?: string } }>('/auth/exchange', async (req) => {
    const idToken = req.body?.id_token;
    if (typeof idToken !== 'string' || idToken.length > 20_000)
      throw badRequest('body needs {"id_token": "<JWT>"}');
    return sso().exchange(idToken);
  });
  app.post('/auth/logout', async (req, reply) => {
    const p = accessOf(req).principal as Principal;
    if (p.token) await auth.revokeToken(p.token.id, p.name);
    reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return { loggedOut: p.name, endSession: o.oidc?.endSessionUrl() ?? null };
  });

  app.get('/api/v1/whoami', async (req) => {
    const p = accessOf(req).principal as Principal;
    return { name: p.name, kind: p.kind, memberships: p.memberships, token: p.token ?? null };
  });
  app.get<{ Querystring: { limit?: string; action?: string } }>('/api/v1/audit', async (req) => ({
    entries: await auth.audit.list({
      projects: listed(req),
      action: req.query.action,
      limit: Math.min(1000, Number(req.query.limit ?? 100) || 100),
    }),
  }));
  app.get('/api/v1/audit/verify', async () => auth.audit.verify());
  app.get('/api/v1/users', async () => ({ users: await auth.identities() }));
  app.delete<{ Params: { id: string } }>('/api/v1/tokens/:id', async (req) => {
    await auth.revokeToken(req.params.id, actorOf(req));
    return { revoked: req.params.id };
  });
  return app;
}

function versionOf(v: string): number {
  if (!/^\d+$/.test(v)) throw badRequest(`version must be a positive integer, got "${v}"`);
  return Number(v);
}

export async function startApi(
  o: ApiOptions & { host?: string; port?: number },
): Promise<{ app: FastifyInstance; url: string; close: () => Promise<void> }> {
  const host = o.host ?? '127.0.0.1';
  if (o.anonymousAs && !isLoopback(host))
    throw new KeelError(
      AuthErrors.OPEN_BIND,
      `refusing to listen on ${host} without authentication: drop --no-auth, or listen on 127.0.0.1`,
    );
  const app = await buildApi({ ...o, host });
  await app.listen({ host, port: o.port ?? 7070 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (o.port ?? 7070);
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}
