// The model server, in-process through Fastify's inject: schema validation with field paths, predictions with
// probabilities and the answering version, health, limits, and refusal of a tampered artifact.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Frame } from '../data/index.ts';
import { runTrainJob } from '../flow/index.ts';
import { createLearner } from '../models/index.ts';
import { ModelRegistry } from '../registry/index.ts';
import { type LocalArtifactStore, openStore, type SqlRunStore } from '../track/index.ts';
import { pipeline, requestSchema, standardScaler } from '../transform/index.ts';
import { buildModelServer, loadModel, validatePredictBody } from './index.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-serve-'));
const csv = path.join(home, 'toy.csv');
const lines = ['size,color,when,label'];
for (let i = 0; i < 400; i++) {
  const size = i % 13 === 0 ? 'NA' : String((i * 7) % 50);
  const color = ['red', 'green', 'blue'][i % 3];
  const label = (i * 7) % 50 > 25 || color === 'red' ? 'big' : 'small';
  lines.push(`${size},${color},2024-01-${String((i % 28) + 1).padStart(2, '0')},${label}`);
}
fs.writeFileSync(csv, `${lines.join('\n')}\n`);

let store: SqlRunStore;
let registry: ModelRegistry;
let app: FastifyInstance;
const good = { size: 30, color: 'green', when: '2024-01-05' };

before(async () => {
  store = await openStore({ home });
  registry = await ModelRegistry.open(store);
  await runTrainJob({
    file: csv,
    target: 'label',
    modelName: 'toy',
    experiment: 't',
    store,
    registry,
    models: [{ kind: 'logistic_regression' }],
  });
  ({ app } = await buildModelServer({ registry, refs: ['toy@champion'], maxInstances: 5 }));
});
after(async () => {
  await app.close();
  await store.close();
});

describe('model server', () => {
  it('answers a valid request with the label, class probabilities and the version', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/models/toy/predict',
      payload: { instance: good },
    });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.version, 1);
    assert.equal(body.model, 'toy');
    const [p] = body.predictions;
    assert.ok(['big', 'small'].includes(p.label));
    assert.ok(Math.abs(p.probabilities.big + p.probabilities.small - 1) < 1e-12);
    assert.equal(p.label, p.probabilities.big > p.probabilities.small ? 'big' : 'small');
    assert.ok(res.headers['x-request-id']);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
  });

  it('scores batches and accepts null where training saw missing values', async () => {
    const predict = async (instances: unknown[]): Promise<number[]> => {
      const res = await app.inject({ method: 'POST', url: '/v1/models/toy/predict', payload: { instances } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().predictions.map((x: { probabilities: { big: number } }) => x.probabilities.big);
    };
    const p = [
      ...(await predict([
        good,
        { ...good, size: null },
        { ...good, color: 'never-seen' },
        { ...good, color: 'also-unseen' },
        { ...good, size: 'NA' },
      ])),
      ...(await predict(['red', 'green', 'blue'].map((color) => ({ ...good, color })))),
    ];
    assert.equal(p.length, 8);
    // a missing size is scored as the training median the imputer learned, whether sent as null or as "NA"
    const model = await loadModel(registry, 'toy@champion');
    const impute = model.artifact.pipeline.steps.find((st) => st.kind === 'impute') as unknown as {
      numeric: string[];
      numericFill: Float64Array;
    };
    const fill = impute.numericFill[impute.numeric.indexOf('size')];
    assert.notEqual(fill, good.size);
    assert.equal(p[1], (await predict([{ ...good, size: fill }]))[0]);
    assert.equal(p[4], p[1]);
    // an unseen category gets no one-hot slot: every unseen value scores alike, and unlike each known colour
    assert.equal(p[2], p[3]);
    for (const known of p.slice(5)) assert.notEqual(p[2], known);
  });

  it('rejects bad requests with 400 naming every offending field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/models/toy/predict',
      payload: {
        instances: [
          { size: 'big', color: 'red', when: '2024-01-01' },
          { size: 1, when: 'not a date', extra: 1 },
        ],
      },
    });
    assert.equal(res.statusCode, 400);
    const err = res.json().error;
    assert.equal(err.code, 'SERVE_SCHEMA_MISMATCH');
    const paths = err.details.map((d: { path: string }) => d.path).sort();
    assert.deepEqual(paths, [
      'instances[0].size',
      'instances[1].color',
      'instances[1].extra',
      'instances[1].when',
    ]);
    assert.match(err.message, /instances\[/);
    assert.ok(!JSON.stringify(res.json()).includes('at '), 'no stack trace');
  });

  it('takes null in a field never missing in training when the pipeline imputes it; refuses it otherwise', async () => {
    const ask = (instance: unknown) =>
      app.inject({ method: 'POST', url: '/v1/models/toy/predict', payload: { instance } });
    let res = await ask({ ...good, color: null });
    assert.equal(res.statusCode, 200, res.body);
    // filled with the colour the fitted imputer holds, the most frequent in the training rows
    const model = await loadModel(registry, 'toy@champion');
    const imputer = model.artifact.pipeline.steps[0] as unknown as {
      categorical: string[];
      categoricalFill: string[];
    };
    assert.equal(imputer.categorical.length, 1);
    const filled = await ask({ ...good, color: imputer.categoricalFill[0] });
    assert.deepEqual(res.json().predictions, filled.json().predictions);
    res = await ask({ ...good, color: 'NA' });
    assert.equal(res.statusCode, 200, 'a missing marker too');
    // a pipeline without a leading imputer keeps the training schema: null is refused there
    const frame = new Frame([
      { name: 'x', type: 'numeric', values: Float64Array.from({ length: 40 }, (_, i) => i) },
      { name: 'y', type: 'numeric', values: Float64Array.from({ length: 40 }, (_, i) => i % 2) },
    ]);
    const bare = pipeline([standardScaler()], createLearner('logistic_regression')).fit(frame, 'y', {
      task: 'binary',
    }).state;
    const schema = requestSchema(bare);
    assert.deepEqual(schema, bare.inputSchema);
    const v = validatePredictBody({ instance: { x: null } }, schema, { maxInstances: 1 });
    assert.equal(v.ok, false);
    assert.equal(v.ok ? null : v.errors[0].code, 'FIELD_NULL');
  });

  it('refuses malformed JSON, oversized batches and unknown models', async () => {
    let res = await app.inject({
      method: 'POST',
      url: '/v1/models/toy/predict',
      headers: { 'content-type': 'application/json' },
      payload: '{"instance": {',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'SERVE_BAD_JSON');
    res = await app.inject({
      method: 'POST',
      url: '/v1/models/toy/predict',
      headers: { 'content-type': 'application/json' },
      payload: '{"instance": {"__proto__": {"polluted": true}}}',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    res = await app.inject({
      method: 'POST',
      url: '/v1/models/toy/predict',
      payload: { instances: Array(6).fill(good) },
    });
    assert.equal(res.statusCode, 400);
    res = await app.inject({ method: 'POST', url: '/v1/models/nope/predict', payload: { instance: good } });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'SERVE_MODEL_NOT_FOUND');
  });

  it('reports health and model metadata', async () => {
    assert.equal((await app.inject('/health/live')).statusCode, 200);
    const ready = await app.inject('/health/ready');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json().models, [{ name: 'toy', versions: [1] }]);
    const meta = (await app.inject('/v1/models/toy')).json();
    assert.deepEqual(meta.classes, ['big', 'small']);
    assert.deepEqual(
      meta.input_schema.columns.map((c: { name: string; type: string }) => [c.name, c.type]),
      [
        ['size', 'numeric'],
        ['color', 'categorical'],
        ['when', 'datetime'],
      ],
    );
  });

  it("the instance schema says a nullable field takes the training data's missing markers", async () => {
    const schema = (await app.inject('/v1/models/toy/schema')).json();
    const size = schema.properties.size.anyOf as { type: string; enum?: string[] }[];
    assert.deepEqual(
      size.map((t) => t.type),
      ['number', 'null', 'string'],
    );
    assert.ok(size[2].enum?.includes('NA') && size[2].enum.includes('?'));
    // never missing in training, but imputed by the pipeline: null is taken, and the schema says why
    assert.deepEqual(schema.properties.color, {
      anyOf: [
        {
          type: 'string',
          examples: ['blue', 'green', 'red'],
          description: 'a category; unseen values are accepted',
        },
        { type: 'null' },
      ],
      description: 'never missing in training: a missing value is filled by the model pipeline',
    });
    const openapi = (await app.inject('/v1/models/toy/openapi.json')).json();
    assert.match(JSON.stringify(openapi), /a missing-value marker of the training data/);
  });

  it('hot-swaps when the alias moves, and keeps the old version when the new one is tampered with', async () => {
    const built = await buildModelServer({ registry, refs: ['toy@champion'] });
    try {
      const ask = async () =>
        (
          await built.app.inject({
            method: 'POST',
            url: '/v1/models/toy/predict',
            payload: { instance: good },
          })
        ).json().version;
      assert.equal(await ask(), 1);
      assert.deepEqual(
        (await built.reload()).map((x) => x.status),
        ['unchanged'],
      );
      const current = await registry.resolve('toy@champion');
      // version 2: same run, its model file then corrupted on disk
      const v2 = await registry.register({ name: 'toy', runId: current.runId, artifact: 'model.keel' });
      await registry.promote({
        name: 'toy',
        version: v2.version,
        alias: 'champion',
        gates: [],
        reason: 'test',
      });
      const file = (store.artifacts as LocalArtifactStore).pathOf(v2.artifactSha256);
      const original = fs.readFileSync(file);
      fs.writeFileSync(file, original.subarray(0, original.length - 10));
      try {
        const [outcome] = await built.reload();
        assert.equal(outcome.status, 'kept');
        assert.match(outcome.error ?? '', /integrity/);
        assert.equal(await ask(), 1, 'the previous version keeps answering');
      } finally {
        fs.writeFileSync(file, original);
      }
      const [swapped] = await built.reload();
      assert.deepEqual([swapped.status, swapped.from, swapped.version], ['swapped', 1, 2]);
      assert.equal(await ask(), 2);
      await registry.promote({ name: 'toy', version: 1, alias: 'champion', gates: [], reason: 'back' });
      await built.reload();
    } finally {
      await built.app.close();
    }
  });

  it('the compiled fast path equals the frame path on padded strings, ISO dates and nulls', async () => {
    const m = await loadModel(registry, 'toy@champion');
    assert.ok(m.scoreRecords);
    const v = validatePredictBody(
      {
        instances: [
          good,
          { size: null, color: ' red ', when: '2024-01-09T00:00:00Z' },
          { size: 3, color: 'teal', when: 1704153600000 },
        ],
      },
      m.schema,
      { maxInstances: 10 },
    );
    assert.ok(v.ok);
    const slow = m.predict(v.frame);
    // twice: the second time a padded category comes from the scorer's memory of spellings seen before
    for (let round = 0; round < 2; round++) {
      const fast = m.scoreRecords(v.records);
      assert.deepEqual(
        Buffer.from((fast.probabilities as Float64Array).buffer),
        Buffer.from((slow.probabilities as Float64Array).buffer),
      );
    }
    const padded = m.scoreRecords([{ size: 3, color: ' red ', when: 1704153600000 }]);
    const plain = m.scoreRecords([{ size: 3, color: 'red', when: 1704153600000 }]);
    assert.deepEqual(padded.probabilities, plain.probabilities);
  });

  it('refuses to load a tampered artifact', async () => {
    const mv = await registry.resolve('toy@champion');
    const file = (store.artifacts as LocalArtifactStore).pathOf(mv.artifactSha256);
    const original = fs.readFileSync(file);
    const bad = Buffer.from(original);
    bad[bad.length - 1] ^= 1;
    fs.writeFileSync(file, bad);
    try {
      await assert.rejects(loadModel(registry, 'toy@champion'), { code: 'REGISTRY_INTEGRITY' });
    } finally {
      fs.writeFileSync(file, original);
    }
  });
});

describe('validatePredictBody', () => {
  const schema = { columns: [{ name: 'a', type: 'numeric' as const, nullable: false }] };
  it('requires exactly one of instance / instances', () => {
    assert.equal(validatePredictBody({}, schema, { maxInstances: 10 }).ok, false);
    assert.equal(
      validatePredictBody({ instance: { a: 1 }, instances: [] }, schema, { maxInstances: 10 }).ok,
      false,
    );
    assert.equal(validatePredictBody([], schema, { maxInstances: 10 }).ok, false);
    assert.equal(validatePredictBody({ instances: [] }, schema, { maxInstances: 10 }).ok, false);
    assert.equal(validatePredictBody({ instance: { a: 1 } }, schema, { maxInstances: 10 }).ok, true);
  });
  it('refuses non-finite numbers and missing fields', () => {
    const v = validatePredictBody({ instances: [{ a: '1' }, {}] }, schema, { maxInstances: 10 });
    assert.equal(v.ok, false);
    if (!v.ok)
      assert.deepEqual(
        v.errors.map((e) => e.path),
        ['instances[0].a', 'instances[1].a'],
      );
  });
});
