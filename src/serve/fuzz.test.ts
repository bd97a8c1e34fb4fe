// 10,000 malformed requests from a seeded generator — wrong types, NaN / Infinity, huge numbers, missing and unknown
// fields, broken JSON, deep nesting, wrong content types, prototype keys — all answered 4xx with the field named where
// there is one, never a 5xx, and the server alive afterwards.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createRng } from '../core/index.ts';
import { runTrainJob } from '../flow/index.ts';
import { ModelRegistry } from '../registry/index.ts';
import { openStore } from '../track/index.ts';
import { buildModelServer } from './index.ts';

describe('fuzzed requests', () => {
  it('10,000 malformed requests: all 4xx, fields named, no 5xx, server alive', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-fuzz-'));
    const lines = ['age,city,member,joined,label'];
    for (let i = 0; i < 300; i++)
      lines.push(
        `${20 + (i % 50)},${['oslo', 'lima', 'pune'][i % 3]},${i % 2 ? 'true' : 'false'},2024-0${(i % 9) + 1}-15,${i % 4 ? 'a' : 'b'}`,
      );
    fs.writeFileSync(path.join(home, 'f.csv'), `${lines.join('\n')}\n`);
    const store = await openStore({ home });
    const registry = await ModelRegistry.open(store);
    await runTrainJob({
      file: path.join(home, 'f.csv'),
      target: 'label',
      modelName: 'f',
      experiment: 'fuzz',
      store,
      registry,
      models: [{ kind: 'logistic_regression' }],
    });
    const { app } = await buildModelServer({
      registry,
      refs: ['f@champion'],
      bodyLimit: 64 * 1024,
      maxInstances: 100,
    });
    const rng = createRng(99);
    const pick = <T>(xs: T[]): T => xs[rng.int(xs.length)];
    const good = () => ({ age: 30, city: 'oslo', member: true, joined: '2024-03-15' });
    const junk = (): unknown =>
      pick([null, 'x', 1, -1e308, true, [], {}, [1, 2], { a: 1 }, '', '\u0000', 'NaN', 1e21, -0]);
    const fields = ['age', 'city', 'member', 'joined'];
    /** a value the field's type refuses (null and missing markers are taken: the pipeline imputes every field) */
    const invalidFor = (f: string): unknown =>
      f === 'age'
        ? pick(['30', true, [], {}])
        : f === 'member'
          ? pick(['true', 1, [], 'yes'])
          : f === 'city'
            ? pick([5, true, [], {}])
            : pick([true, [], {}, 'not a date']);
    const kinds = {
      wrongType: () => {
        const r: Record<string, unknown> = good();
        const f = pick(fields);
        r[f] = invalidFor(f);
        return { body: JSON.stringify({ instance: r }), field: true };
      },
      hugeNumber: () => ({
        body: `{"instance": {"age": ${pick(['1e400', '-1e999', '123456789e999'])}, "city": "oslo", "member": true, "joined": "2024-03-15"}}`,
        field: true,
      }),
      nanLiteral: () => ({
        body: `{"instance": {"age": ${pick(['NaN', 'Infinity', '-Infinity', 'undefined'])}, "city": "oslo", "member": true, "joined": "2024-03-15"}}`,
        field: false,
      }),
      missingField: () => {
        const r: Record<string, unknown> = good();
        delete r[pick(fields)];
        return { body: JSON.stringify({ instance: r }), field: true };
      },
      unknownField: () => ({
        body: JSON.stringify({ instance: { ...good(), [`extra_${rng.int(1000)}`]: junk() } }),
        field: true,
      }),
      emptyBody: () => ({ body: pick(['', ' ', '\n', 'null', '{}', '[]']), field: false }),
      brokenJson: () => {
        const s = JSON.stringify({ instance: good() });
        const cut = rng.int(s.length - 1);
        return {
          body: pick([s.slice(0, cut), `${s}}`, s.replace(':', ''), `{${s}`, "{'instance': {}}", '']),
          field: false,
        };
      },
      deepNesting: () => ({
        body: `{"instance": {"age": ${'['.repeat(20 + rng.int(5000))}1${']'.repeat(5)}`,
        field: false,
      }),
      wrongShape: () => ({
        body: JSON.stringify(
          pick([
            [good()],
            good(),
            { instances: good() },
            { instances: [] },
            { instance: [good()] },
            { instances: Array(101).fill(good()) },
            'text',
            42,
          ]),
        ),
        field: false,
      }),
      protoKeys: () => ({
        body: pick([
          '{"instance": {"__proto__": {"admin": true}}}',
          '{"__proto__": {"x": 1}, "instance": {}}',
          '{"instance": {"constructor": {"prototype": {"x": 1}}}}',
        ]),
        field: false,
      }),
      wrongContentType: () => ({
        body: JSON.stringify({ instance: good() }),
        type: pick([
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/xml',
          'multipart/form-data; boundary=x',
        ]),
        field: false,
      }),
      tooLarge: () => ({
        body: JSON.stringify({ instance: { ...good(), city: 'x'.repeat(70_000) } }),
        field: false,
      }),
      batchWithOneBad: () => {
        const list = Array.from({ length: 1 + rng.int(20) }, good) as Record<string, unknown>[];
        const f = pick(fields);
        list[rng.int(list.length)][f] = invalidFor(f);
        return { body: JSON.stringify({ instances: list }), field: true };
      },
    } as Record<string, () => { body: string; field: boolean; type?: string }>;
    const names = Object.keys(kinds);
    const statuses: Record<number, number> = {};
    let named = 0;
    let expectedNamed = 0;
    for (let i = 0; i < 10_000; i++) {
      const kind = names[i % names.length];
      const c = kinds[kind]();
      const res = await app.inject({
        method: 'POST',
        url: '/v1/models/f/predict',
        headers: { 'content-type': c.type ?? 'application/json' },
        payload: c.body,
      });
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      assert.ok(
        res.statusCode >= 400 && res.statusCode < 500,
        `${kind} #${i}: HTTP ${res.statusCode}: ${res.body.slice(0, 200)} for ${c.body.slice(0, 120)}`,
      );
      const err = res.json().error;
      assert.equal(typeof err.code, 'string', kind);
      assert.doesNotMatch(res.body, /at \w+ \(|node:internal/, 'no stack trace');
      if (c.field && err.code === 'SERVE_SCHEMA_MISMATCH') {
        expectedNamed++;
        if (err.details.every((d: { path: string }) => /^instances?(\[\d+\])?\.\S+/.test(d.path))) named++;
      } else if (c.field) {
        assert.fail(`${kind} #${i}: expected a schema error naming the field, got ${res.body.slice(0, 200)}`);
      }
    }
    assert.equal(named, expectedNamed, 'every field error names its field');
    assert.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype pollution');
    assert.equal((await app.inject('/health/ready')).statusCode, 200);
    const ok = await app.inject({
      method: 'POST',
      url: '/v1/models/f/predict',
      payload: { instance: good() },
    });
    assert.equal(ok.statusCode, 200);
    await app.close();
    await store.close();
  });
});
