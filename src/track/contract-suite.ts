// The RunStore contract suite: every metadata backend (SQLite, PostgreSQL) must pass exactly these tests.

import assert from 'node:assert/strict';
import os from 'node:os';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { SqlRunStore } from './store.ts';

export function runStoreContract(
  label: string,
  open: () => Promise<SqlRunStore>,
  cleanup?: () => Promise<void>,
): void {
  describe(`RunStore contract: ${label}`, () => {
    let store: SqlRunStore;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
      await cleanup?.();
    });

    it('records params, metrics with steps, tags, notes and nested runs', async () => {
      const parent = await store.startRun({
        experiment: 'contract',
        name: 'study',
        params: { lr: 0.1, depth: 3, kind: 'gbt', flag: true },
      });
      const child = await store.startRun({
        experiment: 'contract',
        name: 'trial',
        parentId: parent,
        note: 'first try',
      });
      await store.logMetricBatch(parent, [
        { key: 'loss', value: 0.9, step: 0 },
        { key: 'loss', value: 0.4, step: 2 },
        { key: 'loss', value: 0.6, step: 1 },
        { key: 'auc', value: 0.8, step: 2 },
      ]);
      await store.logMetrics(parent, { loss: 0.5 }, 1); // an older step does not replace the latest value
      await store.setTags(parent, { team: 'risk' });
      await store.setNote(parent, 'baseline');
      await store.endRun(parent, 'finished');
      const r = await store.getRun(parent);
      assert.equal(r.status, 'finished');
      assert.deepEqual(r.params, { lr: '0.1', depth: '3', kind: 'gbt', flag: 'true' });
      assert.deepEqual(r.metrics, { loss: 0.4, auc: 0.8 });
      assert.deepEqual(r.tags, { team: 'risk' });
      assert.equal(r.note, 'baseline');
      assert.deepEqual(
        (await store.metricHistory(parent, 'loss')).map((h) => [h.step, h.value]),
        [
          [0, 0.9],
          [1, 0.5],
          [2, 0.4],
        ],
      );
      assert.equal((await store.getRun(child)).parentId, parent);
      assert.deepEqual(
        (await store.listRuns({ parentId: parent })).map((x) => x.id),
        [child],
      );
      await assert.rejects(store.logMetrics(parent, { x: 1 }), { code: 'TRACK_RUN_NOT_ACTIVE' });
      await assert.rejects(store.endRun(parent, 'failed'), { code: 'TRACK_RUN_NOT_ACTIVE' });
      await assert.rejects(store.getRun('no-such-run'), { code: 'TRACK_NOT_FOUND' });
      await assert.rejects(store.startRun({ experiment: 'contract', name: 'x', parentId: 'nope' }), {
        code: 'TRACK_NOT_FOUND',
      });
      await store.endRun(child, 'failed', 'boom');
      assert.equal((await store.getRun(child)).error, 'boom');
    });

    it('stores artifacts from bytes and streams, with a manifest, and refuses unsafe names', async () => {
      const id = await store.startRun({ experiment: 'contract', name: 'arts' });
      const a = await store.logArtifact(id, 'model.bin', Buffer.from('weights'));
      const big = Buffer.alloc(3 * 1024 * 1024, 7);
      const b = await store.logArtifact(
        id,
        'reports/big.bin',
        Readable.from([big.subarray(0, 1e6), big.subarray(1e6)]),
      );
      assert.equal(b.size, big.length);
      assert.deepEqual(await store.readRunArtifact(id, 'reports/big.bin'), big);
      assert.equal((await store.readRunArtifact(id, 'model.bin')).toString(), 'weights');
      const m = await store.manifest(id);
      assert.deepEqual(
        m.artifacts.map((x) => x.name),
        ['model.bin', 'reports/big.bin'],
      );
      assert.match(m.sha256, /^[0-9a-f]{64}$/);
      assert.equal(a.sha256, (await store.manifest(id)).artifacts[0].sha256);
      for (const bad of [
        '../x',
        'a/../../x',
        '/etc/passwd',
        'file:///etc/passwd',
        '%2e%2e/x',
        'a\\b',
        'a\u0000b',
        '',
        './x',
        'a//b',
      ]) {
        await assert.rejects(
          store.logArtifact(id, bad, Buffer.from('x')),
          { code: 'TRACK_BAD_ARTIFACT_NAME' },
          bad,
        );
      }
      await store.endRun(id, 'finished');
    });

    it('filters with the expression language, orders, paginates and counts', async () => {
      const exp = `q-${Date.now()}`;
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const id = await store.startRun({
          experiment: exp,
          name: i % 2 ? 'gbt' : 'lin',
          params: { model: i % 2 ? 'boosting' : 'linear', lr: i / 10 },
        });
        await store.logMetrics(id, { roc_auc: 0.8 + i / 100 });
        await store.setTags(id, { owner: i < 3 ? 'ana' : 'bo' });
        await store.endRun(id, i === 5 ? 'failed' : 'finished');
        ids.push(id);
        // start times are stored to the millisecond; the ordering below needs them distinct
        await new Promise((r) => setTimeout(r, 3));
      }
      const q = (filter: string, orderBy?: string) =>
        store.listRuns({ experiment: exp, filter, orderBy }).then((rs) => rs.map((r) => ids.indexOf(r.id)));
      assert.deepEqual(
        await q("metrics.roc_auc > 0.82 and params.model = 'boosting'", 'metrics.roc_auc desc'),
        [5, 3],
      );
      assert.deepEqual(await q("params.lr >= 0.2 and not status = 'failed'", 'params.lr'), [2, 3, 4]);
      assert.deepEqual(
        await q("tags.owner = 'ana' or (metrics.roc_auc >= 0.85)", 'metrics.roc_auc'),
        [0, 1, 2, 5],
      );
      assert.deepEqual(await q("name ~ 'g%'", 'started_at'), [1, 3, 5]);
      assert.equal(await store.countRuns({ experiment: exp, filter: "status = 'finished'" }), 5);
      const page = await store.listRuns({
        experiment: exp,
        orderBy: 'metrics.roc_auc asc',
        limit: 2,
        offset: 2,
      });
      assert.deepEqual(
        page.map((r) => ids.indexOf(r.id)),
        [2, 3],
      );
      for (const bad of ['metrics.auc >', 'bogus = 1', "metrics.auc > 'x'", '(status = 1', 'status = 1 2']) {
        await assert.rejects(store.listRuns({ filter: bad }), { code: 'TRACK_BAD_QUERY' }, bad);
      }
    });

    it('deletes runs and experiments, keeps pinned runs unless forced, and collects garbage', async () => {
      const keep = await store.startRun({ experiment: 'gc', name: 'keep' });
      await store.logArtifact(keep, 'a', Buffer.from(`kept ${Date.now()}`));
      const drop = await store.startRun({ experiment: 'gc', name: 'drop' });
      const dropped = await store.logArtifact(drop, 'a', Buffer.from(`dropped ${Date.now()}`));
      const pinned = await store.startRun({ experiment: 'gc', name: 'pinned' });
      const pin = await store.logArtifact(pinned, 'model', Buffer.from(`pinned ${Date.now()}`));
      await store.pinArtifacts('model:x@1', pinned, [pin.sha256]);
      for (const id of [keep, drop, pinned]) await store.endRun(id, 'finished');
      await store.deleteRun(drop);
      await assert.rejects(store.getRun(drop), { code: 'TRACK_NOT_FOUND' });
      await assert.rejects(store.deleteRun(pinned), { code: 'TRACK_IN_USE' });
      await store.deleteRun(pinned, { force: true });
      const dry = await store.collectGarbage({ dryRun: true, minAgeMs: 0 });
      assert.ok(dry.removed.some((r) => r.sha256 === dropped.sha256));
      assert.ok(!dry.removed.some((r) => r.sha256 === pin.sha256), 'pinned bytes survive their run');
      assert.equal(await store.artifacts.has(dropped.sha256), true, 'a dry run removes nothing');
      const young = await store.collectGarbage({ dryRun: false });
      assert.ok(
        !young.removed.some((r) => r.sha256 === dropped.sha256),
        'fresh files are given a grace period',
      );
      const real = await store.collectGarbage({ dryRun: false, minAgeMs: 0 });
      assert.ok(real.removed.some((r) => r.sha256 === dropped.sha256));
      assert.equal(await store.artifacts.has(dropped.sha256), false);
      assert.equal(await store.artifacts.has(pin.sha256), true);
      assert.equal((await store.readRunArtifact(keep, 'a')).toString().startsWith('kept'), true);
      assert.equal(await store.deleteExperiment('gc'), 1);
    });

    it('marks runs of dead processes and silent hosts as killed, and leaves live ones alone', async () => {
      const now = new Date().toISOString();
      const old = new Date(Date.now() - 3_600_000).toISOString();
      await store.sql.run(
        'INSERT INTO experiments (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING',
        ['reap', now],
      );
      const insert = (id: string, pid: number, host: string, hb: string) =>
        store.sql.run(
          "INSERT INTO runs (id, experiment, name, status, started_at, heartbeat_at, pid, host) VALUES (?, 'reap', 'r', 'running', ?, ?, ?, ?)",
          [id, hb, hb, pid, host],
        );
      const tag = Date.now().toString(36);
      await insert(`dead-${tag}`, 2 ** 22 + 12345, os.hostname(), now);
      await insert(`silent-${tag}`, 1, `elsewhere-${tag}`, old);
      await insert(`fresh-${tag}`, 1, `elsewhere-${tag}`, now);
      const live = await store.startRun({ experiment: 'reap', name: 'me' });
      assert.ok((await store.reapAbandonedRuns(10 * 60_000)) >= 2);
      assert.equal((await store.getRun(`dead-${tag}`)).status, 'killed');
      assert.match((await store.getRun(`dead-${tag}`)).error ?? '', /ended without finishing/);
      assert.equal((await store.getRun(`silent-${tag}`)).status, 'killed');
      assert.equal((await store.getRun(`fresh-${tag}`)).status, 'running');
      assert.equal((await store.getRun(live)).status, 'running');
      await store.heartbeat(live);
      await store.endRun(live, 'finished');
    });

    it('applies migrations once: reopening changes nothing', async () => {
      await store.sql.migrate('track', (await import('./schema.ts')).TRACK_MIGRATIONS);
      const rows = await store.sql.all<{ room: string; version: number }>(
        'SELECT room, version FROM keel_schema ORDER BY room',
      );
      assert.deepEqual(
        rows.filter((r) => r.room === 'track').map((r) => Number(r.version)),
        [(await import('./schema.ts')).TRACK_MIGRATIONS.length],
      );
    });
  });
}
