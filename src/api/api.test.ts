// The platform API: runs, artifacts (traversal refused in every disguise), gates through HTTP, cards, OpenAPI,
// and the typed client against a real listening server.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { AuthStore, localPrincipal } from '../auth/index.ts';
import { ModelRegistry } from '../registry/index.ts';
import { type LocalArtifactStore, openStore, type SqlRunStore } from '../track/index.ts';
import { buildApi, KeelApiError, KeelClient, startApi } from './index.ts';

let store: SqlRunStore;
let registry: ModelRegistry;
let app: FastifyInstance;
let runId: string;
let otherRun: string;
let auth: AuthStore;
let token: string;

before(async () => {
  store = await openStore({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'keel-api-')) });
  registry = await ModelRegistry.open(store);
  runId = await store.startRun({ experiment: 'api', name: 'gbt', params: { model: 'gradient_boosting' } });
  await store.logMetrics(runId, { roc_auc: 0.91 });
  await store.logArtifact(runId, 'model.keel', Buffer.from('model bytes'));
  await store.logArtifact(runId, 'reports/roc.json', Buffer.from('{"auc":0.91}'));
  await store.endRun(runId, 'finished');
  otherRun = await store.startRun({
    experiment: 'api',
    name: 'lin',
    params: { model: 'logistic_regression' },
  });
  await store.logMetrics(otherRun, { roc_auc: 0.88 });
  await store.logArtifact(otherRun, 'model.keel', Buffer.from('other model'));
  await store.endRun(otherRun, 'finished');
  await registry.register({ name: 'churn', runId, artifact: 'model.keel', task: 'binary' });
  await registry.register({ name: 'churn', runId: otherRun, artifact: 'model.keel', task: 'binary' });
  auth = await AuthStore.open(store.sql);
  await auth.addIdentity('ops', { by: 'test', roles: { '*': 'admin' } });
  token = (await auth.createToken('ops', { by: 'test' })).token;
  // these tests exercise the routes themselves: a local, single-user API (access is tested in access.test.ts)
  app = await buildApi({ store, registry, auth, anonymousAs: localPrincipal('tester') });
});
after(async () => {
  await app.close();
  await store.close();
});

describe('platform API', () => {
  it('lists runs with the filter language, order and paging; 400 on a bad filter, 404 on an unknown run', async () => {
    let res = await app.inject(
      `/api/v1/runs?filter=${encodeURIComponent('metrics.roc_auc > 0.9')}&order=${encodeURIComponent('metrics.roc_auc desc')}`,
    );
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      res.json().runs.map((r: { id: string }) => r.id),
      [runId],
    );
    res = await app.inject('/api/v1/runs?order=metrics.roc_auc&limit=1&offset=1');
    assert.deepEqual([res.json().total, res.json().runs[0].id], [2, runId]);
    res = await app.inject(`/api/v1/runs?filter=${encodeURIComponent('metrics.roc_auc >')}`);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'TRACK_BAD_QUERY');
    // a hostile filter (5,000 open parentheses) is a coded 400, not a stack overflow answered with 500
    res = await app.inject(`/api/v1/runs?filter=${encodeURIComponent('('.repeat(5000))}`);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'TRACK_BAD_QUERY');
    assert.ok(res.json().error.message.length < 600, 'the message does not echo the whole filter');
    // a long flat chain is fine: 400 comparisons joined by or
    const chain = Array.from({ length: 400 }, (_, i) => `metrics.roc_auc > ${0.5 + i / 1e4}`).join(' or ');
    res = await app.inject(`/api/v1/runs?filter=${encodeURIComponent(chain)}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().total, 2);
    res = await app.inject('/api/v1/runs/nope');
    assert.equal(res.statusCode, 404);
    res = await app.inject(`/api/v1/compare?ids=${runId},${otherRun}`);
    assert.deepEqual(res.json().differing.params, ['model']);
  });

  it('serves a run artifact by its name, nested names included', async () => {
    const res = await app.inject(`/api/v1/runs/${runId}/artifacts/reports/roc.json`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, '{"auc":0.91}');
    assert.equal((await app.inject(`/api/v1/runs/${runId}/artifacts/model.keel`)).body, 'model bytes');
    assert.equal((await app.inject(`/api/v1/runs/${runId}/artifacts/missing.bin`)).statusCode, 404);
  });

  it('refuses path traversal in every disguise', async () => {
    const attempts = [
      '../model.keel',
      'reports/../../model.keel',
      '..%2Fmodel.keel',
      '%2e%2e/model.keel',
      '%2E%2E%2Fmodel.keel',
      '%252e%252e%252fmodel.keel',
      '%252E%252E/model.keel',
      '/etc/passwd',
      '%2Fetc%2Fpasswd',
      'file:%2F%2F%2Fetc%2Fpasswd',
      'file:///etc/passwd',
      '..%5cmodel.keel',
      'reports/%00roc.json',
    ];
    for (const a of attempts) {
      const res = await app.inject(`/api/v1/runs/${runId}/artifacts/${a}`);
      assert.ok(res.statusCode === 400 || res.statusCode === 404, `${a}: ${res.statusCode}`);
      assert.notEqual(res.body, 'model bytes', a);
      assert.doesNotMatch(res.body, /root:/, a);
    }
    // a symlink planted in the store is not followed
    const sha = (await store.getRun(runId)).artifacts.find((x) => x.name === 'model.keel')?.sha256 as string;
    const file = (store.artifacts as LocalArtifactStore).pathOf(sha);
    const saved = fs.readFileSync(file);
    fs.rmSync(file);
    fs.symlinkSync('/etc/passwd', file);
    try {
      const res = await app.inject(`/api/v1/runs/${runId}/artifacts/model.keel`);
      assert.equal(res.statusCode, 422);
      assert.equal(res.json().error.code, 'TRACK_ARTIFACT_CORRUPT');
      assert.doesNotMatch(res.body, /root:/);
    } finally {
      fs.rmSync(file);
      fs.writeFileSync(file, saved);
    }
  });

  it('promotes through gates over HTTP: 409 with the evaluation when a gate fails, recorded override', async () => {
    let res = await app.inject({
      method: 'POST',
      url: '/api/v1/models/churn/aliases/champion',
      payload: { version: 1, reason: 'first' },
    });
    assert.equal(res.statusCode, 200);
    res = await app.inject({
      method: 'POST',
      url: '/api/v1/models/churn/aliases/champion',
      payload: { version: 2, reason: 'newer', gates: ['beats:roc_auc'] },
    });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'REGISTRY_GATE_FAILED');
    assert.equal(res.json().error.details.results[0].evidence.incumbent, 0.91);
    res = await app.inject({
      method: 'POST',
      url: '/api/v1/models/churn/aliases/champion',
      payload: { version: 2, reason: 'drill', gates: ['beats:roc_auc'], override: 'planned' },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().evaluation.overridden, true);
    res = await app.inject({
      method: 'POST',
      url: '/api/v1/models/churn/aliases/champion',
      payload: { version: 'two' },
    });
    assert.equal(res.statusCode, 400);
    const detail = (await app.inject('/api/v1/models/churn')).json();
    assert.equal(detail.history.length, 2);
    assert.equal((await app.inject('/api/v1/models/churn/evaluations')).json().evaluations.length, 3);
  });

  it('renders model cards and publishes an OpenAPI document', async () => {
    await app.inject({
      method: 'PUT',
      url: '/api/v1/models/churn/versions/1/card',
      payload: { intended_use: 'retention offers' },
    });
    const md = await app.inject('/api/v1/models/churn/versions/1/card');
    assert.match(md.headers['content-type'] as string, /markdown/);
    assert.match(md.body, /retention offers/);
    const html = await app.inject('/api/v1/models/churn/versions/1/card?format=html');
    assert.match(html.body, /^<!doctype html>/);
    const doc = (await app.inject('/openapi.json')).json();
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.paths['/api/v1/runs/{id}/artifacts/{name}']);
    assert.ok(doc.paths['/api/v1/models/{name}/aliases/{alias}'].post);
  });
});

describe('deployments over the API', () => {
  it('declares a deployment by API call, refuses an invalid one, and shows its status', async () => {
    const spec = {
      name: 'churn',
      arms: [
        { name: 'a', ref: 'churn@1' },
        { name: 'b', ref: 'churn@2', shadow: true },
      ],
    };
    let res = await app.inject({ method: 'PUT', url: '/api/v1/deployments/churn', payload: spec });
    assert.equal(res.statusCode, 200);
    res = await app.inject({
      method: 'PUT',
      url: '/api/v1/deployments/churn',
      payload: { ...spec, arms: [{ name: 'a', ref: 'churn@1', shadow: true }] },
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'REGISTRY_BAD_DEPLOYMENT');
    res = await app.inject('/api/v1/deployments/churn');
    assert.deepEqual(res.json().spec, spec);
    assert.equal(res.json().events[0].kind, 'applied');
    assert.equal((await app.inject('/api/v1/deployments/none')).statusCode, 404);
  });
});

describe('typed client', () => {
  it('caps each text field (card, reason, actor, gates) with a coded 400, and sends security headers', async () => {
    const big = (n: number) => 'x'.repeat(n);
    const cardBefore = (await registry.get('churn', 1)).card;
    let res = await app.inject({
      method: 'PUT',
      url: '/api/v1/models/churn/versions/1/card',
      payload: { intended_use: big(1_000_000) },
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error.message, /intended_use is 1000000 characters long; at most 20000/);
    for (const [field, size] of [
      ['reason', 900_000],
      ['actor', 100_000],
      ['override', 5_000],
    ] as const) {
      res = await app.inject({
        method: 'POST',
        url: '/api/v1/models/churn/aliases/staging',
        payload: { version: 1, reason: 'ok', [field]: big(size) },
      });
      assert.equal(res.statusCode, 400, field);
      assert.equal(res.json().error.code, 'API_BAD_REQUEST');
    }
    res = await app.inject({
      method: 'PUT',
      url: '/api/v1/models/churn/policies/champion',
      payload: { gates: Array(51).fill('roc_auc>=0.5') },
    });
    assert.equal(res.statusCode, 400);
    // nothing was written by the refused calls
    assert.deepEqual((await registry.get('churn', 1)).card, cardBefore);
    for (const url of ['/health', '/api/v1/runs', '/api/v1/nope']) {
      res = await app.inject(url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.match(String(res.headers['content-security-policy']), /default-src 'none'/, url);
      assert.equal(res.headers['x-frame-options'], 'DENY', url);
    }
  });

  it('talks to a real server', async () => {
    const api = await startApi({ store, registry, auth, port: 0 });
    try {
      await assert.rejects(
        new KeelClient(api.url, { token: 'keel_0000000000000000_wrong' }).listRuns(),
        (e: unknown) => e instanceof KeelApiError && e.status === 401 && e.code === 'AUTH_UNAUTHENTICATED',
      );
      const client = new KeelClient(api.url, { token });
      const list = await client.listRuns({ filter: "params.model = 'gradient_boosting'" });
      assert.deepEqual(
        list.runs.map((r) => r.id),
        [runId],
      );
      assert.equal(Buffer.from(await client.artifact(runId, 'reports/roc.json')).toString(), '{"auc":0.91}');
      const v = await client.getVersion('churn', 1);
      assert.equal(v.runId, runId);
      await assert.rejects(
        client.getRun('missing'),
        (e: unknown) => e instanceof KeelApiError && e.status === 404 && e.code === 'TRACK_NOT_FOUND',
      );
      assert.match(await client.card('churn', 1, 'md'), /Model card/);
    } finally {
      await api.close();
    }
  });
});

/** Never called: `npm run typecheck` proves the client's types reject wrong calls. */
export function _typeChecks(client: KeelClient): void {
  // @ts-expect-error a version is a number
  void client.getVersion('churn', 'one');
  // @ts-expect-error promote needs a reason
  void client.promote('churn', 'champion', { version: 1 });
  // @ts-expect-error unknown query option
  void client.listRuns({ sort: 'x' });
}
