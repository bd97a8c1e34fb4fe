// Declared deployments and batch scoring through the real CLI: `keel deploy apply`, `keel serve --deployment` with
// an A/B split, `keel deploy status` showing what the server reported, and `keel score` over a CSV.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { exited, keel, keelUntil } from './helpers.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-e2e-deploy-'));
const home = path.join(dir, 'home');
const csv = path.join(dir, 'plants.csv');
const rows = ['height,soil,watered,thriving'];
for (let i = 0; i < 500; i++)
  rows.push(
    `${(i * 13) % 90},${['clay', 'sand', 'loam'][i % 3]},${i % 4 === 0 ? 'true' : 'false'},${(i * 13) % 90 > 40 && i % 3 !== 1 ? 'yes' : 'no'}`,
  );
fs.writeFileSync(csv, `${rows.join('\n')}\n`);

describe('keel deploy, serve --deployment, score', () => {
  it('serves an A/B deployment, reports its state, and scores a file in chunks', async () => {
    for (const model of ['logistic', 'boosting']) {
      const r = await keel([
        'train',
        csv,
        '--target',
        'thriving',
        '--model',
        model,
        '--name',
        'plants',
        '--no-promote',
        '--home',
        home,
      ]);
      assert.equal(r.code, 0, r.stderr);
    }
    const spec = path.join(dir, 'ab.json');
    fs.writeFileSync(
      spec,
      JSON.stringify({
        name: 'plants',
        arms: [
          { name: 'a', ref: 'plants@1' },
          { name: 'b', ref: 'plants@2' },
        ],
        abTest: { metric: 'yield' },
      }),
    );
    let r = await keel(['deploy', 'apply', spec, '--home', home]);
    assert.equal(r.code, 0, r.stderr);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({ name: 'plants', arms: [{ name: 'a', ref: 'plants@1', shadow: true }] }),
    );
    r = await keel(['deploy', 'apply', bad, '--home', home]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /REGISTRY_BAD_DEPLOYMENT.*at least one arm must serve/);

    const { child, match } = await keelUntil(
      ['serve', '--deployment', 'plants', '--port', '0', '--home', home, '--poll-seconds', '0'],
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    try {
      const arms = new Set<string>();
      for (let i = 0; i < 40; i++) {
        const res = await fetch(`${match[1]}/v1/models/plants/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-key': `gardener-${i}` },
          body: JSON.stringify({ instance: { height: 60, soil: 'loam', watered: true } }),
        });
        assert.equal(res.status, 200);
        arms.add(((await res.json()) as { arm: string }).arm);
      }
      assert.deepEqual([...arms].sort(), ['a', 'b']);
      const metrics = await (await fetch(`${match[1]}/metrics`)).text();
      assert.match(metrics, /keel_serve_requests_total\{model="plants",version="2",arm="b",status="200"\}/);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited(child), 0);
    r = await keel(['deploy', 'status', 'plants', '--json', '--home', home]);
    const status = JSON.parse(r.stdout);
    assert.equal(status.spec.arms.length, 2);
    assert.ok(status.state, 'the server reported its state on shutdown');
    assert.deepEqual(
      status.state.state.arms.map((a: { name: string; version: number }) => [a.name, a.version]),
      [
        ['a', 1],
        ['b', 2],
      ],
    );

    const out = path.join(dir, 'scored.csv');
    const input = path.join(dir, 'to-score.csv');
    fs.writeFileSync(
      input,
      'height,soil,watered,id\n10,clay,true,p1\n80,loam,false,p2\nnot-a-number,sand,true,p3\n55,,false,p4\n',
    );
    r = await keel([
      'score',
      'plants@2',
      input,
      '--out',
      out,
      '--id-column',
      'id',
      '--chunk-rows',
      '2',
      '--home',
      home,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'id,label,p_no,p_yes');
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',')[0]),
      ['p1', 'p2', 'p4'],
    );
    assert.match(r.stdout, /scored 3 rows.*1 row\(s\) quarantined/);
    const q = JSON.parse(fs.readFileSync(`${out}.quarantine.json`, 'utf8'));
    assert.equal(q[0].line, 4);

    // the same rows from SQLite, the real PostgreSQL and an NDJSON file: the same predictions
    const csvPredictions = lines.slice(1);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(dir, 'plants.sqlite'));
    db.exec(`CREATE TABLE plants (height REAL, soil TEXT, watered TEXT, id TEXT);
      INSERT INTO plants VALUES (10, 'clay', 'true', 'p1'), (80, 'loam', 'false', 'p2'), (55, NULL, 'false', 'p4');`);
    db.close();
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
    await client.connect();
    const table = `keel_score_${process.pid}`;
    await client.query(
      `CREATE TABLE ${table} (height double precision, soil text, watered boolean, id text)`,
    );
    await client.query(
      `INSERT INTO ${table} VALUES (10, 'clay', true, 'p1'), (80, 'loam', false, 'p2'), (55, NULL, false, 'p4')`,
    );
    const ndjson = path.join(dir, 'plants.ndjson');
    fs.writeFileSync(
      ndjson,
      '{"height": 10, "soil": "clay", "watered": true, "id": "p1"}\n{"height": 80, "soil": "loam", "watered": false, "id": "p2"}\n{"height": "tall", "soil": "sand", "watered": true, "id": "p3"}\n{"height": 55, "soil": null, "watered": false, "id": "p4"}\n',
    );
    try {
      for (const [input, extra] of [
        [`sqlite:${path.join(dir, 'plants.sqlite')}`, ['--table', 'plants']],
        ['postgres://postgres@127.0.0.1:5432/test', ['--query', `SELECT * FROM ${table} ORDER BY id`]],
        [ndjson, []],
      ] as [string, string[]][]) {
        const o = path.join(dir, 'from-source.csv');
        const s = await keel([
          'score',
          'plants@2',
          input,
          ...extra,
          '--out',
          o,
          '--id-column',
          'id',
          '--home',
          home,
        ]);
        assert.equal(s.code, 0, s.stderr);
        assert.deepEqual(fs.readFileSync(o, 'utf8').trim().split('\n').slice(1), csvPredictions, input);
      }
      const bad = await keel([
        'score',
        'plants@2',
        `sqlite:${path.join(dir, 'plants.sqlite')}`,
        '--query',
        'SELECT id FROM plants',
        '--out',
        path.join(dir, 'x.csv'),
        '--home',
        home,
      ]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /has no column height, soil, watered, which the model needs/);
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.end();
    }
  });
});
