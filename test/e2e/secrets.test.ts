// The secrets canary: one secret placed in every input path — a store URL's password, an HTTP source's query key,
// a literal header, a header value from the environment, and an API token — must appear nowhere Keel writes: not
// in any output or error, not in any file of the home (store, artifacts, cards), not in any PostgreSQL row.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openPostgres } from '../../src/track/index.ts';
import { PG_URL, testSchema } from '../../src/track/pg-test-env.ts';
import { KEEL, ROOT } from './helpers.ts';

const CANARY = `kc${randomBytes(9).toString('hex')}`;
const schema = testSchema('secrets');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-secrets-'));
const storeUrl = PG_URL.replace('postgres@', `postgres:${CANARY}@`);
let server: http.Server;
let base: string;
const outputs: { command: string; out: string }[] = [];

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [KEEL, ...args], {
      cwd: ROOT,
      env: { ...process.env, KEEL_HOME: home, KEEL_STORE_SCHEMA: schema, KEEL_CANARY: CANARY, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => {
      outputs.push({ command: `keel ${args[0]} ${args[1]}`, out });
      resolve({ code, out });
    });
  });
}

before(async () => {
  const rows = Array.from({ length: 240 }, (_, i) => ({
    x: i % 13,
    c: ['a', 'b'][i % 2],
    y: i % 13 > 6 ? 'yes' : 'no',
  }));
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const ok =
      url.pathname === '/rows' &&
      url.searchParams.get('api_key') === CANARY &&
      req.headers.authorization === `Bearer ${CANARY}` &&
      req.headers['x-extra'] === CANARY;
    res.writeHead(ok ? 200 : 403, { 'content-type': 'application/json' });
    res.end(JSON.stringify(ok ? { data: rows } : { error: 'forbidden' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(async () => {
  server.close();
  const db = await openPostgres({ url: PG_URL });
  await db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.close();
});

/** Every file under a folder, as raw bytes. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

describe('the secrets canary', () => {
  it('appears in no output, error, file of the home or row of the store', async () => {
    const source = [
      `${base}/rows?api_key=${CANARY}`,
      '--records-path',
      'data',
      '--allow-host',
      '127.0.0.1',
      '--http-header',
      'Authorization: Bearer env:KEEL_CANARY',
      '--http-header',
      `X-Extra: ${CANARY}`,
    ];
    const train = await run(['train', ...source, '--target', 'y', '--name', 'canary', '--store', storeUrl]);
    assert.equal(train.code, 0, train.out);
    const denied = await run([
      'data',
      'profile',
      `${base}/nope?api_key=${CANARY}`,
      '--allow-host',
      '127.0.0.1',
      '--http-header',
      `Authorization: Bearer ${CANARY}`,
    ]);
    assert.notEqual(denied.code, 0, 'a refused request fails');
    const badStore = await run(['runs', 'ls', '--store', `postgres://postgres:${CANARY}@127.0.0.1:1/test`]);
    assert.notEqual(badStore.code, 0, 'an unreachable store fails');
    for (const args of [
      ['runs', 'ls', '--json', '--store', storeUrl],
      ['models', 'card', 'canary@1', '--store', storeUrl],
      ['models', 'card', 'canary@1', '--format', 'html', '--store', storeUrl],
      ['models', 'show', 'canary', '--json', '--store', storeUrl],
    ]) {
      const r = await run(args);
      assert.equal(r.code, 0, r.out);
    }
    // an API token is a secret too: shown once by `keel tokens create`, then nowhere
    assert.equal((await run(['users', 'add', 'ops', '--role', 'admin', '--store', storeUrl])).code, 0);
    const made = await run(['tokens', 'create', 'ops', '--store', storeUrl]);
    outputs.pop(); // the one output that shows the token, by design
    const token = made.out.split('\n')[0].trim();
    const secret = token.slice('keel_0123456789abcdef_'.length);
    assert.ok(secret && secret.length > 30, made.out);
    const api = spawn(process.execPath, [KEEL, 'api', '--port', '0', '--store', storeUrl], {
      cwd: ROOT,
      env: { ...process.env, KEEL_HOME: home, KEEL_STORE_SCHEMA: schema },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let apiOut = '';
    api.stderr.on('data', (d) => (apiOut += d));
    const url = await new Promise<string>((resolve) =>
      api.stdout.on('data', (d) => {
        apiOut += d;
        const m = /listening on (\S+)/.exec(apiOut);
        if (m) resolve(m[1]);
      }),
    );
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    assert.equal((await fetch(`${url}/api/v1/runs`, { headers: auth })).status, 200);
    const promoted = await fetch(`${url}/api/v1/models/canary/aliases/staging`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ version: 1, reason: 'promoted in the secrets test' }),
    });
    assert.equal(promoted.status, 200);
    const wrong = await fetch(`${url}/api/v1/runs`, { headers: { authorization: `Bearer ${token}x` } });
    assert.equal(wrong.status, 401);
    assert.ok(!(await wrong.text()).includes(secret));
    api.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
    outputs.push({ command: 'keel api', out: apiOut });
    const leaks: string[] = [];
    for (const o of outputs)
      if (o.out.includes(secret)) leaks.push(`the API token's secret in the output of ${o.command}`);
    for (const o of outputs)
      for (const line of o.out.split('\n').filter((l) => l.includes(CANARY)))
        leaks.push(`output of ${o.command}: ${line.trim().slice(0, 300)}`);
    for (const f of filesUnder(home)) {
      const bytes = fs.readFileSync(f);
      if (bytes.includes(CANARY)) leaks.push(`file ${f}`);
      if (bytes.includes(secret)) leaks.push(`the API token's secret in file ${f}`);
    }
    const db = await openPostgres({ url: PG_URL });
    try {
      const tables = await db.all<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = ?',
        [schema],
      );
      assert.ok(tables.length > 5, 'the PostgreSQL store has its tables');
      for (const t of tables) {
        const rows = await db.all<{ j: string }>(
          `SELECT row_to_json(t)::text AS j FROM ${schema}.${t.table_name} t`,
        );
        for (const r of rows.filter((x) => x.j.includes(CANARY)))
          leaks.push(`table ${t.table_name}: ${r.j.slice(0, 300)}`);
        if (rows.some((x) => x.j.includes(secret)))
          leaks.push(`the API token's secret in table ${t.table_name}`);
      }
    } finally {
      await db.close();
    }
    // the commands above spelled the canary out: the check is that Keel never repeats it
    assert.deepEqual(leaks, []);
  });
});
