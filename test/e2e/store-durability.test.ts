// The stores under real pressure: 16 processes × 1,000 metric batches on SQLite and 32 writers on PostgreSQL (every
// process opening a fresh store, so migrations race too), and 20 SIGKILLs of a tracking process at random moments.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createRng } from '../../src/core/index.ts';
import { openPostgres, openStore, sqliteIntegrity } from '../../src/track/index.ts';
import { PG_URL, testSchema } from '../../src/track/pg-test-env.ts';
import { TRACK_MIGRATIONS } from '../../src/track/schema.ts';

const HERE = path.dirname(new URL(import.meta.url).pathname);

function child(
  script: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, script), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('store durability', () => {
  it('SQLite: 16 processes × 1,000 batches, exact counts, no "database is locked" reaching a caller', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-load-'));
    const results = await Promise.all(
      Array.from({ length: 16 }, () => child('store-writer.ts', [home, '-', '-', '1', '1000', '5'])),
    );
    for (const r of results) {
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /locked|busy/i);
    }
    const store = await openStore({ home });
    const n = await store.sql.get<{ n: number }>('SELECT count(*) AS n FROM metrics');
    assert.equal(Number(n?.n), 16 * 1000 * 5);
    assert.equal(await store.countRuns({ status: 'finished' }), 16);
    const schema = await store.sql.all<{ room: string; version: number }>(
      'SELECT room, version FROM keel_schema',
    );
    assert.deepEqual(
      schema.map((r) => [r.room, Number(r.version)]),
      [['track', TRACK_MIGRATIONS.length]],
    );
    await store.close();
    assert.equal(sqliteIntegrity(path.join(home, 'keel.db')), 'ok');
  });

  it('PostgreSQL: 32 writers in 16 processes, exact counts, migrations applied once', async () => {
    const schema = testSchema('load');
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-pgload-'));
    try {
      const results = await Promise.all(
        Array.from({ length: 16 }, () => child('store-writer.ts', [home, PG_URL, schema, '2', '250', '5'])),
      );
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const store = await openStore({ home, url: PG_URL, schema });
      const n = await store.sql.get<{ n: number }>('SELECT count(*) AS n FROM metrics');
      assert.equal(Number(n?.n), 32 * 250 * 5);
      assert.equal(await store.countRuns({ status: 'finished' }), 32);
      const rooms = await store.sql.all<{ room: string; version: number }>(
        'SELECT room, version FROM keel_schema',
      );
      assert.deepEqual(
        rooms.map((r) => [r.room, Number(r.version)]),
        [['track', TRACK_MIGRATIONS.length]],
      );
      await store.close();
    } finally {
      const db = await openPostgres({ url: PG_URL });
      await db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.close();
    }
  });

  it('SIGKILL at 20 random moments: integrity holds, no partial artifact is listed, the run ends up killed', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-kill-'));
    const rng = createRng(2026);
    let killedMidWork = 0;
    for (let round = 0; round < 20; round++) {
      const p = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'store-victim.ts'), home], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const runId = await new Promise<string>((resolve, reject) => {
        let out = '';
        p.stdout.on('data', (d) => {
          out += d;
          const m = out.match(/ready (\w+)/);
          if (m) resolve(m[1]);
        });
        p.on('exit', (code) => reject(new Error(`victim exited early (${code})`)));
      });
      await new Promise((r) => setTimeout(r, Math.floor(rng.next() * 700)));
      p.kill('SIGKILL');
      await new Promise((r) => p.once('exit', r));

      assert.equal(sqliteIntegrity(path.join(home, 'keel.db')), 'ok', `round ${round}`);
      const store = await openStore({ home });
      try {
        const run = await store.getRun(runId);
        assert.equal(run.status, 'killed', `round ${round}`);
        if (run.artifacts.length > 0) killedMidWork++;
        for (const a of run.artifacts) {
          const bytes = await store.readRunArtifact(runId, a.name); // verifies the hash
          assert.equal(bytes.length, a.size);
        }
        assert.deepEqual(
          fs.readdirSync(path.join(home, 'artifacts', 'tmp')),
          [],
          'leftover temporaries are cleared',
        );
      } finally {
        await store.close();
      }
    }
    assert.ok(
      killedMidWork >= 10,
      `only ${killedMidWork} of 20 kills landed after artifacts were being written`,
    );
    const store = await openStore({ home });
    assert.equal(await store.countRuns({ status: 'killed' }), 20);
    assert.equal(await store.countRuns({ status: 'running' }), 0);
    await store.close();
  });
});
