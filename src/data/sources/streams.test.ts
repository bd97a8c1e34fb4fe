// Micro-batching, acknowledgement on commit and tumbling windows on the real Redis, and MQTT on the real Mosquitto.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import mqtt from 'mqtt';
import { concatFrames } from '../concat.ts';
import { DataErrors } from '../errors.ts';
import { writeSnapshot } from '../snapshot.ts';
import { mqttSource } from './mqtt/source.ts';
import { redisStreamSource } from './redis/source.ts';
import { tumblingWindows } from './windows.ts';

const url = 'redis://127.0.0.1:6379';
let redis: Redis;
const keys: string[] = [];
before(() => {
  redis = new Redis(url);
});
after(async () => {
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

async function fill(n: number, at: (i: number) => number = () => 0): Promise<string> {
  const key = `keel-streams-${process.pid}-${keys.length}-${Date.now()}`;
  keys.push(key);
  const p = redis.pipeline();
  for (let i = 0; i < n; i++)
    p.xadd(key, '*', 'data', JSON.stringify({ id: i, ts: new Date(at(i)).toISOString(), v: i }));
  await p.exec();
  return key;
}

const pendingOf = async (key: string) => Number(((await redis.xpending(key, 'g')) as [number])[0]);

describe('stream micro-batches (Redis)', () => {
  it('closes batches by count and by time, and acknowledges only committed batches', async () => {
    const key = await fill(250);
    const src = redisStreamSource({ url, stream: key, group: 'g', consumer: 'a' });
    const sizes: number[] = [];
    for await (const b of src.consume({ maxRows: 100, maxWaitMs: 300, idleStopMs: 400 })) {
      sizes.push(b.frame.nRows);
      assert.equal(b.read, b.frame.nRows);
      assert.equal(b.rowIds.length, b.frame.nRows);
      if (sizes.length < 3) await b.commit();
    }
    await src.close();
    assert.deepEqual(sizes, [100, 100, 50]);
    assert.equal(await pendingOf(key), 50, 'the uncommitted batch is still pending');

    // a restarted consumer of the same name gets exactly the uncommitted batch back
    const again = redisStreamSource({ url, stream: key, group: 'g', consumer: 'a' });
    let redelivered = 0;
    for await (const b of again.consume({ maxRows: 500, maxWaitMs: 100, idleStopMs: 300 })) {
      redelivered += b.frame.nRows;
      await b.commit();
    }
    await again.close();
    assert.equal(redelivered, 50);
    assert.equal(await pendingOf(key), 0);
  });

  it('quarantines a broken message with its id, and counts reconcile', async () => {
    const key = await fill(10);
    await redis.xadd(key, '*', 'data', '{"id": 99, "v": ');
    const src = redisStreamSource({ url, stream: key, group: 'g', consumer: 'a' });
    let read = 0;
    let accepted = 0;
    const bad = [];
    for await (const b of src.consume({ maxRows: 100, maxWaitMs: 100, idleStopMs: 300 })) {
      read += b.read;
      accepted += b.frame.nRows;
      bad.push(...b.quarantine);
      await b.commit();
    }
    await src.close();
    assert.equal(read, 11);
    assert.equal(accepted, 10);
    assert.equal(bad.length, 1);
    assert.equal(bad[0].code, DataErrors.BAD_ROW);
    assert.match(bad[0].offset ?? '', /^\d+-\d+$/);
  });

  it('groups rows into tumbling event-time windows and acknowledges a batch when its windows are committed', async () => {
    const t0 = Date.UTC(2024, 5, 1);
    // 300 events, one per second: windows of a minute hold 60 each
    const key = await fill(300, (i) => t0 + i * 1000);
    const src = redisStreamSource({ url, stream: key, group: 'g', consumer: 'w' });
    const windows: { start: number; rows: number; late: boolean }[] = [];
    for await (const w of tumblingWindows(src.consume({ maxRows: 70, maxWaitMs: 100, idleStopMs: 300 }), {
      sizeMs: 60_000,
      timeColumn: 'ts',
    })) {
      windows.push({ start: w.start, rows: w.frame.nRows, late: w.late });
      await w.commit();
    }
    await src.close();
    assert.deepEqual(
      windows.map((w) => [w.start - t0, w.rows, w.late]),
      [0, 1, 2, 3, 4].map((k) => [k * 60_000, 60, false]),
    );
    assert.equal(await pendingOf(key), 0);
  });
});

describe('a snapshot of stream batches', () => {
  it('lists the stream and the position it was read to', async () => {
    const key = await fill(40);
    const src = redisStreamSource({
      url: 'redis://:s3cret-pw@127.0.0.1:6379',
      stream: key,
      group: 'g',
      consumer: 's',
    });
    const frames = [];
    let lastId = '';
    for await (const b of src.consume({ maxRows: 15, maxWaitMs: 100, idleStopMs: 300 })) {
      frames.push(b.frame);
      lastId = b.messageIds[b.messageIds.length - 1];
      await b.commit();
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-stream-snap-'));
    try {
      const snap = await writeSnapshot({ frame: concatFrames(frames), source: src.describe() }, { dir });
      await src.close();
      const m = snap.manifest.sources[0];
      assert.equal(m.kind, 'redis');
      assert.equal(m.details?.lastAcked, lastId);
      assert.equal(snap.manifest.rows, 40);
      assert.ok(!JSON.stringify(snap.manifest).includes('s3cret'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('MQTT source (Mosquitto)', () => {
  it('receives QoS 1 messages as micro-batches with ids from the payload', async () => {
    const topic = `keel/test/${process.pid}/${Date.now()}`;
    const src = mqttSource({ url: 'mqtt://127.0.0.1:1883', topic, clientId: `keel-test-${process.pid}` });
    let opened: () => void = () => {};
    const open = new Promise<void>((r) => (opened = r));
    const batches = src.consume({ maxRows: 40, maxWaitMs: 200, idleStopMs: 2500, onOpen: () => opened() });
    const first = batches.next(); // subscribes before anything is published
    await Promise.race([open, first]);
    const pub = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    for (let i = 0; i < 100; i++)
      await pub.publishAsync(topic, JSON.stringify({ id: `m${i}`, v: i }), { qos: 1 });
    await pub.endAsync();
    const ids: string[] = [];
    let r = await first;
    while (!r.done) {
      ids.push(...r.value.rowIds);
      assert.ok(r.value.frame.nRows <= 40);
      await r.value.commit();
      r = await batches.next();
    }
    await src.close();
    assert.equal(ids.length, 100);
    assert.deepEqual(new Set(ids), new Set(Array.from({ length: 100 }, (_, i) => `m${i}`)));
  });
});
