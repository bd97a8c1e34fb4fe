// The path through the real CLI: `keel train` on an unclean CSV, then `keel serve` answering valid and invalid
// requests over HTTP on 127.0.0.1, staying up, and stopping cleanly on SIGTERM.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { exited, keel, keelUntil } from './helpers.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-e2e-cli-'));
const home = path.join(dir, 'home');

/** Semicolons, CRLF, " ?" and "NA" markers, padded values and one broken row. */
function writeMessyCsv(file: string): void {
  const lines = ['tenure ; plan ; monthly ; churned'];
  for (let i = 0; i < 600; i++) {
    const tenure = i % 29 === 0 ? ' ?' : String(i % 72);
    const plan = [' basic', ' pro ', 'team', 'NA'][i % 4];
    const monthly = (20 + ((i * 13) % 80)).toFixed(2);
    const churn = i % 72 < 12 || (plan.trim() === 'basic' && (i * 13) % 80 > 60) ? 'yes' : 'no';
    lines.push(`${tenure};${plan};${monthly}; ${churn}`);
  }
  lines.splice(100, 0, '5;basic');
  fs.writeFileSync(file, `${lines.join('\r\n')}\r\n`);
}

describe('keel train + keel serve', () => {
  it('trains on a messy CSV, serves the model, and answers good and bad requests', async () => {
    const csv = path.join(dir, 'churn data.csv');
    writeMessyCsv(csv);
    const train = await keel(['train', csv, '--target', 'churned', '--json', '--home', home]);
    assert.equal(train.code, 0, train.stderr);
    const doc = JSON.parse(train.stdout);
    assert.equal(doc.task, 'binary');
    assert.equal(doc.target, 'churned');
    assert.match(doc.run_id, /^[0-9a-f]{32}$/);
    assert.equal(doc.model_ref, 'churn_data@champion');
    for (const k of ['roc_auc', 'pr_auc', 'log_loss', 'accuracy', 'f1'])
      assert.equal(typeof doc.metrics[k], 'number', k);
    assert.ok(doc.metrics.roc_auc > 0.8, `roc_auc ${doc.metrics.roc_auc}`);
    assert.equal(doc.rows.read, 601);
    assert.equal(doc.rows.quarantined, 1);
    assert.equal(doc.rows.read, doc.rows.accepted + doc.rows.quarantined);
    assert.equal(doc.quarantine_sample[0].line, 101);
    // the data went into a content-addressed snapshot, and the run's lineage names it
    const shown = await keel(['runs', 'show', doc.run_id, '--json', '--home', home]);
    const run = JSON.parse(shown.stdout);
    const data = String(run.tags['lineage.data']);
    const snapshot = /snapshot:([0-9a-f]{64})/.exec(data)?.[1];
    assert.ok(snapshot, data);
    assert.equal(run.tags.data_snapshot, snapshot);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(home, 'snapshots', snapshot, 'manifest.json'), 'utf8'),
    );
    assert.equal(manifest.rows, 600);
    assert.equal(manifest.quarantined, 1);
    assert.equal(manifest.sources[0].location, csv);

    const { child, match } = await keelUntil(
      ['serve', doc.model_ref, '--port', '0', '--home', home],
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    const url = match[1];
    try {
      const post = (body: unknown) =>
        fetch(`${url}/v1/models/churn_data/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      let res = await post({ instance: { tenure: 3, plan: 'basic', monthly: 95.5 } });
      assert.equal(res.status, 200);
      const ok = (await res.json()) as {
        version: number;
        predictions: { probabilities: Record<string, number> }[];
      };
      assert.equal(ok.version, 1);
      const p = ok.predictions[0].probabilities;
      assert.ok(p.yes > 0 && p.yes < 1 && Math.abs(p.yes + p.no - 1) < 1e-12);
      assert.ok(p.yes > 0.5, `a 3-month customer should look likely to churn, got ${p.yes}`);

      res = await post({ instance: { tenure: 'three', plan: 'basic', monthly: 95.5 } });
      assert.equal(res.status, 400);
      const bad = (await res.json()) as { error: { code: string; details: { path: string }[] } };
      assert.equal(bad.error.code, 'SERVE_SCHEMA_MISMATCH');
      assert.equal(bad.error.details[0].path, 'instance.tenure');
      res = await post({ instance: { tenure: 3, plan: 'basic' } });
      assert.equal(res.status, 400);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /monthly/);

      assert.equal((await fetch(`${url}/health/ready`)).status, 200, 'still up after bad requests');
      assert.equal((await post({ instance: { tenure: 40, plan: 'pro', monthly: 30 } })).status, 200);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited(child), 0);
  });

  it('trains a regression from a separate test file', async () => {
    const mk = (file: string, from: number, to: number) => {
      const rows = ['x,kind,y'];
      for (let i = from; i < to; i++)
        rows.push(
          `${i % 50},${i % 2 ? 'a' : 'b'},${((i % 50) * 2 + (i % 2 ? 10 : 0) + (i % 7) * 0.1).toFixed(3)}`,
        );
      fs.writeFileSync(file, `${rows.join('\n')}\n`);
    };
    mk(path.join(dir, 'r-train.csv'), 0, 400);
    mk(path.join(dir, 'r-test.csv'), 400, 500);
    const r = await keel([
      'train',
      path.join(dir, 'r-train.csv'),
      '--target',
      'y',
      '--test',
      path.join(dir, 'r-test.csv'),
      '--json',
      '--home',
      home,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.task, 'regression');
    assert.equal(doc.rows.test, 100);
    for (const k of ['rmse', 'mae', 'r2']) assert.equal(typeof doc.metrics[k], 'number');
    assert.ok(doc.metrics.r2 > 0.95, `r2 ${doc.metrics.r2}`);
  });

  it('explains usage mistakes and bad params with coded errors', async () => {
    const noTarget = await keel(['train', path.join(dir, 'r-train.csv'), '--home', home]);
    assert.equal(noTarget.code, 2);
    assert.match(noTarget.stderr, /usage: keel train/);
    const badParam = await keel([
      'train',
      path.join(dir, 'r-train.csv'),
      '--target',
      'y',
      '--model',
      'boosting',
      '--param',
      'learning_rate=-1',
      '--home',
      home,
    ]);
    assert.equal(badParam.code, 1);
    assert.match(badParam.stderr, /ESTIMATOR_BAD_PARAM.*learning_rate/);
    const badTarget = await keel([
      'train',
      path.join(dir, 'r-train.csv'),
      '--target',
      'nope',
      '--home',
      home,
    ]);
    assert.equal(badTarget.code, 1);
    assert.match(badTarget.stderr, /FLOW_BAD_TARGET/);
    const unknown = await keel(['frobnicate']);
    assert.equal(unknown.code, 2);
  });
});
