// The registry's behaviour on any store backend: versions, aliases with history, gates with evidence, integrity, cards.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { LocalArtifactStore, SqlRunStore } from '../track/index.ts';
import { ModelRegistry, modelCard, parseGate, parseModelRef } from './index.ts';

export function registrySuite(
  label: string,
  open: () => Promise<SqlRunStore>,
  cleanup?: () => Promise<void>,
): void {
  describe(`ModelRegistry: ${label}`, () => {
    let store: SqlRunStore;
    let registry: ModelRegistry;
    const name = `m${Date.now().toString(36)}`;
    const trained = async (auc: number, bytes: string) => {
      const id = await store.startRun({
        experiment: 'reg',
        name: 'gbt',
        params: { model: 'gradient_boosting', target: 'y' },
      });
      await store.logMetrics(id, { roc_auc: auc, predict_ms_per_1k_rows: 3 });
      await store.logArtifact(id, 'model.keel', Buffer.from(bytes));
      await store.logArtifact(
        id,
        'slices.json',
        Buffer.from(
          JSON.stringify([{ column: 'sex', value: 'F', rows: 40, metrics: { roc_auc: auc - 0.02 } }]),
        ),
      );
      await store.endRun(id, 'finished');
      return id;
    };
    before(async () => {
      store = await open();
      registry = await ModelRegistry.open(store);
    });
    after(async () => {
      await store.close();
      await cleanup?.();
    });

    it('counts versions up, also under concurrent registration, and resolves references', async () => {
      const run = await trained(0.9, `v-${name}-1`);
      const versions = await Promise.all(
        Array.from({ length: 5 }, () =>
          registry.register({ name, runId: run, artifact: 'model.keel', task: 'binary' }),
        ),
      );
      assert.deepEqual(versions.map((v) => v.version).sort(), [1, 2, 3, 4, 5]);
      assert.equal((await registry.resolve(name)).version, 5);
      assert.equal((await registry.resolve(`${name}@2`)).version, 2);
      assert.deepEqual(
        (await registry.get(name, 1)).manifest.map((m) => m.name),
        ['model.keel', 'slices.json'],
      );
      await assert.rejects(registry.resolve(`${name}@champion`), { code: 'REGISTRY_NOT_FOUND' });
      await assert.rejects(registry.register({ name: '1bad', runId: run, artifact: 'model.keel' }), {
        code: 'REGISTRY_BAD_NAME',
      });
      await assert.rejects(registry.register({ name, runId: run, artifact: 'nope' }), {
        code: 'REGISTRY_NO_ARTIFACT',
      });
      assert.throws(() => parseModelRef('a@b@c'), { code: 'REGISTRY_BAD_REF' });
    });

    it('moves aliases through gates, recording every decision with its evidence', async () => {
      const weak = await registry.register({
        name: `${name}g`,
        runId: await trained(0.85, `weak-${name}`),
        artifact: 'model.keel',
      });
      const strong = await registry.register({
        name: `${name}g`,
        runId: await trained(0.91, `strong-${name}`),
        artifact: 'model.keel',
      });
      const worse = await registry.register({
        name: `${name}g`,
        runId: await trained(0.88, `worse-${name}`),
        artifact: 'model.keel',
      });
      const n = `${name}g`;
      await registry.promote({
        name: n,
        version: weak.version,
        alias: 'champion',
        gates: ['beats:roc_auc'],
        reason: 'first',
        actor: 'ana',
      });
      const up = await registry.promote({
        name: n,
        version: strong.version,
        alias: 'champion',
        gates: ['beats:roc_auc', 'roc_auc>=0.9', 'size<=1MB'],
        reason: 'better',
        actor: 'bo',
      });
      assert.equal(up.evaluation.passed, true);
      assert.equal(up.event.fromVersion, weak.version);
      await assert.rejects(
        registry.promote({
          name: n,
          version: worse.version,
          alias: 'champion',
          gates: ['beats:roc_auc'],
          reason: 'try',
        }),
        (e: Error & { code?: string }) => e.code === 'REGISTRY_GATE_FAILED' && /stays at v2/.test(e.message),
      );
      assert.equal(
        (await registry.resolve(`${n}@champion`)).version,
        strong.version,
        'a failed gate leaves the alias where it was',
      );
      const forced = await registry.promote({
        name: n,
        version: worse.version,
        alias: 'champion',
        gates: ['beats:roc_auc'],
        reason: 'rollback drill',
        override: 'incident 42',
      });
      assert.equal(forced.evaluation.overridden, true);
      assert.match(forced.event.reason, /overridden: incident 42/);
      const evals = await registry.evaluations(n);
      assert.deepEqual(
        evals.map((e) => [e.candidateVersion, e.passed, e.overridden]),
        [
          [1, true, false],
          [2, true, false],
          [3, false, false],
          [3, false, true],
        ],
      );
      const failed = evals[2].results[0];
      assert.equal(failed.evidence.candidate, 0.88);
      assert.equal(failed.evidence.incumbent, 0.91);
      const history = await registry.aliasHistory(n);
      assert.deepEqual(history.map((h) => [h.fromVersion, h.toVersion, h.actor]).slice(0, 2), [
        [null, 1, 'ana'],
        [1, 2, 'bo'],
      ]);
      await registry.setPolicy(n, 'prod', ['roc_auc>=0.9']);
      assert.deepEqual(await registry.policy(n, 'prod'), ['roc_auc>=0.9']);
      await assert.rejects(
        registry.promote({ name: n, version: worse.version, alias: 'prod', reason: 'policy applies' }),
        { code: 'REGISTRY_GATE_FAILED' },
      );
      await registry.promote({ name: n, version: strong.version, alias: 'prod', reason: 'policy passes' });
      assert.throws(() => parseGate('roc_auc >> 3'), { code: 'REGISTRY_BAD_GATE' });
      assert.equal(
        parseGate('latency<=5').evaluate(
          { name: n, version: 1, task: null, metrics: { predict_ms_per_1k_rows: 3 }, sizeBytes: 1 },
          null,
        ).passed,
        true,
      );
    });

    it('a promotion without a reason (a JavaScript caller) is recorded as such, not a database error', async () => {
      const n = `noreason_${name}`;
      const run = await trained(0.9, `nr-${name}`);
      const mv = await registry.register({ name: n, runId: run, artifact: 'model.keel', task: 'binary' });
      const { event } = await registry.promote({ name: n, version: mv.version, alias: 'champion' } as never);
      assert.equal(event.reason, 'no reason given');
      assert.equal((await registry.resolve(`${n}@champion`)).version, mv.version);
    });

    it('refuses a version whose files were tampered with or truncated', async () => {
      const n = `${name}i`;
      const mv = await registry.register({
        name: n,
        runId: await trained(0.9, `integrity-${name}`),
        artifact: 'model.keel',
      });
      assert.equal((await registry.loadVerified(mv)).toString(), `integrity-${name}`);
      const local = store.artifacts as LocalArtifactStore;
      const slices = mv.manifest.find((m) => m.name === 'slices.json');
      const file = local.pathOf(slices?.sha256 ?? '');
      const original = fs.readFileSync(file);
      fs.writeFileSync(file, original.subarray(0, 5));
      await assert.rejects(
        registry.loadVerified(mv),
        (e: Error & { code?: string }) => e.code === 'REGISTRY_INTEGRITY' && /slices\.json/.test(e.message),
      );
      fs.writeFileSync(file, original);
      await registry.loadVerified(mv);
      // one flipped byte in the model itself: the version cannot be promoted, not even with an override
      const model = local.pathOf(mv.manifest.find((m) => m.name === 'model.keel')?.sha256 ?? '');
      const bytes = fs.readFileSync(model);
      const flipped = Buffer.from(bytes);
      flipped[0] ^= 1;
      fs.writeFileSync(model, flipped);
      await assert.rejects(
        registry.promote({
          name: n,
          version: mv.version,
          alias: 'champion',
          reason: 'x',
          override: 'ship it',
        }),
        { code: 'REGISTRY_INTEGRITY' },
      );
      await assert.rejects(registry.resolve(`${n}@champion`), { code: 'REGISTRY_NOT_FOUND' });
      fs.writeFileSync(model, bytes);
      await registry.promote({ name: n, version: mv.version, alias: 'champion', reason: 'intact again' });
    });

    it('writes a model card with metrics, slices, lineage and the fields people fill in', async () => {
      const n = `${name}c`;
      const mv = await registry.register({
        name: n,
        runId: await trained(0.93, `card-${name}`),
        artifact: 'model.keel',
        task: 'binary',
      });
      await registry.updateCard(n, mv.version, {
        intended_use: 'Rank <leads> for follow-up',
        limitations: 'Not for credit decisions',
      });
      const card = await modelCard(registry, n, mv.version);
      assert.match(card.markdown, /# Model card/);
      // people's words are data: markup in them is written as entities, so Markdown viewers show it as typed
      assert.match(card.markdown, /Rank &lt;leads&gt; for follow-up/);
      assert.match(card.markdown, /\| roc_auc \| 0\.93000 \|/);
      assert.match(card.markdown, /\| sex \| F \| 40 \| roc_auc=0\.91000 \|/);
      assert.match(card.html, /<h2>Intended use<\/h2>/);
      assert.match(card.html, /Rank &lt;leads&gt; for follow-up/);
      assert.doesNotMatch(card.html, /<leads>/);
    });
  });
}
