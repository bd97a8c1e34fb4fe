// keel tune killed with SIGKILL in the middle of a trial, then run again: the study resumes from the tracking store
// with no trial lost or counted twice, and the interrupted trial re-run once with its params.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '../../src/track/index.ts';
import { exited, keel, keelUntil, ROOT } from './helpers.ts';

const OZONE = path.resolve(ROOT, '../shared/datasets/ozone_onehr.csv');

describe('keel tune: resume after SIGKILL', () => {
  it('keeps every finished trial, retries the interrupted one once, and reaches the trial budget', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-tune-'));
    const args = [
      'tune',
      OZONE,
      '--target',
      'class',
      '--trials',
      '8',
      '--pruner',
      'none',
      '--home',
      home,
      '--param',
      'n_estimators=300',
      '--study',
      'resume-test',
    ];
    const { child } = await keelUntil(args, /trial 3\/8/);
    // the next trial starts as soon as the third ends; kill it a little way in
    await new Promise((r) => setTimeout(r, 250));
    child.kill('SIGKILL');
    await exited(child);

    const done = await keel([...args, '--json']);
    assert.equal(done.code, 0, done.stderr);
    const result = JSON.parse(done.stdout);
    assert.ok(result.resumed_from >= 3, `resumed from ${result.resumed_from}`);
    assert.equal(result.trials.complete, 8, 'the budget counts finished trials only');

    const store = await openStore({ home });
    try {
      const runs = (await store.listRuns({ experiment: 'tune' })).filter(
        (r) => r.tags['keel.kind'] === 'trial',
      );
      const numbers = runs.map((r) => Number(r.tags['keel.trial']));
      assert.equal(new Set(numbers).size, numbers.length, 'no trial number twice');
      assert.equal(runs.filter((r) => r.tags['keel.state'] === 'complete').length, 8);
      const interrupted = runs.filter((r) => r.tags['keel.error'] === 'interrupted');
      assert.equal(interrupted.length, 1, 'the trial running at the kill is marked interrupted');
      const retries = runs.filter(
        (r) => JSON.parse(r.tags['keel.attrs']).retryOf === Number(interrupted[0].tags['keel.trial']),
      );
      assert.equal(retries.length, 1, 'and re-run exactly once');
      const paramsOf = (r: (typeof runs)[number]) =>
        Object.fromEntries(Object.entries(r.tags).filter(([k]) => k.startsWith('keel.param.')));
      assert.deepEqual(paramsOf(retries[0]), paramsOf(interrupted[0]), 'with the same params');
      for (const r of runs.filter((x) => x.tags['keel.state'] === 'complete')) {
        assert.ok(
          r.metrics.roc_auc > 0.5 && r.metrics.cpu_seconds > 0 && r.metrics.duration_s > 0,
          'each trial tracked',
        );
      }
    } finally {
      await store.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('--train-best trains and registers the best params the way keel train does', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-tune-best-'));
    try {
      const iris = path.resolve(ROOT, '../shared/datasets/iris.csv');
      const done = await keel([
        'tune',
        iris,
        '--target',
        'target',
        '--model',
        'logistic',
        '--trials',
        '4',
        '--pruner',
        'none',
        '--train-best',
        '--name',
        'iris_tuned',
        '--home',
        home,
        '--json',
      ]);
      assert.equal(done.code, 0, done.stderr);
      const doc = JSON.parse(done.stdout);
      assert.equal(doc.trained.model_ref, 'iris_tuned@champion');
      assert.ok(doc.trained.metrics.roc_auc > 0.9);
      assert.match(doc.trained.promotion, /@champion → v1/);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
