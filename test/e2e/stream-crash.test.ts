// Streams against the real Redis and NATS JetStream: a consumer killed mid-batch (rows stored, not acknowledged) is
// restarted; the output holds every input message exactly once, the broken ones quarantined, the duplicates dropped.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { SqliteCommitLog } from '../../src/data/index.ts';

const N = 5000;
const BROKEN = 5;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-stream-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const script = path.resolve(import.meta.dirname, 'stream-consumer.ts');

function consumer(
  kind: string,
  db: string,
  name: string,
  key: string,
  crashAfter?: number,
): Promise<number | string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, kind, db, name, key], {
      env: { ...process.env, KEEL_CRASH_AFTER_BATCH: String(crashAfter ?? 0) },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code, signal) => resolve(signal ?? code ?? -1));
  });
}

function payload(i: number): string {
  return i % 1000 === 999 && i < BROKEN * 1000
    ? `{"id": ${i}, broken`
    : JSON.stringify({ id: i, v: i * 0.5 });
}

async function crashAndResume(kind: string, key: string): Promise<void> {
  const db = path.join(dir, `${kind}.sqlite`);
  const first = await consumer(kind, db, 'c1', key, 4);
  assert.equal(first, 'SIGKILL');
  const mid = new SqliteCommitLog(db);
  const stored = mid.counts();
  mid.close();
  assert.ok(
    stored.rows + stored.quarantined >= 600 && stored.rows + stored.quarantined < N,
    `after the crash: ${JSON.stringify(stored)}`,
  );
  assert.equal(await consumer(kind, db, 'c1', key), 0);
  const log = new SqliteCommitLog(db);
  const c = log.counts();
  const ids = new Set(log.ids());
  log.close();
  assert.equal(c.rows + c.quarantined, N, JSON.stringify(c));
  assert.equal(c.quarantined, BROKEN);
  assert.equal(ids.size, c.rows);
  assert.ok(c.duplicatesDropped > 0, 'the batch stored before the crash came again and was dropped');
  console.log(`# ${kind}: ${JSON.stringify(c)}`);
}

describe('stream consumers survive SIGKILL mid-batch', () => {
  it('Redis Streams: output count equals input count, duplicates dropped', async () => {
    const redis = new Redis('redis://127.0.0.1:6379');
    const key = `keel-test-${process.pid}-${Date.now()}`;
    try {
      const pipe = redis.pipeline();
      for (let i = 0; i < N; i++) pipe.xadd(key, '*', 'data', payload(i));
      await pipe.exec();
      await crashAndResume('redis', key);
      const pending = (await redis.xpending(key, 'g')) as [number, ...unknown[]];
      assert.equal(Number(pending[0]), 0, 'nothing left unacknowledged');
    } finally {
      await redis.del(key);
      redis.disconnect();
    }
  });

  it('NATS JetStream: output count equals input count, duplicates dropped', async () => {
    const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
    const stream = `KEEL_TEST_${process.pid}_${Date.now()}`;
    const jsm = await jetstreamManager(nc);
    try {
      await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
      const js = jetstream(nc);
      const acks = [];
      for (let i = 0; i < N; i++) acks.push(js.publish(`${stream}.rows`, payload(i)));
      await Promise.all(acks);
      await crashAndResume('nats', stream);
      const info = await jsm.consumers.info(stream, 'c1');
      assert.equal(info.num_ack_pending, 0);
      assert.equal(info.num_pending, 0);
    } finally {
      await jsm.streams.delete(stream).catch(() => {});
      await nc.close();
    }
  });
});
