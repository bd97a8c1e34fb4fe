// Every Source kind against the shared contract: files (CSV, Parquet, JSON, NDJSON), SQL (the real PostgreSQL on
// 127.0.0.1, SQLite, DuckDB files) and HTTP (a local server with offset pagination and a token from the environment).

import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openDuckDB, sqlString } from '../duckdb.ts';
import { BAD_X_IDS, type ContractRecord, sourceContract } from './contract-suite.ts';
import { duckdbSource } from './duckdb/source.ts';
import { fileSource } from './file/source.ts';
import { httpSource } from './http/source.ts';
import { postgresSource } from './postgres/source.ts';
import { sqliteSource } from './sqlite/source.ts';

const PG_URL = process.env.KEEL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-sources-'));
let seq = 0;
const fresh = (ext: string) => path.join(dir, `t${++seq}.${ext}`);

function rows(records: ContractRecord[], bad: boolean): Record<string, unknown>[] {
  return records.map((r) => (bad && BAD_X_IDS.includes(r.id) ? { ...r, x: 'oops' } : { ...r }));
}

after(() => fs.rmSync(dir, { recursive: true, force: true }));

sourceContract('CSV file', {
  carriesBadRows: true,
  async make(records, bad) {
    const file = fresh('csv');
    const lines = rows(records, bad).map((r) => `${r.id},${r.x},${r.cat},${r.flag},${r.ts}`);
    fs.writeFileSync(file, `id,x,cat,flag,ts\n${lines.join('\n')}\n`);
    return fileSource(file);
  },
});

sourceContract('CSV glob over three files', {
  carriesBadRows: true,
  async make(records, bad) {
    const sub = fs.mkdtempSync(path.join(dir, 'glob-'));
    const all = rows(records, bad);
    const third = Math.ceil(all.length / 3);
    for (let k = 0; k < 3; k++) {
      const part = all
        .slice(k * third, (k + 1) * third)
        .map((r) => `${r.id},${r.x},${r.cat},${r.flag},${r.ts}`);
      fs.writeFileSync(path.join(sub, `part-${k}.csv`), `id,x,cat,flag,ts\n${part.join('\n')}\n`);
    }
    return fileSource(path.join(sub, 'part-*.csv'));
  },
});

sourceContract('JSON array file', {
  carriesBadRows: true,
  async make(records, bad) {
    const file = fresh('json');
    fs.writeFileSync(file, JSON.stringify(rows(records, bad)));
    return fileSource(file);
  },
});

sourceContract('NDJSON file', {
  carriesBadRows: true,
  async make(records, bad) {
    const file = fresh('ndjson');
    fs.writeFileSync(
      file,
      `${rows(records, bad)
        .map((r) => JSON.stringify(r))
        .join('\n')}\n`,
    );
    return fileSource(file);
  },
});

async function duckTable(records: ContractRecord[], target: string): Promise<void> {
  const json = fresh('json');
  fs.writeFileSync(json, JSON.stringify(records));
  const db = await openDuckDB();
  try {
    await db.connection.run(
      `COPY (SELECT id::INTEGER AS id, x::DOUBLE AS x, cat::VARCHAR AS cat, flag::BOOLEAN AS flag,
        CAST(ts AS TIMESTAMP) AS ts FROM read_json(${sqlString(json)}) ORDER BY id) TO ${sqlString(target)} (FORMAT parquet)`,
    );
  } finally {
    db.close();
  }
}

sourceContract('Parquet file', {
  carriesBadRows: false,
  async make(records) {
    const file = fresh('parquet');
    await duckTable(records, file);
    return fileSource(file);
  },
});

sourceContract('DuckDB database file', {
  carriesBadRows: false,
  async make(records) {
    const parquet = fresh('parquet');
    await duckTable(records, parquet);
    const file = fresh('duckdb');
    const inst = await DuckDBInstance.create(file);
    const conn = await inst.connect();
    await conn.run(`CREATE TABLE "contract rows" AS SELECT * FROM read_parquet(${sqlString(parquet)})`);
    conn.closeSync();
    inst.closeSync();
    return duckdbSource({ path: file, table: 'contract rows' });
  },
});

sourceContract('SQLite', {
  carriesBadRows: true,
  async make(records, bad) {
    const file = fresh('sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (id INTEGER, x REAL, cat TEXT, flag BOOLEAN, ts TIMESTAMP)');
    const ins = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const r of rows(records, bad)) ins.run(r.id, r.x, r.cat, r.flag ? 1 : 0, r.ts);
    })();
    db.close();
    return sqliteSource({ path: file, query: 'SELECT id, x, cat, flag, ts FROM t ORDER BY id' });
  },
});

const pgSchema = `keel_t_sources_${process.pid}_${Date.now().toString(36)}`;
const pgSecret = 'pg-Secret-3141';
const pgUrlWithSecret = PG_URL.replace('postgres://postgres@', `postgres://postgres:${pgSecret}@`);
let pgTables = 0;
after(async () => {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
  await c.end();
});

sourceContract('PostgreSQL (real server)', {
  carriesBadRows: true,
  secret: pgSecret,
  async make(records, bad) {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    const table = `${pgSchema}.t${++pgTables}`;
    try {
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${pgSchema}`);
      // x is text so a bad value can exist at all; the query casts nothing, the source coerces and quarantines
      await c.query(`CREATE TABLE ${table} (id integer, x text, cat text, flag boolean, ts timestamptz)`);
      const all = rows(records, bad);
      for (let i = 0; i < all.length; i += 200) {
        const part = all.slice(i, i + 200);
        const params: unknown[] = [];
        const values = part.map((r, j) => {
          params.push(r.id, String(r.x), r.cat, r.flag, r.ts);
          return `($${j * 5 + 1}, $${j * 5 + 2}, $${j * 5 + 3}, $${j * 5 + 4}, $${j * 5 + 5})`;
        });
        await c.query(`INSERT INTO ${table} VALUES ${values.join(', ')}`, params);
      }
    } finally {
      await c.end();
    }
    return postgresSource({
      connectionString: pgUrlWithSecret,
      query: `SELECT id, x::text AS x, cat, flag, ts FROM ${table} ORDER BY id`,
      types: { x: 'numeric' },
    });
  },
});

// a local JSON API: offset pagination, a bearer token read from the environment, a secret in the query string
const token = 'tok-Secret-2718';
let server: http.Server;
let base = '';
const datasets = new Map<string, Record<string, unknown>[]>();
before(async () => {
  process.env.KEEL_TEST_API_TOKEN = token;
  server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end('{}');
      return;
    }
    const data = datasets.get(u.pathname.slice(1)) ?? [];
    const offset = Number(u.searchParams.get('offset') ?? 0);
    const limit = Number(u.searchParams.get('limit') ?? 100);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: { items: data.slice(offset, offset + limit) } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

sourceContract('HTTP JSON API (local server)', {
  carriesBadRows: true,
  secret: token,
  async make(records, bad) {
    const name = `d${++seq}`;
    datasets.set(name, rows(records, bad));
    return httpSource({
      url: `${base}/${name}?api_key=${token}`,
      recordsPath: 'data.items',
      pagination: { kind: 'offset', limit: 150 },
      headers: { authorization: { env: 'KEEL_TEST_API_TOKEN', prefix: 'Bearer ' } },
      allowHosts: ['127.0.0.1'],
    });
  },
});
