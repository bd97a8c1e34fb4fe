// Who may do what on the platform API, proven on every route: the policy table covers exactly the registered routes,
// and every route is run with no token, a viewer's token, another project's maintainer token and the right role.
// Objects of a project the caller cannot read answer exactly as missing ones do (no BOLA).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { API_POLICIES, AuthStore, installGuard, type Principal, ROLES, roleGrants } from '../auth/index.ts';
import { DeploymentStore, ModelRegistry } from '../registry/index.ts';
import { type LocalArtifactStore, openStore, type SqlRunStore } from '../track/index.ts';
import { buildApi } from './index.ts';

let store: SqlRunStore;
let registry: ModelRegistry;
let auth: AuthStore;
let app: FastifyInstance;
const tokens: Record<string, string> = {};
let runA: string;
let runA2: string;
let runB: string;

async function finishedRun(experiment: string, project: string): Promise<string> {
  const id = await store.startRun({ experiment, project, name: 'r', params: { model: 'x' } });
  await store.logMetrics(id, { auc: 0.9 });
  await store.logArtifact(id, 'model.keel', Buffer.from(`model of ${id}`));
  await store.endRun(id, 'finished');
  return id;
}

before(async () => {
  store = await openStore({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'keel-access-')) });
  registry = await ModelRegistry.open(store);
  auth = await AuthStore.open(store.sql);
  runA = await finishedRun('exp-a', 'a');
  runA2 = await finishedRun('exp-a', 'a');
  runB = await finishedRun('exp-b', 'b');
  await registry.register({ name: 'churn', runId: runA, artifact: 'model.keel' });
  await registry.register({ name: 'fraud', runId: runB, artifact: 'model.keel' });
  await (await DeploymentStore.open(store)).apply({ name: 'dep-a', arms: [{ name: 'p', ref: 'churn@1' }] });
  await (await DeploymentStore.open(store)).apply({ name: 'dep-b', arms: [{ name: 'p', ref: 'fraud@1' }] });
  const people: Record<string, Record<string, 'viewer' | 'maintainer' | 'admin'>> = {
    viewer: { a: 'viewer' },
    maintainer: { a: 'maintainer' },
    other: { b: 'maintainer' },
    admin: { '*': 'admin' },
  };
  for (const [name, roles] of Object.entries(people)) {
    await auth.addIdentity(name, { by: 'test', roles });
    tokens[name] = (await auth.createToken(name, { by: 'test' })).token;
  }
  app = await buildApi({ store, registry, auth });
});
after(async () => {
  await app.close();
  await store.close();
});

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  payload?: unknown;
  /** the call spends the caller's token (logout): send a fresh one */
  spendsToken?: boolean;
}

/** A concrete request of project a for each route of the table (destructive ones get a fresh object each time). */
const CALLS: Record<string, () => Promise<Call>> = {
  'GET /health': async () => ({ method: 'GET', url: '/health' }),
  'GET /openapi.json': async () => ({ method: 'GET', url: '/openapi.json' }),
  'GET /api/v1/whoami': async () => ({ method: 'GET', url: '/api/v1/whoami' }),
  // without single sign-on configured these answer 404 (oidc.test.ts runs them against a real provider)
  'GET /auth/login': async () => ({ method: 'GET', url: '/auth/login' }),
  'GET /auth/callback': async () => ({ method: 'GET', url: '/auth/callback?code=x&state=y' }),
  'POST /auth/exchange': async () => ({ method: 'POST', url: '/auth/exchange', payload: { id_token: 'x' } }),
  'POST /auth/logout': async () => ({ method: 'POST', url: '/auth/logout', spendsToken: true }),
  'GET /api/v1/runs': async () => ({ method: 'GET', url: '/api/v1/runs' }),
  'GET /api/v1/runs/:id': async () => ({ method: 'GET', url: `/api/v1/runs/${runA}` }),
  'DELETE /api/v1/runs/:id': async () => ({
    method: 'DELETE',
    url: `/api/v1/runs/${await finishedRun('exp-a', 'a')}`,
  }),
  'GET /api/v1/runs/:id/manifest': async () => ({ method: 'GET', url: `/api/v1/runs/${runA}/manifest` }),
  'GET /api/v1/runs/:id/metrics/:key': async () => ({
    method: 'GET',
    url: `/api/v1/runs/${runA}/metrics/auc`,
  }),
  'GET /api/v1/runs/:id/artifacts/*': async () => ({
    method: 'GET',
    url: `/api/v1/runs/${runA}/artifacts/model.keel`,
  }),
  'GET /api/v1/compare': async () => ({ method: 'GET', url: `/api/v1/compare?ids=${runA},${runA2}` }),
  'POST /api/v1/gc': async () => ({ method: 'POST', url: '/api/v1/gc', payload: { dryRun: true } }),
  'GET /api/v1/models': async () => ({ method: 'GET', url: '/api/v1/models' }),
  'GET /api/v1/models/:name': async () => ({ method: 'GET', url: '/api/v1/models/churn' }),
  'GET /api/v1/models/:name/versions/:version': async () => ({
    method: 'GET',
    url: '/api/v1/models/churn/versions/1',
  }),
  'GET /api/v1/models/:name/versions/:version/card': async () => ({
    method: 'GET',
    url: '/api/v1/models/churn/versions/1/card',
  }),
  'PUT /api/v1/models/:name/versions/:version/card': async () => ({
    method: 'PUT',
    url: '/api/v1/models/churn/versions/1/card',
    payload: { intended_use: 'scoring churn' },
  }),
  'POST /api/v1/models/:name/aliases/:alias': async () => ({
    method: 'POST',
    url: '/api/v1/models/churn/aliases/champion',
    payload: { version: 1, reason: 'first', actor: 'somebody-else' },
  }),
  'GET /api/v1/models/:name/evaluations': async () => ({
    method: 'GET',
    url: '/api/v1/models/churn/evaluations',
  }),
  'PUT /api/v1/models/:name/policies/:alias': async () => ({
    method: 'PUT',
    url: '/api/v1/models/churn/policies/champion',
    payload: { gates: [] },
  }),
  'GET /api/v1/deployments': async () => ({ method: 'GET', url: '/api/v1/deployments' }),
  'PUT /api/v1/deployments/:name': async () => ({
    method: 'PUT',
    url: '/api/v1/deployments/dep-a',
    payload: { name: 'dep-a', arms: [{ name: 'p', ref: 'churn@1' }] },
  }),
  'GET /api/v1/deployments/:name': async () => ({ method: 'GET', url: '/api/v1/deployments/dep-a' }),
  'GET /api/v1/deployments/:name/predictions': async () => ({
    method: 'GET',
    url: '/api/v1/deployments/dep-a/predictions',
  }),
  'GET /api/v1/audit': async () => ({ method: 'GET', url: '/api/v1/audit' }),
  'GET /api/v1/audit/verify': async () => ({ method: 'GET', url: '/api/v1/audit/verify' }),
  'GET /api/v1/users': async () => ({ method: 'GET', url: '/api/v1/users' }),
  'DELETE /api/v1/tokens/:id': async () => ({
    method: 'DELETE',
    url: `/api/v1/tokens/${(await auth.createToken('viewer', { by: 'test' })).info.id}`,
  }),
};

async function send(call: Call, who: string | null) {
  const token =
    who && call.spendsToken ? (await auth.createToken(who, { by: 'test' })).token : tokens[who ?? ''];
  return app.inject({
    method: call.method,
    url: call.url,
    payload: call.payload as object | undefined,
    headers: who ? { authorization: `Bearer ${token}` } : {},
  });
}

describe('the route policy table', () => {
  it('covers exactly the registered routes', () => {
    for (const key of Object.keys(API_POLICIES)) {
      const [method, url] = key.split(' ');
      assert.ok(app.hasRoute({ method: method as 'GET', url }), `${key} is registered`);
      assert.ok(CALLS[key], `${key} is in this test's matrix`);
    }
  });

  it('the OpenAPI document describes every route with the security and permission of its policy', async () => {
    const doc = (await app.inject('/openapi.json')).json() as {
      paths: Record<string, Record<string, { security?: unknown[]; 'x-keel-permission'?: string }>>;
    };
    for (const [key, policy] of Object.entries(API_POLICIES)) {
      const [method, url] = key.split(' ');
      const p = url.replace('/artifacts/*', '/artifacts/{name}').replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[p]?.[method.toLowerCase()];
      assert.ok(op, `${key} is in the OpenAPI document`);
      assert.deepEqual(op.security, policy.scope === 'public' ? [] : [{ bearer: [] }], key);
      if (policy.permission) assert.equal(op['x-keel-permission'], policy.permission, key);
    }
  });

  it('a route without a policy cannot be registered', async () => {
    const bare = Fastify();
    installGuard(bare, {
      policies: { 'GET /known': { permission: null, scope: 'public' } },
      auth: null,
      projectOf: async () => undefined,
      hidden: () => new Error('x') as never,
    });
    bare.get('/known', async () => 'ok');
    assert.throws(() => bare.get('/unlisted', async () => 'no'), /has no policy/);
    await bare.close();
  });
});

describe('every route × four identities', () => {
  const viewerCan = (perm: string | null) => perm === null || roleGrants('viewer', perm as never);
  const maintainerCan = (perm: string | null) => perm === null || roleGrants('maintainer', perm as never);

  for (const [key, policy] of Object.entries(API_POLICIES)) {
    it(key, async () => {
      const make = CALLS[key];
      const status = async (who: string | null) => (await send(await make(), who)).statusCode;
      if (policy.scope === 'public') {
        const expected = key.startsWith('GET /auth') || key.startsWith('POST /auth') ? 404 : 200;
        for (const who of [null, 'viewer', 'other', 'admin'])
          assert.equal(await status(who), expected, `${who}`);
        return;
      }
      assert.equal(await status(null), 401, 'no token');
      const global = policy.scope === 'global';
      // a viewer of a: allowed to read, 403 for anything more
      assert.equal(
        await status('viewer'),
        !global && viewerCan(policy.permission) ? 200 : 403,
        'viewer of project a',
      );
      // a maintainer of b: a's objects do not exist for them; listings are theirs; global routes are refused
      const expectOther = global ? 403 : policy.scope === 'list' || policy.scope === 'token' ? 200 : 404;
      assert.equal(await status('other'), expectOther, 'maintainer of project b');
      // the right role
      const right = global ? 'admin' : maintainerCan(policy.permission) ? 'maintainer' : 'admin';
      const ok = await send(await make(), right);
      assert.equal(ok.statusCode, 200, `${right}: ${ok.body}`);
    });
  }
});

describe('projects', () => {
  it("another project's run answers exactly like a missing one", async () => {
    const hidden = await send({ method: 'GET', url: `/api/v1/runs/${runA}` }, 'other');
    const missing = await send(
      { method: 'GET', url: '/api/v1/runs/0123456789abcdef0123456789abcdef' },
      'other',
    );
    assert.equal(hidden.statusCode, 404);
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(hidden.json(), { error: { code: 'TRACK_NOT_FOUND', message: `no run ${runA}` } });
    assert.equal(missing.json().error.code, hidden.json().error.code);
    const card = await send({ method: 'GET', url: '/api/v1/models/churn/versions/1/card' }, 'other');
    assert.deepEqual(card.json(), {
      error: { code: 'REGISTRY_NOT_FOUND', message: 'model churn has no version 1' },
    });
    const cmp = await send({ method: 'GET', url: `/api/v1/compare?ids=${runB},${runA}` }, 'other');
    assert.deepEqual(cmp.json().error, { code: 'TRACK_NOT_FOUND', message: `no run ${runA}` });
  });

  it('listings show only the projects the token reads', async () => {
    const runs = (await send({ method: 'GET', url: '/api/v1/runs' }, 'other')).json();
    assert.deepEqual(
      runs.runs.map((r: { id: string }) => r.id),
      [runB],
    );
    assert.equal(runs.total, 1);
    const models = (await send({ method: 'GET', url: '/api/v1/models' }, 'other')).json();
    assert.deepEqual(
      models.models.map((m: { name: string }) => m.name),
      ['fraud'],
    );
    const deps = (await send({ method: 'GET', url: '/api/v1/deployments' }, 'other')).json();
    assert.deepEqual(
      deps.deployments.map((d: { name: string }) => d.name),
      ['dep-b'],
    );
    const all = (await send({ method: 'GET', url: '/api/v1/models' }, 'admin')).json();
    assert.deepEqual(all.models.map((m: { name: string }) => m.name).sort(), ['churn', 'fraud']);
  });

  it("a deployment cannot be pointed at another project's model", async () => {
    const res = await send(
      {
        method: 'PUT',
        url: '/api/v1/deployments/dep-x',
        payload: { name: 'dep-x', arms: [{ name: 'p', ref: 'churn@1' }] },
      },
      'other',
    );
    assert.equal(res.statusCode, 404);
    const mixed = await send(
      {
        method: 'PUT',
        url: '/api/v1/deployments/dep-y',
        payload: {
          name: 'dep-y',
          arms: [
            { name: 'p', ref: 'churn@1' },
            { name: 'q', ref: 'fraud@1' },
          ],
        },
      },
      'admin',
    );
    assert.equal(mixed.statusCode, 409);
    assert.equal(mixed.json().error.code, 'REGISTRY_BAD_PROJECT');
  });
});

describe('deploying', () => {
  it('refuses to deploy a version whose files fail their check', async () => {
    const run = await finishedRun('exp-a', 'a');
    const mv = await registry.register({ name: 'churn', runId: run, artifact: 'model.keel' });
    const file = (store.artifacts as LocalArtifactStore).pathOf(mv.artifactSha256);
    const bytes = fs.readFileSync(file);
    bytes[0] ^= 1;
    fs.writeFileSync(file, bytes);
    const res = await send(
      {
        method: 'PUT',
        url: '/api/v1/deployments/dep-a',
        payload: { name: 'dep-a', arms: [{ name: 'p', ref: `churn@${mv.version}` }] },
      },
      'maintainer',
    );
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().error.code, 'REGISTRY_INTEGRITY');
    const still = await send({ method: 'GET', url: '/api/v1/deployments/dep-a' }, 'maintainer');
    assert.equal(still.json().spec.arms[0].ref, 'churn@1', 'the deployment did not change');
  });
});

describe('the audit trail of API actions', () => {
  it('records the authenticated actor, never the one a body claims, and the chain verifies', async () => {
    const res = await send(
      {
        method: 'POST',
        url: '/api/v1/models/churn/aliases/staging',
        payload: { version: 1, reason: 'audit check', actor: 'mallory' },
      },
      'maintainer',
    );
    assert.equal(res.statusCode, 200);
    const history = await registry.aliasHistory('churn');
    assert.equal(history.at(-1)?.actor, 'maintainer');
    const entries = (await send({ method: 'GET', url: '/api/v1/audit?action=promote' }, 'maintainer')).json()
      .entries as { actor: string; object: string; project: string }[];
    assert.equal(entries[0].actor, 'maintainer');
    assert.equal(entries[0].object, 'churn@staging');
    assert.equal(entries[0].project, 'a');
    assert.ok(!JSON.stringify(entries).includes('mallory'));
    const verify = (await send({ method: 'GET', url: '/api/v1/audit/verify' }, 'admin')).json();
    assert.deepEqual(verify.problems, []);
    const who = (await send({ method: 'GET', url: '/api/v1/whoami' }, 'viewer')).json() as Principal;
    assert.deepEqual(who.memberships, { a: 'viewer' });
    assert.ok(Object.keys(ROLES).includes('service'));
  });

  it('refuses a Host outside the allowlist (DNS rebinding), sends no CORS allowance, refuses an anonymous request', async () => {
    const rebound = await app.inject({
      method: 'GET',
      url: '/api/v1/runs',
      headers: { host: 'attacker.example:7070', authorization: `Bearer ${tokens.admin}` },
    });
    assert.equal(rebound.statusCode, 421);
    assert.equal(rebound.json().error.code, 'AUTH_BAD_HOST');
    // CORS is off: a cross-origin preflight gets no allowance
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/runs',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    const cross = await send({ method: 'GET', url: '/api/v1/runs' }, 'admin');
    assert.equal(cross.headers['access-control-allow-origin'], undefined);
    const anon = await app.inject({ method: 'POST', url: '/api/v1/gc', payload: { dryRun: false } });
    assert.equal(anon.statusCode, 401);
    assert.match(String(anon.headers['www-authenticate']), /^Bearer/);
  });
});
