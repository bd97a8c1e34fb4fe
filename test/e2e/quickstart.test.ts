// keel quickstart end to end: under two minutes, ROC-AUC >= 0.90 for the boosted model on held-out Adult,
// a printed curl line that works against the server it leaves running, and recovery after a SIGKILL mid-run.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { exited, keel, keelUntil } from './helpers.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-e2e-qs-'));

describe('keel quickstart', () => {
  it('--json --no-serve: both models reported, boosting ROC-AUC >= 0.90, in under 2 minutes', async () => {
    const t0 = Date.now();
    const r = await keel(['quickstart', '--json', '--no-serve', '--home', path.join(dir, 'a')]);
    const seconds = (Date.now() - t0) / 1000;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', '--json prints nothing but the document');
    const doc = JSON.parse(r.stdout);
    const names = doc.models.map((m: { name: string }) => m.name);
    assert.deepEqual(names, ['logistic_regression', 'gradient_boosting']);
    const boost = doc.models.find((m: { name: string }) => m.name === 'gradient_boosting');
    assert.ok(boost.metrics.roc_auc >= 0.9, `boosting roc_auc ${boost.metrics.roc_auc}`);
    assert.equal(typeof boost.metrics.log_loss, 'number');
    assert.equal(doc.dataset.rows.test, 8140, '25% of 32,561 rows, stratified');
    assert.deepEqual(doc.registered, { name: 'adult', version: 1, alias: 'champion' });
    assert.ok(seconds < 120, `took ${seconds} s`);
  });

  it('serves the champion and its printed curl line works; Ctrl-C stops it', async () => {
    const { child, output } = await keelUntil(
      ['quickstart', '--json', '--port', '0', '--home', path.join(dir, 'b')],
      /"curl": ".*"\n\s*}\n}\n/,
    );
    try {
      const doc = JSON.parse(output());
      assert.match(doc.server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      // run the printed line through a shell, exactly as a user would paste it
      const answer = JSON.parse(execFileSync('sh', ['-c', doc.server.curl], { encoding: 'utf8' }));
      assert.equal(answer.model, 'adult');
      assert.equal(answer.version, 1);
      const p = answer.predictions[0].probabilities;
      assert.ok(p['>50K'] >= 0 && p['>50K'] <= 1 && Math.abs(p['>50K'] + p['<=50K'] - 1) < 1e-12);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited(child), 0);
  });

  it('after a SIGKILL mid-run, running it again works and the interrupted run is marked killed', async () => {
    const home = path.join(dir, 'c');
    const { child, match } = await keelUntil(
      ['quickstart', '--no-serve', '--home', home],
      /run ([0-9a-f]{32}): fitting gradient_boosting/,
    );
    const killedRun = match[1];
    child.kill('SIGKILL');
    await exited(child);

    const again = await keel(['quickstart', '--json', '--no-serve', '--home', home]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout).registered, { name: 'adult', version: 1, alias: 'champion' });

    const listed = JSON.parse((await keel(['runs', 'ls', '--json', '--home', home])).stdout) as {
      runs: { id: string; status: string; error: string | null }[];
    };
    const runs = listed.runs;
    const killed = runs.find((r) => r.id === killedRun);
    assert.equal(killed?.status, 'killed');
    assert.match(killed?.error ?? '', /ended without finishing/);
    assert.equal(runs.filter((r) => r.status === 'running').length, 0, 'nothing stays running');
    assert.equal(
      runs.filter((r) => r.status === 'finished').length,
      3,
      'logistic from the first try, both models from the second',
    );
    assert.deepEqual(fs.readdirSync(path.join(home, 'artifacts', 'tmp')), []);
  });
});
