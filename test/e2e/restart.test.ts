// Rolling restarts behind a second instance: while clients keep sending through a readiness-aware balancer, one
// server is stopped with SIGTERM and started again, over and over. Graceful shutdown (readiness 503 first, in-flight
// requests finished) must leave clients with zero errors.

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { exited, keel, keelUntil } from './helpers.ts';
import { startBalancer } from './lb.ts';

const RESTARTS = Number(process.env.KEEL_RESTARTS ?? 5);

describe('rolling restarts', () => {
  it(`${RESTARTS} SIGTERM restarts behind a second instance: no client-visible error`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-restart-'));
    const home = path.join(dir, 'home');
    const rows = ['x,kind,y'];
    for (let i = 0; i < 300; i++) rows.push(`${i % 40},${i % 2 ? 'a' : 'b'},${i % 40 > 20 ? 'hi' : 'lo'}`);
    fs.writeFileSync(path.join(dir, 'd.csv'), `${rows.join('\n')}\n`);
    const trained = await keel([
      'train',
      path.join(dir, 'd.csv'),
      '--target',
      'y',
      '--model',
      'logistic',
      '--name',
      'd',
      '--home',
      home,
    ]);
    assert.equal(trained.code, 0, trained.stderr);
    const serve = () =>
      keelUntil(
        [
          'serve',
          'd@champion',
          '--port',
          '0',
          '--home',
          home,
          '--drain-ms',
          '150',
          '--poll-seconds',
          '0',
          '--log-sample',
          '0',
        ],
        /listening on (http:\/\/127\.0\.0\.1:\d+)/,
      );
    let a = await serve();
    const b = await serve();
    const urls = { a: a.match[1], b: b.match[1] };
    const lb = await startBalancer(() => [urls.a, urls.b]);
    await new Promise((r) => setTimeout(r, 100));
    let stop = false;
    let ok = 0;
    const bad: string[] = [];
    const client = async () => {
      while (!stop) {
        try {
          const res = await fetch(`${lb.url}/v1/models/d/predict`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ instance: { x: ok % 40, kind: 'a' } }),
          });
          if (res.status === 200) ok++;
          else bad.push(`HTTP ${res.status}: ${await res.text()}`);
          if (res.status === 200) await res.arrayBuffer();
        } catch (err) {
          bad.push(String(err));
        }
      }
    };
    const clients = Array.from({ length: 6 }, client);
    const children: ChildProcess[] = [b.child];
    try {
      for (let i = 0; i < RESTARTS; i++) {
        await new Promise((r) => setTimeout(r, 150));
        a.child.kill('SIGTERM');
        assert.equal(await exited(a.child), 0, 'a clean exit after SIGTERM');
        a = await serve();
        urls.a = a.match[1];
      }
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      stop = true;
      await Promise.all(clients);
      children.push(a.child);
      for (const c of children) c.kill('SIGTERM');
      await Promise.all(children.map(exited));
      await lb.close();
    }
    assert.deepEqual(bad.slice(0, 5), [], `${bad.length} client-visible errors`);
    assert.equal(lb.failures, 0);
    assert.ok(ok > 100, `only ${ok} requests completed`);
  });
});
