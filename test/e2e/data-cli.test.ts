// keel data on the command line: check exits 1 on failing data and 0 on clean data, --json carries rows and the
// quarantine, --html writes a self-contained page, schema infers and saves, snapshot is idempotent, SQL sources work.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { keel, ROOT } from './helpers.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-data-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const DEFECTS = path.join(ROOT, 'test/fixtures/defects.csv');
const SCHEMA = path.join(ROOT, 'test/fixtures/defects.schema.ts');
const IRIS = path.resolve(ROOT, '../shared/datasets/iris.csv');

describe('keel data', () => {
  it('check --json: rows reconcile, every quarantined row has line, column, reason and raw; --html is written', async () => {
    const html = path.join(tmp, 'report.html');
    const r = await keel(['data', 'check', DEFECTS, '--schema', SCHEMA, '--json', '--html', html]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.rows, { read: 10008, accepted: 9928, quarantined: 80 });
    assert.equal(report.quarantine.length, 80);
    for (const q of report.quarantine) {
      assert.equal(typeof q.line, 'number');
      assert.ok('column' in q && typeof q.reason === 'string' && typeof q.raw === 'string');
    }
    assert.equal(report.passed, true);
    const page = fs.readFileSync(html, 'utf8');
    assert.match(page, /<!doctype html>/);
    assert.match(page, /DATA_UNCLOSED_QUOTE/);
  });

  it('check exits 1 when the bad-row rate passes the limit, and says why', async () => {
    const qfile = path.join(tmp, 'quarantine.ndjson');
    const r = await keel([
      'data',
      'check',
      DEFECTS,
      '--schema',
      SCHEMA,
      '--max-bad-rate',
      '0.005',
      '--quarantine',
      qfile,
    ]);
    assert.equal(r.code, 1);
    const rows = fs
      .readFileSync(qfile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(rows.length, 80);
    assert.deepEqual(Object.keys(rows[0]).sort(), [
      'code',
      'column',
      'line',
      'offset',
      'raw',
      'reason',
      'source',
    ]);
    assert.equal(rows[0].source, DEFECTS);
    assert.match(r.stdout, /FAILED: 80 of 10008 rows quarantined/);
    assert.match(r.stdout, /DATA_WRONG_DELIMITER: 8/);
    assert.match(r.stderr, /reading|checking/);
  });

  it('schema infers and saves a schema that then checks the file cleanly; profile shows the target', async () => {
    const file = path.join(tmp, 'iris.schema.json');
    const s = await keel(['data', 'schema', IRIS, '--out', file]);
    assert.equal(s.code, 0, s.stderr);
    const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(schema.columns.length, 5);
    const c = await keel(['data', 'check', IRIS, '--schema', file]);
    assert.equal(c.code, 0, c.stdout + c.stderr);
    assert.match(c.stdout, /read 150 = accepted 150 \+ quarantined 0/);
    const p = await keel(['data', 'profile', IRIS, '--target', 'target', '--json']);
    const prof = JSON.parse(p.stdout).profile;
    assert.ok(
      prof.columns.every((col: { name: string; target?: unknown }) => col.name === 'target' || col.target),
    );
  });

  it('snapshot writes once and finds the same id again', async () => {
    const dir = path.join(tmp, 'snaps');
    const a = await keel(['data', 'snapshot', IRIS, '--dir', dir, '--json']);
    const b = await keel(['data', 'snapshot', IRIS, '--dir', dir]);
    assert.equal(a.code, 0, a.stderr);
    const id = JSON.parse(a.stdout).id;
    assert.match(b.stdout, new RegExp(`snapshot ${id} \\(150 rows, already there\\)`));
  });

  it('reads a SQL source (SQLite) and refuses a bad schema file clearly', async () => {
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(tmp, 'x.sqlite'));
    db.exec("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, NULL);");
    db.close();
    const r = await keel(['data', 'profile', `sqlite:${path.join(tmp, 'x.sqlite')}`, '--table', 't']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /read 3 = accepted 3/);
    fs.writeFileSync(path.join(tmp, 'bad.json'), '{"columns": 3}');
    const bad = await keel(['data', 'check', IRIS, '--schema', path.join(tmp, 'bad.json')]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /does not hold a schema/);
  });
});
