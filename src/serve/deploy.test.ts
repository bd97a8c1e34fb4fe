// The server's production behaviour on real trained models: limits and error codes, Prometheus metrics, overload
// shedding, micro-batching identical to single scoring, A/B with sticky keys and outcomes, a failing canary rolled
// back without a client-visible error, a failing shadow that never touches the primary, the redacted prediction
// log, the schema / OpenAPI contract and a graceful shutdown.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuthStore } from '../auth/index.ts';
import { runTrainJob } from '../flow/index.ts';
import { DeploymentStore, ModelRegistry } from '../registry/index.ts';
import { openStore, type SqlRunStore } from '../track/index.ts';
import { buildModelServer, type LoadedModel } from './index.ts';
import { ShadowWorker } from './shadow.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-deploy-'));
let store: SqlRunStore;
let registry: ModelRegistry;
let deployments: DeploymentStore;
const row = (i: number) => ({
  size: (i * 7) % 50,
  color: ['red', 'green', 'blue'][i % 3],
  owner: `person-${i}`,
});

before(async () => {
  const lines = ['size,color,owner,label'];
  for (let i = 0; i < 400; i++)
    lines.push(
      `${(i * 7) % 50},${['red', 'green', 'blue'][i % 3]},person-${i},${(i * 7) % 50 > 25 || i % 3 === 0 ? 'big' : 'small'}`,
    );
  fs.writeFileSync(path.join(home, 'toy.csv'), `${lines.join('\n')}\n`);
  store = await openStore({ home });
  registry = await ModelRegistry.open(store);
  deployments = await DeploymentStore.open(store);
  const job = {
    file: path.join(home, 'toy.csv'),
    target: 'label',
    modelName: 'toy',
    experiment: 'd',
    store,
    registry,
    sensitive: ['owner'],
  };
  await runTrainJob({ ...job, models: [{ kind: 'logistic_regression' }] });
  await runTrainJob({
    ...job,
    models: [{ kind: 'gradient_boosting', params: { n_estimators: 30, min_samples_leaf: 5 } }],
    promote: null,
  });
});
after(async () => {
  await store.close();
});

/** Fault injection for the plumbing tests: the arm's real model, failing a share of calls. */
function failing(m: LoadedModel, share: number, seed = 1): LoadedModel {
  let s = seed;
  const maybeFail = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    if (s / 2147483648 < share) throw new Error('injected failure');
  };
  return {
    ...m,
    predict: (f) => {
      maybeFail();
      return m.predict(f);
    },
    scoreRecords: m.scoreRecords
      ? (r) => {
          maybeFail();
          return (m.scoreRecords as NonNullable<typeof m.scoreRecords>)(r);
        }
      : undefined,
  };
}

describe('server limits, errors and metrics', () => {
  it('answers 413, 415, 400 (too deep, bad JSON) with codes, and counts requests in /metrics', async () => {
    const { app } = await buildModelServer({ registry, refs: ['toy@champion'], bodyLimit: 4096 });
    try {
      const post = (payload: string, type = 'application/json') =>
        app.inject({
          method: 'POST',
          url: '/v1/models/toy/predict',
          headers: { 'content-type': type },
          payload,
        });
      assert.equal((await post(JSON.stringify({ instance: row(1) }))).statusCode, 200);
      let res = await post('x'.repeat(5000));
      assert.deepEqual([res.statusCode, res.json().error.code], [413, 'SERVE_TOO_LARGE']);
      res = await post('size=1', 'text/plain');
      assert.deepEqual([res.statusCode, res.json().error.code], [415, 'SERVE_UNSUPPORTED_MEDIA_TYPE']);
      res = await post(`{"instance": {"size": ${'['.repeat(40)}${']'.repeat(40)}}}`);
      assert.deepEqual([res.statusCode, res.json().error.code], [400, 'SERVE_TOO_DEEP']);
      res = await post('{"instance": ');
      assert.deepEqual([res.statusCode, res.json().error.code], [400, 'SERVE_BAD_JSON']);
      res = await post(JSON.stringify({ instance: { ...row(1), size: 'x' } }));
      assert.deepEqual(res.json().error.details[0], {
        code: 'FIELD_TYPE',
        path: 'instance.size',
        message: 'must be a finite number, got string "x"',
      });
      const metrics = (await app.inject('/metrics')).body;
      assert.match(
        metrics,
        /keel_serve_requests_total\{model="toy",version="1",arm="primary",status="200"\} 1/,
      );
      assert.match(metrics, /keel_serve_errors_total\{model="toy",code="SERVE_SCHEMA_MISMATCH"\} 1/);
      assert.match(metrics, /keel_serve_request_duration_seconds_bucket/);
      const schema = (await app.inject('/v1/models/toy/schema')).json();
      assert.deepEqual(schema.required, ['size', 'color', 'owner']);
      const doc = (await app.inject('/v1/models/toy/openapi.json')).json();
      assert.ok(doc.paths['/v1/models/toy/predict'].post);
    } finally {
      await app.close();
    }
  });

  it('sheds load past maxInFlight with 503 and Retry-After', async () => {
    const { app } = await buildModelServer({
      registry,
      deployments: [
        {
          name: 'toy',
          arms: [{ name: 'primary', ref: 'toy@champion' }],
          batch: { maxRows: 1000, maxWaitMs: 50 },
        },
      ],
      maxInFlight: 1,
    });
    try {
      const send = () =>
        app.inject({ method: 'POST', url: '/v1/models/toy/predict', payload: { instance: row(2) } });
      const [a, b] = await Promise.all([send(), send()]);
      const codes = [a.statusCode, b.statusCode].sort();
      assert.deepEqual(codes, [200, 503]);
      const shed = a.statusCode === 503 ? a : b;
      assert.equal(shed.headers['retry-after'], '1');
      assert.equal(shed.json().error.code, 'SERVE_OVERLOADED');
    } finally {
      await app.close();
    }
  });

  it('sheds with 503 + Retry-After while the event loop runs late (a queue no counter sees)', async () => {
    const { app } = await buildModelServer({ registry, refs: ['toy@1'], maxQueueMs: 40 });
    try {
      const ask = () =>
        app.inject({ method: 'POST', url: '/v1/models/toy/predict', payload: { instance: row(3) } });
      assert.equal((await ask()).statusCode, 200);
      await new Promise((r) => setTimeout(r, 20));
      const late = ask();
      const until = performance.now() + 150;
      while (performance.now() < until) {
        // the loop is kept busy: the request above waits, as it would behind other sockets' work
      }
      const res = await late;
      assert.equal(res.statusCode, 503);
      assert.equal(res.headers['retry-after'], '1');
      assert.match(res.json().error.message, /queue for over 40 ms/);
      await new Promise((r) => setTimeout(r, 30));
      assert.equal((await ask()).statusCode, 200, 'served again once the loop keeps up');
    } finally {
      await app.close();
    }
  });

  it('micro-batches concurrent requests with outputs identical to scoring each alone', async () => {
    const batched = await buildModelServer({
      registry,
      deployments: [
        { name: 'toy', arms: [{ name: 'p', ref: 'toy@2' }], batch: { maxRows: 64, maxWaitMs: 5 } },
      ],
    });
    const single = await buildModelServer({ registry, refs: ['toy@2'] });
    try {
      const ask = (app: typeof single.app, i: number) =>
        app.inject({
          method: 'POST',
          url: '/v1/models/toy/predict',
          payload: { instance: { ...row(i), color: i % 5 === 0 ? 'purple' : row(i).color } },
        });
      const a = await Promise.all(Array.from({ length: 40 }, (_, i) => ask(batched.app, i)));
      const b = await Promise.all(Array.from({ length: 40 }, (_, i) => ask(single.app, i)));
      assert.deepEqual(
        a.map((r) => r.json().predictions),
        b.map((r) => r.json().predictions),
      );
      const batcher = batched.endpoints.get('toy')?.arms[0].batcher;
      assert.ok(batcher && batcher.batches < 40, `${batcher?.batches} batches for 40 requests`);
    } finally {
      await batched.app.close();
      await single.app.close();
    }
  });
});

describe('safe delivery', () => {
  it('A/B: weights split traffic, a sticky key keeps its arm, outcomes (with a token) feed the sequential test', async () => {
    const auth = await AuthStore.open(store.sql);
    await auth.addIdentity('labeller', { kind: 'service', by: 'test', roles: { default: 'service' } });
    const { token } = await auth.createToken('labeller', { by: 'test' });
    const bearer = { authorization: `Bearer ${token}` };
    const { app } = await buildModelServer({
      registry,
      auth,
      deployments: [
        {
          name: 'toy',
          arms: [
            { name: 'control', ref: 'toy@1', weight: 1 },
            { name: 'treatment', ref: 'toy@2', weight: 1 },
          ],
          abTest: { metric: 'revenue' },
        },
      ],
    });
    try {
      const seen: Record<string, number> = { control: 0, treatment: 0 };
      for (let i = 0; i < 200; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/models/toy/predict',
          headers: { 'x-request-key': `user-${i}` },
          payload: { instance: row(i) },
        });
        seen[res.json().arm]++;
        const again = await app.inject({
          method: 'POST',
          url: '/v1/models/toy/predict',
          headers: { 'x-request-key': `user-${i}` },
          payload: { instance: row(i + 1) },
        });
        assert.equal(again.json().arm, res.json().arm, 'sticky');
        assert.equal(res.json().version, res.json().arm === 'control' ? 1 : 2);
      }
      assert.ok(seen.control > 60 && seen.treatment > 60, JSON.stringify(seen));
      const outcomes = Array.from({ length: 400 }, (_, i) => ({
        arm: i % 2 ? 'treatment' : 'control',
        value: (i % 2 ? 1.5 : 1) + ((i * 37) % 10) / 10,
      }));
      const anonymous = await app.inject({
        method: 'POST',
        url: '/v1/deployments/toy/outcomes',
        payload: { outcomes },
      });
      assert.equal(anonymous.statusCode, 401, 'anonymous outcomes are refused');
      const res = await app.inject({
        method: 'POST',
        url: '/v1/deployments/toy/outcomes',
        headers: bearer,
        payload: { outcomes },
      });
      assert.equal(res.json().ab_test.significant, true);
      assert.match(res.json().ab_test.recommendation, /treatment is better/);
      assert.equal(
        (
          await app.inject({
            method: 'POST',
            url: '/v1/deployments/toy/outcomes',
            headers: bearer,
            payload: { arm: 'nope', value: 1 },
          })
        ).statusCode,
        400,
      );
    } finally {
      await app.close();
    }
  });

  it('canary: a model failing 5% is rolled back, the event is stored, and no client sees an error', async () => {
    const built = await buildModelServer({
      registry,
      deploymentStore: deployments,
      deployments: [
        {
          name: 'toy',
          arms: [
            { name: 'stable', ref: 'toy@1' },
            { name: 'canary', ref: 'toy@2', canary: true },
          ],
          canary: { steps: [10, 50, 100], minRequestsPerStep: 100 },
        },
      ],
    });
    try {
      const e = built.endpoints.get('toy');
      assert.ok(e);
      e.swap(e.arms[1], failing(e.arms[1].model, 0.05));
      let errors = 0;
      for (let i = 0; i < 3000 && e.canary?.state === 'running'; i++) {
        const res = await built.app.inject({
          method: 'POST',
          url: '/v1/models/toy/predict',
          payload: { instance: row(i) },
        });
        if (res.statusCode !== 200) errors++;
      }
      assert.equal(e.canary?.state, 'rolled_back');
      assert.equal(errors, 0, 'failed canary requests were answered by the baseline');
      assert.deepEqual(e.weights(), [1, 0]);
      await new Promise((r) => setTimeout(r, 50));
      const events = await deployments.events('toy');
      assert.ok(events.some((x) => x.kind === 'canary_rolled_back'));
    } finally {
      await built.app.close();
    }
  });

  for (const fault of ['throw', 'hang'] as const) {
    it(`shadow on a worker thread: one that ${fault === 'throw' ? 'always throws' : 'never answers'} leaves every primary answer intact`, async () => {
      const built = await buildModelServer({
        registry,
        deployments: [
          {
            name: 'toy',
            arms: [
              { name: 'main', ref: 'toy@1' },
              { name: 'shadow', ref: 'toy@2', shadow: true },
            ],
          },
        ],
        shadowFaults: { shadow: fault },
        shadowTimeoutMs: 100,
      });
      try {
        const e = built.endpoints.get('toy');
        assert.ok(e);
        for (let i = 0; i < 50; i++) {
          const res = await built.app.inject({
            method: 'POST',
            url: '/v1/models/toy/predict',
            payload: { instance: row(i) },
          });
          assert.equal(res.statusCode, 200);
          assert.equal(res.json().arm, 'main');
        }
        // every copy is accounted for once its timeout (100 ms) has passed: wait for that, not for a fixed time
        const settled = () => {
          const s = e.shadowStats.get('shadow');
          return !!s && s.failed + s.dropped === 50 && s.failed > 0;
        };
        for (let t = 0; t < 500 && !settled(); t++) await new Promise((r) => setTimeout(r, 10));
        const stats = e.shadowStats.get('shadow');
        assert.ok(stats && stats.failed + stats.dropped === 50 && stats.failed > 0, JSON.stringify(stats));
      } finally {
        await built.app.close();
      }
    });
  }

  it('a shadow restarted by a hot swap keeps its fault drill and serves the swapped-in version', async () => {
    await registry.promote({ name: 'toy', version: 1, alias: 'drill', reason: 'test', gates: [] });
    const built = await buildModelServer({
      registry,
      deployments: [
        {
          name: 'toy',
          arms: [
            { name: 'main', ref: 'toy@1' },
            { name: 'shadow', ref: 'toy@drill', shadow: true },
          ],
        },
      ],
      shadowFaults: { shadow: 'throw' },
      shadowTimeoutMs: 2000,
    });
    try {
      const e = built.endpoints.get('toy');
      assert.ok(e);
      const send = async (n: number) => {
        for (let i = 0; i < n; i++)
          await built.app.inject({
            method: 'POST',
            url: '/v1/models/toy/predict',
            payload: { instance: row(i) },
          });
      };
      const failedReach = async (n: number) => {
        for (let t = 0; t < 500 && (e.shadowStats.get('shadow')?.failed ?? 0) < n; t++)
          await new Promise((r) => setTimeout(r, 10));
        return e.shadowStats.get('shadow')?.failed ?? 0;
      };
      await send(5);
      assert.equal(await failedReach(5), 5);
      await registry.promote({ name: 'toy', version: 2, alias: 'drill', reason: 'test', gates: [] });
      const outcomes = await built.reload();
      assert.deepEqual(
        outcomes.filter((x) => x.status === 'swapped').map((x) => [x.ref, x.from, x.version]),
        [['toy@drill', 1, 2]],
      );
      assert.equal(e.arms.find((a) => a.spec.name === 'shadow')?.model.version, 2);
      // the restarted worker still throws: every copy after the swap fails too (it used to answer)
      await send(5);
      assert.equal(await failedReach(10), 10);
      assert.equal(e.shadowStats.get('shadow')?.compared ?? 0, 0);
    } finally {
      await built.app.close();
    }
  });

  for (const fault of ['hang', 'spin'] as const) {
    it(`a shadow worker that ${fault === 'hang' ? 'idles without answering is paused, not replaced' : 'spins is terminated and replaced after a pause'}`, async () => {
      const bytes = await registry.loadVerified(await registry.resolve('toy@2'));
      let failed = 0;
      const w = new ShadowWorker(bytes, {
        handler: (_copy, batch, _o, error) => {
          if (!batch && error) failed++;
        },
        timeoutMs: 100,
        fault,
      });
      let dropped = 0;
      const text = JSON.stringify({ instance: row(1) });
      try {
        const done = () => (fault === 'hang' ? w.stuckCount >= 2 : w.restarts >= 2 && dropped > 0);
        for (let t = 0; t < 3000 && !done(); t++) {
          if (!w.send(text, 1, null, 0, null)) dropped++;
          await new Promise((r) => setTimeout(r, 10));
        }
        assert.ok(done(), `stuck ${w.stuckCount} times, ${w.restarts} restarts`);
        if (fault === 'hang') assert.equal(w.restarts, 0, 'an idle stuck worker is not replaced');
        assert.equal(w.lowPriority, process.platform === 'linux', 'shadow threads yield the CPU on Linux');
        assert.ok(failed > 0 && dropped > 0, `failed ${failed}, dropped ${dropped}`);
      } finally {
        await w.close();
      }
    });
  }

  it('a spinning shadow is ended long before its copies time out; a slow one that answers is kept', async () => {
    const bytes = await registry.loadVerified(await registry.resolve('toy@2'));
    const text = JSON.stringify({ instance: row(1) });
    for (const fault of ['spin', 'slow'] as const) {
      const outcomes: string[] = [];
      const w = new ShadowWorker(bytes, {
        handler: (_copy, batch, _o, error) => outcomes.push(batch ? 'answer' : (error?.message ?? '?')),
        timeoutMs: 20_000,
        fault,
      });
      try {
        // the copy waits for the worker's start; the clock starts once the worker is ready
        w.send(text, 1, null, 0, null);
        const start = performance.now();
        let sent = 1;
        // the verdict waits for the spinning thread to burn 100 ms of CPU: at once on an idle host, later when the host
        // starves the low-priority thread (then it costs the primary nothing), at most ~10 s
        for (let t = 0; t < 1900 && outcomes.length < (fault === 'spin' ? 1 : 10); t++) {
          if (fault === 'slow' && sent < 10 && t % 5 === 0) sent += w.send(text, 1, null, 0, null) ? 1 : 0;
          await new Promise((r) => setTimeout(r, 10));
        }
        const tookMs = performance.now() - start;
        if (fault === 'spin') {
          assert.deepEqual(outcomes, ['shadow worker blocked']);
          assert.equal(w.restarts, 1);
          // long before the copy's 20 s timeout (on an idle host: start-up + 100 ms of silence + ~100 ms of spinning)
          assert.ok(tookMs < 12_000, `ended after ${tookMs.toFixed(0)} ms`);
          assert.equal(w.send(text, 1, null, 0, null), false, 'copies pause after a blocked worker');
        } else {
          assert.deepEqual(outcomes, Array(10).fill('answer'), 'each batch blocks for 120 ms, yet answers');
          assert.equal(w.restarts, 0);
        }
      } finally {
        await w.close();
      }
    }
  });

  it('shadow on a worker thread: a healthy shadow is compared with the primary', async () => {
    const built = await buildModelServer({
      registry,
      deployments: [
        {
          name: 'toy',
          arms: [
            { name: 'main', ref: 'toy@1' },
            { name: 'twin', ref: 'toy@1', shadow: true },
          ],
        },
      ],
    });
    try {
      for (let i = 0; i < 30; i++)
        await built.app.inject({
          method: 'POST',
          url: '/v1/models/toy/predict',
          payload: { instance: row(i) },
        });
      // copies of several rows share a batch with single-row copies: each is compared at its own rows
      for (let i = 0; i < 2; i++)
        await built.app.inject({
          method: 'POST',
          url: '/v1/models/toy/predict',
          payload: { instances: [row(i), row(i + 7), row(i + 13)] },
        });
      const e = built.endpoints.get('toy');
      for (let t = 0; t < 500 && (e?.shadowStats.get('twin')?.compared ?? 0) < 36; t++)
        await new Promise((r) => setTimeout(r, 20));
      const stats = e?.shadowStats.get('twin');
      assert.deepEqual(
        [stats?.scored, stats?.compared, stats?.agreed, stats?.failed, stats?.dropped],
        [32, 36, 36, 0, 0],
        'the same model agrees with itself, row for row',
      );
      const metrics = (await built.app.inject({ method: 'GET', url: '/metrics' })).body;
      assert.match(metrics, /keel_serve_shadow_total\{model="toy",arm="twin",outcome="scored"\} 32/);
    } finally {
      await built.app.close();
    }
  });

  it('shadow on a worker thread: a regression shadow is compared value by value', async () => {
    await runTrainJob({
      file: path.join(home, 'toy.csv'),
      target: 'size',
      task: 'regression',
      modelName: 'toyreg',
      experiment: 'd',
      store,
      registry,
      models: [{ kind: 'gradient_boosting', params: { n_estimators: 20 } }],
    });
    const built = await buildModelServer({
      registry,
      deployments: [
        {
          name: 'toyreg',
          arms: [
            { name: 'main', ref: 'toyreg@1' },
            { name: 'twin', ref: 'toyreg@1', shadow: true },
          ],
        },
      ],
    });
    const features = (i: number) => ({
      color: row(i).color,
      owner: row(i).owner,
      label: i % 2 ? 'big' : 'small',
    });
    try {
      for (let i = 0; i < 10; i++)
        await built.app.inject({
          method: 'POST',
          url: '/v1/models/toyreg/predict',
          payload: { instance: features(i) },
        });
      const many = await built.app.inject({
        method: 'POST',
        url: '/v1/models/toyreg/predict',
        payload: { instances: [features(3), features(4), features(5)] },
      });
      assert.equal(many.statusCode, 200, many.body);
      const e = built.endpoints.get('toyreg');
      for (let t = 0; t < 500 && (e?.shadowStats.get('twin')?.compared ?? 0) < 13; t++)
        await new Promise((r) => setTimeout(r, 20));
      const stats = e?.shadowStats.get('twin');
      assert.deepEqual(
        [stats?.scored, stats?.compared, stats?.agreed, stats?.absDiff],
        [11, 13, 13, 0],
        'the same regression model gives the same values, row for row',
      );
    } finally {
      await built.app.close();
    }
  });

  it('logs sampled predictions with sensitive fields redacted', async () => {
    const built = await buildModelServer({
      registry,
      deploymentStore: deployments,
      deployments: [{ name: 'toy', arms: [{ name: 'p', ref: 'toy@1' }], logSampleRate: 1 }],
    });
    for (let i = 0; i < 5; i++)
      await built.app.inject({
        method: 'POST',
        url: '/v1/models/toy/predict',
        payload: { instance: row(i) },
      });
    await built.app.close(); // flushes the log
    const logged = (await deployments.predictions('toy')).filter((p) => p.arm === 'p');
    assert.equal(logged.length, 5);
    const input = (logged[0].input as Record<string, unknown>[])[0];
    assert.equal(input.owner, '[redacted]');
    assert.equal(typeof input.size, 'number');
  });

  it('logs shadow answers under the shadow arm, never returning them', async () => {
    const built = await buildModelServer({
      registry,
      deploymentStore: deployments,
      deployments: [
        {
          name: 'toyshadow',
          arms: [
            { name: 'main', ref: 'toy@1' },
            { name: 'copy', ref: 'toy@2', shadow: true },
          ],
          logSampleRate: 1,
        },
      ],
    });
    for (let i = 0; i < 5; i++) {
      const res = await built.app.inject({
        method: 'POST',
        url: '/v1/models/toyshadow/predict',
        payload: { instance: row(i) },
      });
      assert.equal(res.json().arm, 'main');
    }
    const e = built.endpoints.get('toyshadow');
    // the shadow runs on its own thread, which may take seconds to start on a loaded machine
    for (let t = 0; t < 500 && (e?.shadowStats.get('copy')?.compared ?? 0) < 5; t++)
      await new Promise((r) => setTimeout(r, 20));
    await built.app.close();
    const logged = await deployments.predictions('toyshadow');
    assert.deepEqual(logged.map((p) => p.arm).sort(), [
      'copy',
      'copy',
      'copy',
      'copy',
      'copy',
      'main',
      'main',
      'main',
      'main',
      'main',
    ]);
    assert.equal(
      ((logged.find((p) => p.arm === 'copy')?.input ?? [{}]) as Record<string, unknown>[])[0].owner,
      '[redacted]',
    );
  });

  it('graceful shutdown: readiness turns 503 at once while in-flight requests complete', async () => {
    const built = await buildModelServer({
      registry,
      deployments: [
        { name: 'toy', arms: [{ name: 'p', ref: 'toy@1' }], batch: { maxRows: 1000, maxWaitMs: 80 } },
      ],
    });
    const inflight = built.app.inject({
      method: 'POST',
      url: '/v1/models/toy/predict',
      payload: { instance: row(1) },
    });
    await new Promise((r) => setTimeout(r, 10));
    const down = built.shutdown({ drainMs: 30, deadlineMs: 2000 });
    const ready = await built.app.inject('/health/ready');
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.headers.connection, 'close', 'keep-alive clients are told to go while draining');
    const answered = await inflight;
    assert.equal(answered.statusCode, 200);
    assert.equal(answered.headers.connection, 'close');
    await down;
  });
});
