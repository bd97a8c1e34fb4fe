// The contract every StreamSource passes: micro-batches closed by count, every message once with its id, counts that
// reconcile, a broken message quarantined under its id, descriptions without secrets, and — where the transport
// redelivers — an uncommitted batch handed again to a restarted consumer.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataErrors } from '../errors.ts';
import type { MicroBatch, StreamSource } from './stream.ts';

export interface StreamContractFactory {
  /** a fresh stream (topic, key…) per test; `make` builds a consumer of it with the given consumer name */
  fresh(): Promise<{
    make(consumer: string): StreamSource;
    /** publishes records {id: i, v: i / 2} for i in [from, from + n), and the raw text of `broken` messages */
    publish(from: number, n: number, broken?: string[]): Promise<void>;
    cleanup(): Promise<void>;
  }>;
  /** whether an unacknowledged batch comes back to a restarted consumer (MQTT: acknowledged on arrival) */
  redelivers: boolean;
  /** a secret the consumer was given (a password in its URL) that describe() must not show */
  secret?: string;
}

async function drain(
  src: StreamSource,
  publish: () => Promise<void>,
  o: { maxRows: number; commit: boolean; idleStopMs?: number; stopAfterRows?: number },
): Promise<MicroBatch[]> {
  const ac = new AbortController();
  let opened: () => void = () => {};
  const open = new Promise<void>((r) => (opened = r));
  const it = src.consume({
    maxRows: o.maxRows,
    maxWaitMs: 150,
    idleStopMs: o.idleStopMs ?? 1500,
    signal: ac.signal,
    onOpen: () => opened(),
  });
  const first = it.next(); // opens the consumer (and subscribes) before anything is published
  await Promise.race([open, first]);
  await publish();
  const out: MicroBatch[] = [];
  let rows = 0;
  for (let r = await first; !r.done; r = await it.next()) {
    out.push(r.value);
    if (o.commit) await r.value.commit();
    rows += r.value.frame.nRows;
    // uncommitted messages come back after the ack wait on some transports: stop by count, not by silence
    if (o.stopAfterRows !== undefined && rows >= o.stopAfterRows) ac.abort();
  }
  return out;
}

export function streamContract(name: string, factory: StreamContractFactory): void {
  describe(`StreamSource contract: ${name}`, () => {
    it('closes batches by count, delivers every message once with its id, and reconciles', async () => {
      const s = await factory.fresh();
      try {
        const src = s.make('c1');
        const batches = await drain(src, () => s.publish(0, 250), { maxRows: 100, commit: true });
        await src.close();
        const ids = batches.flatMap((b) => b.rowIds);
        assert.equal(ids.length, 250);
        assert.equal(new Set(ids).size, 250);
        for (const b of batches) {
          assert.ok(b.frame.nRows <= 100);
          assert.equal(b.read, b.frame.nRows + b.quarantine.length);
          assert.equal(b.rowIds.length, b.frame.nRows);
        }
        const values = batches.flatMap((b) => b.frame.toRecords().map((r) => r.id as number));
        assert.deepEqual(
          [...values].sort((a, b) => a - b),
          Array.from({ length: 250 }, (_, i) => i),
        );
      } finally {
        await s.cleanup();
      }
    });

    it('quarantines a broken message under its own id and keeps the others', async () => {
      const s = await factory.fresh();
      try {
        const src = s.make('c1');
        const batches = await drain(src, () => s.publish(0, 20, ['{"id": 99, "v": ']), {
          maxRows: 100,
          commit: true,
        });
        await src.close();
        const bad = batches.flatMap((b) => b.quarantine);
        assert.equal(bad.length, 1);
        assert.equal(bad[0].code, DataErrors.BAD_ROW);
        assert.ok(bad[0].offset && batches.some((b) => b.messageIds.includes(bad[0].offset as string)));
        assert.equal(
          batches.reduce((n, b) => n + b.frame.nRows, 0),
          20,
        );
      } finally {
        await s.cleanup();
      }
    });

    it('describes itself without secrets', async () => {
      const s = await factory.fresh();
      try {
        const src = s.make('c1');
        await drain(src, () => s.publish(0, 3), { maxRows: 10, commit: true, idleStopMs: 800 });
        const d = src.describe();
        await src.close();
        assert.equal(d.kind, src.kind);
        if (factory.secret) assert.ok(!JSON.stringify(d).includes(factory.secret), JSON.stringify(d));
      } finally {
        await s.cleanup();
      }
    });

    if (factory.redelivers) {
      it('hands an uncommitted batch to a restarted consumer of the same name', async () => {
        const s = await factory.fresh();
        try {
          const a = s.make('c1');
          const got = await drain(a, () => s.publish(0, 30), {
            maxRows: 100,
            commit: false,
            stopAfterRows: 30,
          });
          await a.close();
          assert.equal(
            got.reduce((n, b) => n + b.frame.nRows, 0),
            30,
          );
          const b = s.make('c1');
          const again = await drain(b, async () => {}, {
            maxRows: 100,
            commit: true,
            idleStopMs: 3000,
            stopAfterRows: 30,
          });
          await b.close();
          const ids = new Set(again.flatMap((x) => x.rowIds));
          assert.deepEqual(ids, new Set(got.flatMap((x) => x.rowIds)));
        } finally {
          await s.cleanup();
        }
      });
    }
  });
}
