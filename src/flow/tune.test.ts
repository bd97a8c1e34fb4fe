// Tuning jobs over real stores: a study journalled in SQLite and in PostgreSQL reads back as the same trials; the
// tune job tracks every trial as a run with its params and metrics; nested CV keeps outer test rows out of tuning.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createRng } from '../core/index.ts';
import { categoricalFrom, Frame, numericFrom } from '../data/index.ts';
import { stratifiedKFold } from '../evaluate/index.ts';
import { openPostgres, openStore, type SqlRunStore } from '../track/index.ts';
import { type FrozenTrial, medianPruner, optimize, randomSampler, Study } from '../tune/index.ts';
import { nestedCrossValidate, RunStoreJournal, runTuneJob } from './index.ts';

const PG_URL = process.env.KEEL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const IRIS = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../../../shared/datasets/iris.csv',
);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-flow-tune-'));
const schema = `keel_t_tune_${process.pid}_${Date.now().toString(36)}`;
after(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  const db = await openPostgres({ url: PG_URL });
  await db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.close();
});

async function journalRoundTrip(store: SqlRunStore): Promise<void> {
  const make = () => new RunStoreJournal(store, 'tune', 'round-trip');
  const study = await Study.open({
    name: 'round-trip',
    journal: make(),
    sampler: randomSampler({ seed: 4 }),
    pruner: medianPruner({ nStartupTrials: 2 }),
  });
  await optimize(
    study,
    (t) => {
      const x = t.suggestFloat('x', 0, 1);
      const kind = t.suggestCategorical('kind', ['a', 'b']);
      t.setAttr('note', { k: kind });
      for (let s = 1; s <= 3; s++) {
        t.report(s, x * s);
        t.pruneIfNeeded();
      }
      return x;
    },
    { nTrials: 6 },
  );
  const left = study.ask();
  left.suggestFloat('x', 0, 1);
  await study.flush();
  const again = await Study.open({ journal: make() });
  const strip = (ts: readonly FrozenTrial[]) =>
    ts.slice(0, 6).map((t) => ({
      n: t.number,
      state: t.state,
      params: t.params,
      values: t.values,
      steps: [...t.intermediate],
      attrs: t.attrs,
    }));
  assert.deepEqual(strip(again.trials()), strip(study.trials()));
  assert.equal(again.trials()[6].state, 'failed', 'the trial left running is interrupted on re-open');
  assert.equal(again.trials()[6].error, 'interrupted');
}

describe('a study in the tracking store', () => {
  it('SQLite: trials, params, reports, attrs and states read back', async () => {
    const store = await openStore({ home: path.join(tmp, 'sqlite') });
    try {
      await journalRoundTrip(store);
    } finally {
      await store.close();
    }
  });

  it('PostgreSQL: the same', async () => {
    const store = await openStore({ home: path.join(tmp, 'pg'), url: PG_URL, schema });
    try {
      await journalRoundTrip(store);
    } finally {
      await store.close();
    }
  });
});

describe('runTuneJob', () => {
  it('tracks every trial as a run, with the conditional param only where it applies', async () => {
    const store = await openStore({ home: path.join(tmp, 'job') });
    try {
      const result = await runTuneJob({
        file: IRIS,
        target: 'target',
        model: 'logistic_regression',
        trials: 8,
        pruner: 'none',
        store,
      });
      assert.equal(result.trials.complete + result.trials.failed, 8);
      assert.ok(result.best && result.best.value > 0.9, `best ${result.best?.value}`);
      const runs = (await store.listRuns({ experiment: 'tune' })).filter(
        (r) => r.tags['keel.kind'] === 'trial',
      );
      assert.equal(runs.length, 8);
      for (const r of runs) {
        assert.ok('C' in r.params && 'penalty' in r.params);
        assert.equal('l1_ratio' in r.params, r.params.penalty === 'elasticnet');
        if (r.tags['keel.state'] === 'complete')
          assert.ok(r.metrics.roc_auc > 0 && r.metrics.cpu_seconds >= 0);
      }
    } finally {
      await store.close();
    }
  });
});

describe('nested cross-validation', () => {
  it('tunes inside each outer training fold and scores the untouched outer test rows', async () => {
    const rng = createRng(5);
    const n = 240;
    const x1 = Array.from({ length: n }, () => rng.normal());
    const x2 = Array.from({ length: n }, () => rng.normal());
    const y = x1.map((v, i) => (v + 0.5 * x2[i] + 0.3 * rng.normal() > 0 ? 'yes' : 'no'));
    const frame = new Frame([numericFrom('x1', x1), numericFrom('x2', x2), categoricalFrom('y', y)]);
    const codes = Float64Array.from(y, (v) => (v === 'yes' ? 1 : 0));
    const outer = stratifiedKFold(codes, 3, { seed: 1 });
    const seen: number[] = [];
    const result = await nestedCrossValidate(frame, { target: 'y', model: 'knn', seed: 3 }, outer, {
      trials: 5,
      onFold: (f) => seen.push(f.fold),
    });
    assert.equal(result.metric, 'roc_auc');
    assert.deepEqual(seen, [0, 1, 2]);
    for (const f of result.folds) {
      assert.ok(typeof f.bestParams.n_neighbors === 'number');
      assert.ok(f.outer.roc_auc > 0.85, `outer fold ${f.fold}: ${f.outer.roc_auc}`);
    }
    assert.ok(Math.abs(result.mean - result.folds.reduce((a, f) => a + f.outer.roc_auc, 0) / 3) < 1e-12);
  });
});
