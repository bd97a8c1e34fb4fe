// Who may call the model server: every route of its policy table × no token, a viewer, another project's
// maintainer and the right role; predict open or token-only by deployment; no non-loopback bind with an open route;
// slow clients cut by the header and request timeouts.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuthStore, roleGrants, SERVE_POLICIES } from '../auth/index.ts';
import { runTrainJob } from '../flow/index.ts';
import { type DeploymentSpec, ModelRegistry } from '../registry/index.ts';
import { openStore, type SqlRunStore } from '../track/index.ts';
import { type BuiltServer, buildModelServer, startModelServer } from './index.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-serve-access-'));
let store: SqlRunStore;
let registry: ModelRegistry;
let auth: AuthStore;
let server: BuiltServer;
const tokens: Record<string, string> = {};
const row = { x: 3, color: 'red' };
const DEPLOYMENTS: DeploymentSpec[] = [
  { name: 'open-a', arms: [{ name: 'p', ref: 'm@1' }] },
  {
    name: 'closed-a',
    access: 'token',
    arms: [
      { name: 'x', ref: 'm@1', weight: 1 },
      { name: 'y', ref: 'm@1', weight: 1 },
    ],
    abTest: { metric: 'revenue' },
  },
];

before(async () => {
  const lines = ['x,color,label'];
  for (let i = 0; i < 200; i++)
    lines.push(`${i % 17},${['red', 'blue'][i % 2]},${i % 17 > 8 ? 'yes' : 'no'}`);
  fs.writeFileSync(path.join(home, 'm.csv'), `${lines.join('\n')}\n`);
  store = await openStore({ home });
  registry = await ModelRegistry.open(store);
  await runTrainJob({
    file: path.join(home, 'm.csv'),
    target: 'label',
    modelName: 'm',
    experiment: 'e',
    project: 'a',
    store,
    registry,
    models: [{ kind: 'logistic_regression' }],
  });
  auth = await AuthStore.open(store.sql);
  const people: Record<string, [Record<string, 'viewer' | 'maintainer' | 'service'>, 'user' | 'service']> = {
    viewer: [{ a: 'viewer' }, 'user'],
    other: [{ b: 'maintainer' }, 'user'],
    feedback: [{ a: 'service' }, 'service'],
  };
  for (const [name, [roles, kind]] of Object.entries(people)) {
    await auth.addIdentity(name, { by: 'test', roles, kind });
    tokens[name] = (await auth.createToken(name, { by: 'test' })).token;
  }
  server = await buildModelServer({ registry, auth, deployments: DEPLOYMENTS });
});
after(async () => {
  await server.app.close();
  await store.close();
});

const CALLS: Record<string, { method: 'GET' | 'POST'; url: string; payload?: object }> = {
  'GET /health/live': { method: 'GET', url: '/health/live' },
  'GET /health/ready': { method: 'GET', url: '/health/ready' },
  'GET /metrics': { method: 'GET', url: '/metrics' },
  'POST /v1/models/:name/predict': {
    method: 'POST',
    url: '/v1/models/closed-a/predict',
    payload: { instance: row },
  },
  'GET /v1/models/:name': { method: 'GET', url: '/v1/models/closed-a' },
  'GET /v1/models/:name/schema': { method: 'GET', url: '/v1/models/closed-a/schema' },
  'GET /v1/models/:name/openapi.json': { method: 'GET', url: '/v1/models/closed-a/openapi.json' },
  'GET /v1/deployments/:name': { method: 'GET', url: '/v1/deployments/closed-a' },
  'POST /v1/deployments/:name/outcomes': {
    method: 'POST',
    url: '/v1/deployments/closed-a/outcomes',
    payload: { arm: 'x', value: 1 },
  },
  'POST /v1/admin/reload': { method: 'POST', url: '/v1/admin/reload' },
};

const send = (key: string, who: string | null) =>
  server.app.inject({
    ...CALLS[key],
    headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
  });

describe("the model server's route policy table", () => {
  it('covers exactly the registered routes', () => {
    for (const key of Object.keys(SERVE_POLICIES)) {
      const [method, url] = key.split(' ');
      assert.ok(server.app.hasRoute({ method: method as 'GET', url }), key);
      assert.ok(CALLS[key], `${key} is in the matrix`);
    }
  });

  for (const [key, policy] of Object.entries(SERVE_POLICIES)) {
    it(`${key} × no token, viewer, other project, right role`, async () => {
      const status = async (who: string | null) => (await send(key, who)).statusCode;
      if (policy.scope === 'public') {
        for (const who of [null, 'viewer', 'other']) assert.equal(await status(who), 200, `${who}`);
        return;
      }
      assert.equal(await status(null), 401, 'no token');
      const viewerMay = roleGrants('viewer', policy.permission as never) && policy.scope !== 'served';
      assert.equal(await status('viewer'), viewerMay ? 200 : 403, 'viewer of a');
      const other = await send(key, 'other');
      if (policy.scope === 'served') assert.equal(other.statusCode, 403, 'other project');
      else {
        assert.equal(other.statusCode, 404, 'other project: as if it were not served');
        assert.deepEqual(other.json().error, {
          code: 'SERVE_MODEL_NOT_FOUND',
          message: 'no model named "closed-a" is served here',
        });
      }
      const right = viewerMay ? 'viewer' : 'feedback';
      const ok = await send(key, right);
      assert.equal(ok.statusCode, 200, `${right}: ${ok.body}`);
    });
  }

  it('an open deployment answers predict without a token; outcomes still need one', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/v1/models/open-a/predict',
      payload: { instance: row },
    });
    assert.equal(res.statusCode, 200);
    const out = await server.app.inject({
      method: 'POST',
      url: '/v1/deployments/open-a/outcomes',
      payload: { outcomes: Array.from({ length: 10_000 }, () => ({ arm: 'p', value: 1 })) },
    });
    assert.equal(out.statusCode, 401);
  });

  it('refuses to listen beyond loopback while a route is open', async () => {
    await assert.rejects(
      startModelServer({ registry, auth, refs: ['m@1'], host: '0.0.0.0', port: 0 }),
      (e: Error & { code?: string }) => e.code === 'AUTH_OPEN_BIND' && /--access token/.test(e.message),
    );
  });
});

describe('slow clients', () => {
  it('cuts a socket whose headers or body trickle in', async () => {
    const s = await startModelServer({
      registry,
      refs: ['m@1'],
      port: 0,
      headersTimeoutMs: 1000,
      requestTimeoutMs: 2000,
    });
    try {
      const closedAfter = (first: string, drip: string) =>
        new Promise<number>((resolve) => {
          const t0 = Date.now();
          const sock = net.connect(s.port, '127.0.0.1', () => sock.write(first));
          const timer = setInterval(() => sock.write(drip), 300);
          sock.on('data', () => {});
          sock.on('error', () => {});
          sock.on('close', () => {
            clearInterval(timer);
            resolve(Date.now() - t0);
          });
        });
      const [headers, body] = await Promise.all([
        closedAfter('POST /v1/models/m/predict HTTP/1.1\r\nHost: localhost\r\n', 'X-a: b\r\n'),
        closedAfter(
          'POST /v1/models/m/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
          ' ',
        ),
      ]);
      assert.ok(headers < 4000, `slow headers cut after ${headers} ms`);
      assert.ok(body < 6000, `slow body cut after ${body} ms`);
      const probe = await fetch(`${s.url}/health/live`);
      assert.equal(probe.status, 200);
    } finally {
      await s.close();
    }
  });
});
