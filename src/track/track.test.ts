// The embedded run store: runs, params, metrics, content-addressed atomic artifacts, and recovery from a process
// killed mid-run (a real child process, really SIGKILLed).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SqliteRunStore } from './index.ts';

const home = () => fs.mkdtempSync(path.join(os.tmpdir(), 'keel-track-'));

describe('SqliteRunStore', () => {
  it('records a run with params, metrics, tags and artifacts', () => {
    const store = new SqliteRunStore({ home: home() });
    const id = store.startRun({
      experiment: 'exp',
      name: 'demo',
      params: { lr: 0.1, depth: 3, tag: 'x' },
      tags: { who: 'test' },
    });
    store.logMetrics(id, { loss: 0.9 }, 0);
    store.logMetrics(id, { loss: 0.5, auc: 0.8 }, 1);
    const art = store.logArtifact(id, 'model.bin', Buffer.from('hello'));
    store.endRun(id, 'finished');
    const run = store.getRun(id);
    assert.equal(run.status, 'finished');
    assert.equal(run.experiment, 'exp');
    assert.deepEqual(run.params, { lr: '0.1', depth: '3', tag: 'x' });
    assert.deepEqual(run.metrics, { loss: 0.5, auc: 0.8 });
    assert.deepEqual(run.tags, { who: 'test' });
    assert.equal(art.sha256, '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    assert.deepEqual(store.readArtifact(art.sha256).toString(), 'hello');
    assert.ok(run.endedAt);
    assert.equal(store.listRuns({ experiment: 'exp' }).length, 1);
    assert.throws(() => store.logMetrics(id, { x: 1 }), { code: 'TRACK_RUN_NOT_ACTIVE' });
    assert.throws(() => store.getRun('nope'), { code: 'TRACK_NOT_FOUND' });
    store.close();
  });

  it('stores equal bytes once, leaves no temporaries, and detects a corrupted file', () => {
    const h = home();
    const store = new SqliteRunStore({ home: h });
    const id = store.startRun({ experiment: 'e', name: 'a' });
    const a = store.logArtifact(id, 'one', Buffer.from('same bytes'));
    const b = store.logArtifact(id, 'two', Buffer.from('same bytes'));
    assert.equal(a.sha256, b.sha256);
    assert.deepEqual(fs.readdirSync(path.join(h, 'artifacts', 'tmp')), []);
    const file = store.artifacts.pathOf(a.sha256);
    fs.writeFileSync(file, 'same bytez');
    assert.throws(() => store.readArtifact(a.sha256), { code: 'TRACK_ARTIFACT_CORRUPT' });
    fs.rmSync(file);
    assert.throws(() => store.readArtifact(a.sha256), { code: 'TRACK_ARTIFACT_MISSING' });
    store.close();
  });

  it('reopens after a SIGKILL mid-run: the store is intact and the run is marked failed', async () => {
    const h = home();
    new SqliteRunStore({ home: h }).close();
    const script = path.join(h, 'child.mts');
    const storeModule = new URL('./index.ts', import.meta.url).pathname;
    fs.writeFileSync(
      script,
      `import fs from 'node:fs';
       import { SqliteRunStore } from ${JSON.stringify(storeModule)};
       const s = new SqliteRunStore({ home: ${JSON.stringify(h)} });
       const id = s.startRun({ experiment: 'crash', name: 'victim' });
       s.logMetrics(id, { step_metric: 1 });
       // a temporary as if an artifact write was cut short
       fs.writeFileSync(${JSON.stringify(path.join(h, 'artifacts', 'tmp'))} + '/abc.' + process.pid + '.x.tmp', 'partial');
       console.log(id);
       setInterval(() => {}, 1000);`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const id = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => resolve(d.toString().trim()));
      child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const store = new SqliteRunStore({ home: h });
    const run = store.getRun(id);
    assert.equal(run.status, 'failed');
    assert.match(run.error ?? '', /ended without finishing/);
    assert.deepEqual(run.metrics, { step_metric: 1 });
    assert.deepEqual(fs.readdirSync(path.join(h, 'artifacts', 'tmp')), []);
    assert.equal(store.db.pragma('integrity_check', { simple: true }), 'ok');
    store.close();
  });
});
