// One value layer from CSV to HTTP: random rows of every type mix give bit-identical features on the training,
// serving and batch paths under two process time zones, and the Adult row with "?" in three columns gets the same
// probability from training-time scoring, `keel score` and `keel serve`.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openHome } from '../../src/cli/context.ts';
import { readCsv } from '../../src/data/index.ts';
import { loadModel } from '../../src/serve/index.ts';
import { exited, keel, keelUntil, ROOT } from './helpers.ts';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-values-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Diff {
  count: number;
  first: string | null;
}
interface MixReport {
  mix: string;
  rows: number;
  accepted: number;
  quarantined: number;
  rejected: string[];
  features: number;
  served: Diff;
  servedFrame: Diff;
  batch: Diff;
}

function runPaths(tz: string, zone: string): MixReport[] {
  const out = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'test/e2e/value-paths-run.ts'), dir, '10000', zone],
    { cwd: ROOT, env: { ...process.env, TZ: tz }, encoding: 'utf8', timeout: 180_000 },
  );
  assert.equal(out.status, 0, out.stderr);
  const doc = JSON.parse(out.stdout) as { tz: string; report: MixReport[] };
  assert.equal(doc.tz, tz);
  return doc.report;
}

describe('one value layer: training, serving and batch scoring read a row alike', () => {
  for (const [tz, zone] of [
    ['UTC', 'UTC'],
    ['America/New_York', 'UTC'],
    ['America/New_York', 'America/New_York'],
  ]) {
    it(`10,000 random rows per type mix give the same feature bits on all paths (TZ=${tz}, date-times without a zone read in ${zone})`, () => {
      const report = runPaths(tz, zone);
      assert.equal(report.length, 3);
      for (const r of report) {
        // every row is read: nothing quarantined, no request refused, so the comparison covers all 10,000
        assert.equal(r.accepted, r.rows, r.mix);
        assert.equal(r.quarantined, 0, r.mix);
        assert.deepEqual(r.rejected, [], r.mix);
        assert.ok(r.features >= r.rows * 4, `${r.mix}: ${r.features} features`);
        assert.deepEqual(r.served, { count: 0, first: null }, `${r.mix}: served (compiled)`);
        assert.deepEqual(r.servedFrame, { count: 0, first: null }, `${r.mix}: served (frame path)`);
        assert.deepEqual(r.batch, { count: 0, first: null }, `${r.mix}: keel score's reader`);
      }
    });
  }

  it('the Adult row with "?" in workclass, occupation and native-country: one probability on all three paths', async () => {
    const lines = fs.readFileSync(path.join(ROOT, 'examples/adult/adult.csv'), 'utf8').split('\n');
    const header = lines[0].split(',');
    const train = path.join(dir, 'adult.csv');
    fs.writeFileSync(train, `${lines.slice(0, 8001).join('\n')}\n`);
    const at = (name: string) => header.indexOf(name);
    // a held-out row whose three columns are all "?" (written " ?" in the file)
    const rowIndex = lines.findIndex(
      (l, i) =>
        i > 8000 &&
        ['workclass', 'occupation', 'native-country'].every((c) => l.split(',')[at(c)]?.trim() === '?'),
    );
    assert.ok(rowIndex > 0, 'adult.csv has such a row');
    const row = lines[rowIndex].split(',');
    const home = path.join(dir, 'home');
    const trained = await keel([
      'train',
      train,
      '--target',
      'income',
      '--name',
      'adult',
      '--json',
      '--home',
      home,
    ]);
    assert.equal(trained.code, 0, trained.stderr);

    // training-time path: the file's own reader and the registered pipeline
    const one = path.join(dir, 'one.csv');
    fs.writeFileSync(one, `${lines[0]}\n${lines[rowIndex]}\n`);
    const read = await readCsv(one, {});
    const { store, registry } = await openHome(home);
    let direct: number;
    try {
      const model = await loadModel(registry, 'adult@champion');
      const out = model.predict(read.frame.drop(['income']));
      const classes = model.artifact.pipeline.classes as string[];
      direct = (out.probabilities as Float64Array)[classes.indexOf('>50K')];
    } finally {
      await store.close();
    }

    // batch path: keel score
    const scored = path.join(dir, 'scored.csv');
    const score = await keel(['score', 'adult@champion', one, '--out', scored, '--home', home]);
    assert.equal(score.code, 0, score.stderr);
    const [outHeader, outRow] = fs.readFileSync(scored, 'utf8').trim().split('\n');
    const batch = Number(outRow.split(',')[outHeader.split(',').indexOf('p_>50K')]);

    // serving path: the row's fields as a client sends them (numbers as numbers, the rest as written)
    const instance: Record<string, unknown> = {};
    header.forEach((h, j) => {
      if (h === 'income') return;
      const v = row[j];
      instance[h] = /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v;
    });
    const { child, match } = await keelUntil(
      ['serve', 'adult@champion', '--port', '0', '--home', home],
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    let served: number;
    try {
      const res = await fetch(`${match[1]}/v1/models/adult/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instance }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      const body = (await res.json()) as { predictions: { probabilities: Record<string, number> }[] };
      served = body.predictions[0].probabilities['>50K'];
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited(child), 0);
    assert.ok(direct > 0 && direct < 1, String(direct));
    assert.equal(batch, direct, 'keel score and training-time scoring');
    assert.equal(served, direct, 'keel serve and training-time scoring');
  });
});
