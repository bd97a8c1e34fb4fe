// Every source trains: the same Adult rows as CSV, Parquet, a SQLite table, a PostgreSQL table and a snapshot give
// the same data hash and byte-identical models through `keel train`.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readCsv } from '../../src/data/index.ts';
import { PG_URL } from '../../src/track/pg-test-env.ts';
import { keel, ROOT } from './helpers.ts';

const ADULT = path.join(ROOT, 'examples/adult/adult.csv');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-every-source-'));
const home = path.join(dir, 'home');
const table = `keel_adult_${process.pid}`;

interface Trained {
  data_sha256: string;
  snapshot: string;
  models: { artifact_sha256: string }[];
}

async function train(source: string, extra: string[] = []): Promise<Trained> {
  const r = await keel([
    'train',
    source,
    ...extra,
    '--target',
    'income',
    '--model',
    'logistic_regression',
    '--name',
    'adult',
    '--no-promote',
    '--json',
    '--quiet',
    '--home',
    home,
  ]);
  assert.equal(r.code, 0, `${source}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Trained;
}

describe('every source trains', () => {
  let rows: Record<string, number | string | null>[] = [];
  let columns: { name: string; type: string }[] = [];

  before(async () => {
    const read = await readCsv(ADULT);
    columns = read.frame.columns.map((c) => ({ name: c.name, type: c.type }));
    rows = read.frame.toRecords(read.frame.nRows) as Record<string, number | string | null>[];
  });

  after(async () => {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('CSV, Parquet, SQLite, PostgreSQL and snapshot:<id> give one data hash and the same model bytes', async () => {
    const fromCsv = await train(ADULT);
    assert.match(fromCsv.data_sha256, /^[0-9a-f]{64}$/);
    assert.equal(fromCsv.snapshot, fromCsv.data_sha256, 'the run wrote a snapshot of exactly these rows');

    const parquet = path.join(dir, 'adult.parquet');
    fs.copyFileSync(path.join(home, 'snapshots', fromCsv.snapshot, 'data.parquet'), parquet);

    const quote = (n: string) => `"${n.replace(/"/g, '""')}"`;
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(dir, 'adult.sqlite'));
    db.exec(
      `CREATE TABLE adult (${columns.map((c) => `${quote(c.name)} ${c.type === 'numeric' ? 'REAL' : 'TEXT'}`).join(', ')})`,
    );
    const insert = db.prepare(`INSERT INTO adult VALUES (${columns.map(() => '?').join(', ')})`);
    db.transaction(() => {
      for (const r of rows) insert.run(...columns.map((c) => r[c.name]));
    })();
    db.close();

    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    // a table has no order of its own (PostgreSQL fills free space in earlier pages): rid keeps the file's order
    await client.query(
      `CREATE TABLE ${table} (rid integer, ${columns.map((c) => `${quote(c.name)} ${c.type === 'numeric' ? 'double precision' : 'text'}`).join(', ')})`,
    );
    for (let s = 0; s < rows.length; s += 1000) {
      const part = rows.slice(s, s + 1000);
      const values: unknown[] = [];
      const width = columns.length + 1;
      const tuples = part.map((r, i) => {
        values.push(s + i);
        for (const c of columns) values.push(r[c.name]);
        return `(${Array.from({ length: width }, (_, j) => `$${i * width + j + 1}`).join(', ')})`;
      });
      await client.query(`INSERT INTO ${table} VALUES ${tuples.join(', ')}`, values);
    }
    await client.end();

    const names = columns.map((c) => quote(c.name)).join(', ');
    const results: [string, Trained][] = [
      ['csv', fromCsv],
      ['parquet', await train(parquet)],
      [
        'sqlite',
        await train(`sqlite:${path.join(dir, 'adult.sqlite')}`, [
          '--query',
          `SELECT ${names} FROM adult ORDER BY rowid`,
        ]),
      ],
      ['postgres', await train(PG_URL, ['--query', `SELECT ${names} FROM ${table} ORDER BY rid`])],
      ['snapshot', await train(`snapshot:${fromCsv.snapshot}`)],
    ];
    for (const [kind, r] of results) {
      assert.equal(r.data_sha256, fromCsv.data_sha256, `${kind}: same data hash`);
      assert.equal(
        r.models[0].artifact_sha256,
        fromCsv.models[0].artifact_sha256,
        `${kind}: same model bytes`,
      );
    }
  });
});
