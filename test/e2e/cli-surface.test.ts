// The command line's surface: one quarantine record shape in --json and the quarantine file, --json on score,
// progress on stderr in every mode (off with --quiet), the multi-objective progress line, families that cannot take
// the data skipped, --require-promotion's exit code.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { keel, ROOT } from './helpers.ts';

const PENGUINS = path.join(ROOT, 'examples/penguins/penguins_raw.csv');
const ORDERS = path.join(ROOT, 'examples/orders/orders.csv');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-cli-surface-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('keel command surface', () => {
  it('--json and --quarantine write the same quarantine record, every field present', async () => {
    const qfile = path.join(dir, 'q.jsonl');
    const r = await keel(['data', 'check', ORDERS, '--json', '--quarantine', qfile, '--max-bad-rate', '1']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    const lines = fs
      .readFileSync(qfile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(lines.length >= 2);
    assert.deepEqual(lines, report.quarantine);
    for (const q of lines)
      assert.deepEqual(Object.keys(q).sort(), [
        'code',
        'column',
        'line',
        'offset',
        'raw',
        'reason',
        'source',
      ]);
    assert.ok(lines.every((q) => /^DATA_/.test(q.code) && !/^DATA_/.test(q.reason)));
  });

  it('a family that cannot take the data is reported and skipped; the others train', async () => {
    const home = path.join(dir, 'skip');
    const r = await keel([
      'train',
      PENGUINS,
      '--target',
      'Species',
      '--model',
      'categorical_nb,logistic_regression',
      '--json',
      '--home',
      home,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(
      doc.models.map((m: { name: string }) => m.name),
      ['logistic_regression'],
    );
    assert.equal(doc.skipped.length, 1);
    assert.equal(doc.skipped[0].name, 'categorical_nb');
    assert.equal(doc.skipped[0].code, 'ESTIMATOR_BAD_INPUT');
    assert.match(r.stderr, /categorical_nb skipped/);
    // progress is on stderr in --json mode too, and --quiet turns it off
    assert.match(r.stderr, /fitting logistic_regression/);
    const quiet = await keel([
      'train',
      PENGUINS,
      '--target',
      'Species',
      '--model',
      'categorical_nb',
      '--home',
      home,
    ]);
    assert.equal(quiet.code, 1, 'no family could train: a data failure');
    assert.match(quiet.stderr, /FLOW_NO_MODEL/);
  });

  it('--require-promotion exits 1 when the gates keep the alias, and says so either way', async () => {
    const home = path.join(dir, 'gate');
    const args = [
      'train',
      PENGUINS,
      '--target',
      'Species',
      '--model',
      'logistic_regression',
      '--quiet',
      '--home',
      home,
    ];
    const first = await keel([...args, '--require-promotion']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /promotion: @champion → v1/);
    const again = await keel(args);
    assert.equal(again.code, 0, 'without the flag a refused promotion is an outcome');
    assert.match(again.stdout, /promotion: .*(gate|beats)/i);
    const strict = await keel([...args, '--require-promotion']);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /was not promoted/);
  });

  it('score --json prints one summary document', async () => {
    const home = path.join(dir, 'gate');
    const out = path.join(dir, 'scored.csv');
    const r = await keel([
      'score',
      'penguins_raw@champion',
      PENGUINS,
      '--out',
      out,
      '--json',
      '--home',
      home,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.model.name, 'penguins_raw');
    assert.equal(doc.rows.scored + doc.rows.quarantined, 344);
    assert.equal(doc.out, out);
  });

  it('tune --json: stdout is the result alone, progress on stderr; several objectives show the Pareto front', async () => {
    const home = path.join(dir, 'tune');
    const args = [
      'tune',
      PENGUINS,
      '--target',
      'Species',
      '--model',
      'logistic_regression',
      '--trials',
      '3',
      '--home',
      home,
    ];
    const r = await keel([...args, '--json', '--objectives', 'fit_seconds']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.trials.complete + doc.trials.pruned + doc.trials.failed, 3);
    assert.ok(doc.top.every((t: { state: string }) => t.state === 'complete'));
    const progress = r.stderr.split('\n').filter((l) => /^trial \d+\/3/.test(l));
    assert.equal(progress.length, 3);
    assert.ok(
      progress.every((l) => /Pareto front \d+ trial/.test(l)),
      progress.join('\n'),
    );
    const quiet = await keel([...args, '--json', '--quiet', '--study', 'quiet']);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, '');
  });

  it('keel data snapshot ls | show | diff: rows added, removed and changed by key, schema changes, shift', async () => {
    const store = path.join(dir, 'snaps');
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    const rows = Array.from({ length: 200 }, (_, i) => [i, i % 3 === 0 ? 'x' : 'y', (i * 1.5).toFixed(1)]);
    fs.writeFileSync(a, `id,kind,amount\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    // b: row 0 removed, row 1 changed, row 999 added, a new column, amounts shifted
    const later = rows
      .slice(1)
      .map((r, i) => [r[0], i === 0 ? 'z' : r[1], (Number(r[2]) + 100).toFixed(1), 'new']);
    later.push([999, 'x', '5.0', 'new']);
    fs.writeFileSync(b, `id,kind,amount,extra\n${later.map((r) => r.join(',')).join('\n')}\n`);
    const ids: string[] = [];
    for (const f of [a, b]) {
      const r = await keel(['data', 'snapshot', f, '--dir', store, '--json']);
      assert.equal(r.code, 0, r.stderr);
      ids.push(JSON.parse(r.stdout).id);
    }
    const ls = await keel(['data', 'snapshot', 'ls', '--dir', store, '--json']);
    assert.deepEqual(
      JSON.parse(ls.stdout)
        .snapshots.map((m: { id: string }) => m.id)
        .sort(),
      [...ids].sort(),
    );
    const show = await keel(['data', 'snapshot', 'show', ids[0].slice(0, 10), '--dir', store, '--json']);
    assert.equal(show.code, 0, show.stderr);
    assert.equal(JSON.parse(show.stdout).manifest.rows, 200);
    const diff = await keel([
      'data',
      'snapshot',
      'diff',
      ids[0],
      ids[1],
      '--key',
      'id',
      '--dir',
      store,
      '--json',
    ]);
    assert.equal(diff.code, 0, diff.stderr);
    const d = JSON.parse(diff.stdout);
    assert.deepEqual(d.rows, { from: 200, to: 200, added: 1, removed: 1, changed: 199, matchedOn: 'key id' });
    assert.deepEqual(d.schema.added, [{ name: 'extra', type: 'categorical' }]);
    const amount = d.shift.find((s: { column: string }) => s.column === 'amount');
    assert.ok(amount.psi > 0.2 && amount.mean.to > amount.mean.from + 90, JSON.stringify(amount));
    const noKey = JSON.parse(
      (await keel(['data', 'snapshot', 'diff', ids[0], ids[0], '--dir', store, '--json'])).stdout,
    );
    assert.deepEqual([noKey.rows.added, noKey.rows.removed], [0, 0]);
    const prose = await keel(['data', 'snapshot', 'diff', ids[0], ids[1], '--key', 'id', '--dir', store]);
    assert.match(prose.stdout, /1 added, 1 removed, 199 changed/);
    assert.match(prose.stdout, /column added: extra/);
  });

  it('--threshold and --calibrate travel in the model: keel score and the server decide with them', async () => {
    const home = path.join(dir, 'decide');
    const adult = path.join(ROOT, 'examples/adult/adult.csv');
    const r = await keel([
      'train',
      adult,
      '--target',
      'income',
      '--model',
      'logistic_regression',
      '--threshold',
      'cost:1,4',
      '--calibrate',
      'sigmoid',
      '--class-weight',
      'balanced',
      '--name',
      'decide',
      '--quiet',
      '--home',
      home,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const { load, serve } = await import('../../src/lib/index.ts');
    const model = await load('decide@champion', { home });
    const decision = model.artifact.pipeline.decision as {
      threshold: number;
      calibrator: { kind: string };
      rule: string;
    };
    assert.equal(decision.rule, 'cost:1,4');
    assert.equal(decision.calibrator.kind, 'platt');
    assert.ok(decision.threshold > 0.05 && decision.threshold < 0.5, `threshold ${decision.threshold}`);
    const out = path.join(dir, 'decide.csv');
    const s = await keel(['score', 'decide@champion', adult, '--out', out, '--home', home]);
    assert.equal(s.code, 0, s.stderr);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'row,label,p_<=50K,p_>50K');
    let belowHalf = 0;
    for (const line of lines.slice(1)) {
      const [, label, , p1] = line.split(',');
      assert.equal(label, Number(p1) >= decision.threshold ? '>50K' : '<=50K');
      if (label === '>50K' && Number(p1) < 0.5) belowHalf++;
    }
    assert.ok(belowHalf > 100, `the threshold, not argmax, decides (${belowHalf} positives under 0.5)`);
    const server = await serve({ model: 'decide@champion', home, port: 0 });
    try {
      const { readCsv } = await import('../../src/data/index.ts');
      const read = await readCsv(adult);
      const rows = read.frame.drop(['income']).toRecords(50);
      const res = await fetch(`${server.url}/v1/models/decide/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ instances: rows }),
      });
      assert.equal(res.status, 200);
      const body = (await res.json()) as {
        predictions: { label: string; probabilities: Record<string, number> }[];
      };
      for (const p of body.predictions)
        assert.equal(p.label, p.probabilities['>50K'] >= decision.threshold ? '>50K' : '<=50K');
      assert.deepEqual(
        body.predictions.map((p) => p.label),
        model.predict(rows).map((p) => ('label' in p ? p.label : null)),
      );
    } finally {
      await server.close();
    }
  });

  it('runs note | tag, runs ls --json pages; --json on codegen, deploy ls and models card', async () => {
    const home = path.join(dir, 'gate');
    const page1 = JSON.parse((await keel(['runs', 'ls', '--limit', '1', '--json', '--home', home])).stdout);
    assert.ok(page1.total >= 3);
    assert.deepEqual([page1.offset, page1.limit, page1.next_offset], [0, 1, 1]);
    const last = JSON.parse(
      (
        await keel([
          'runs',
          'ls',
          '--limit',
          '1',
          '--offset',
          String(page1.total - 1),
          '--json',
          '--home',
          home,
        ])
      ).stdout,
    );
    assert.equal(last.next_offset, null);
    const id = page1.runs[0].id;
    assert.equal((await keel(['runs', 'note', id, 'baseline', 'for', 'Q1', '--home', home])).code, 0);
    assert.equal((await keel(['runs', 'tag', id, 'team=growth', 'ticket=ML-7', '--home', home])).code, 0);
    const shown = JSON.parse((await keel(['runs', 'show', id, '--json', '--home', home])).stdout);
    assert.equal(shown.note, 'baseline for Q1');
    assert.equal(shown.tags.team, 'growth');
    const tagged = JSON.parse(
      (await keel(['runs', 'ls', '--filter', "tags.team = 'growth'", '--json', '--home', home])).stdout,
    );
    assert.deepEqual(
      tagged.runs.map((r: { id: string }) => r.id),
      [id],
    );
    assert.equal((await keel(['runs', 'tag', id, 'oops', '--home', home])).code, 2);
    assert.equal((await keel(['runs', 'note', 'no-such-run', 'x', '--home', home])).code, 1);

    const code = JSON.parse(
      (await keel(['codegen', 'penguins_raw@champion', '--json', '--home', home])).stdout,
    );
    assert.equal(code.name, 'penguins_raw');
    assert.match(code.code, /export/);
    const card = JSON.parse(
      (await keel(['models', 'card', 'penguins_raw@1', '--json', '--home', home])).stdout,
    );
    assert.match(card.markdown, /penguins_raw/);
    const deployments = JSON.parse((await keel(['deploy', 'ls', '--json', '--home', home])).stdout);
    assert.deepEqual(deployments, { deployments: [] });
    const tuneHome = path.join(dir, 'tune');
    const trial = JSON.parse(
      (await keel(['runs', 'ls', '--limit', '1', '--json', '--home', tuneHome])).stdout,
    ).runs[0];
    const del = await keel(['runs', 'delete', trial.id, '--json', '--home', tuneHome]);
    assert.equal(del.code, 0, del.stderr);
    assert.deepEqual(JSON.parse(del.stdout), { deleted: trial.id });
  });

  it('the model card draws the held-out evaluation as SVG and renders Markdown with a real CommonMark library', async () => {
    const home = path.join(dir, 'card');
    const adult = path.join(ROOT, 'examples/adult/adult.csv');
    const r = await keel([
      'train',
      adult,
      '--target',
      'income',
      '--model',
      'gradient_boosting',
      '--param',
      'min_child_weight=2',
      '--quiet',
      '--home',
      home,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse((await keel(['models', 'card', 'adult@1', '--json', '--home', home])).stdout);
    const e = json.evaluation;
    assert.equal(e.confusion.length, 2);
    assert.equal(
      e.confusion.flat().reduce((a: number, b: number) => a + b, 0),
      8140,
      'every held-out row',
    );
    assert.ok(e.roc.fpr.length > 10 && e.roc.fpr[0] === 0 && e.roc.tpr.at(-1) === 1);
    assert.ok(e.pr.recall.length > 10);
    assert.equal(e.importance.metric, 'roc_auc');
    assert.equal(e.importance.columns.length, 14);
    // the columns that carry the signal in Adult come first
    const top = e.importance.columns.slice(0, 4).map((c: { column: string }) => c.column);
    assert.ok(
      top.includes('relationship') || top.includes('marital-status') || top.includes('capital-gain'),
      top.join(),
    );
    const out = path.join(dir, 'card.html');
    assert.equal(
      (await keel(['models', 'card', 'adult@1', '--format', 'html', '--out', out, '--home', home])).code,
      0,
    );
    const html = fs.readFileSync(out, 'utf8');
    for (const title of [
      'ROC curve',
      'Precision-recall curve',
      'Calibration',
      'Confusion matrix',
      'Permutation importance',
      'roc_auc by slice',
    ])
      assert.ok(html.includes(`<figcaption>${title}`), title);
    assert.equal((html.match(/<svg /g) ?? []).length, 6);
    // snake_case param names stay as written (no emphasis inside words); a user's HTML is shown, never run
    assert.match(html, /min_child_weight/);
    assert.doesNotMatch(html, /min<em>child/);
    const c2 = await keel([
      'models',
      'card',
      'adult@1',
      '--limitations',
      '<script>alert(1)</script> fails on _rare_ groups',
      '--format',
      'html',
      '--home',
      home,
    ]);
    assert.doesNotMatch(c2.stdout, /<script>alert/);
    assert.match(c2.stdout, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(c2.stdout, /<em>rare<\/em>/);
  });

  it('train --schema: declared types instead of inference, rows breaking its rules quarantined with their code', async () => {
    const home = path.join(dir, 'schema');
    const file = path.join(dir, 'plants.csv');
    const lines = ['height,soil,code,label'];
    for (let i = 0; i < 300; i++)
      lines.push(
        `${i % 50 === 7 ? 900 : (i * 7) % 60},${i % 41 === 3 ? 'lava' : ['clay', 'loam', 'sand'][i % 3]},${i % 5},${i % 4 === 0 ? 'big' : 'small'}`,
      );
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const schema = path.join(dir, 'plants.schema.json');
    fs.writeFileSync(
      schema,
      JSON.stringify({
        columns: [
          { name: 'height', type: 'numeric', nullable: false, min: 0, max: 100 },
          { name: 'soil', type: 'categorical', nullable: false, allowed: ['clay', 'loam', 'sand'] },
          // digits, but declared a category: not inferred as a number
          { name: 'code', type: 'categorical', nullable: false },
          { name: 'label', type: 'categorical', nullable: false },
        ],
      }),
    );
    const r = await keel([
      'train',
      file,
      '--target',
      'label',
      '--schema',
      schema,
      '--model',
      'logistic_regression',
      '--json',
      '--quiet',
      '--home',
      home,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    const outOfRange = Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 50 === 7);
    const notAllowed = Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 41 === 3);
    const bad = new Set([...outOfRange, ...notAllowed]);
    assert.deepEqual(doc.rows.quarantined, bad.size);
    assert.equal(doc.rows.accepted, 300 - bad.size);
    const codes = new Set(doc.quarantine_sample.map((q: { code: string }) => q.code));
    assert.ok(codes.has('DATA_OUT_OF_RANGE') && codes.has('DATA_CATEGORY_NOT_ALLOWED'), [...codes].join());
    const { load } = await import('../../src/lib/index.ts');
    const model = await load(`${doc.registered.name}@${doc.registered.version}`, { home });
    assert.equal(model.inputSchema.columns.find((c) => c.name === 'code')?.type, 'categorical');
  });
});
