// Shadow scoring on a worker thread: the primary's event loop only appends a copy to a buffer, and the buffer goes to
// the worker as one message every few milliseconds. Copies are bounded (beyond maxPending they are dropped and
// counted); answers that do not come within timeoutMs count as failed; a worker that keeps timing out is replaced, and
// if the new one times out too, copies are dropped for a growing pause — a throwing or hanging shadow costs the primary
// almost nothing and can never break it.

import { Worker } from 'node:worker_threads';
import type { RecordValue } from '../transform/inference.ts';

export interface ShadowAnswer {
  labels?: (string | number | boolean)[];
  values?: Float64Array;
}

interface Waiting {
  rows: number;
  resolve: (a: ShadowAnswer) => void;
  reject: (e: Error) => void;
  at: number;
}

const FLUSH_MS = 2;

export class ShadowWorker {
  private worker: Worker;
  private readonly bytes: Uint8Array;
  private readonly fault: 'throw' | 'hang' | undefined;
  private readonly maxPending: number;
  private readonly timeoutMs: number;
  private nextId = 1;
  private buffer: { id: number; records: Record<string, RecordValue>[] }[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private readonly sweeper: NodeJS.Timeout;
  private timeoutsInARow = 0;
  private pausedUntil = 0;
  private pauseMs = 1000;
  restarts = 0;

  constructor(
    bytes: Uint8Array,
    o: { maxPending?: number; timeoutMs?: number; fault?: 'throw' | 'hang' } = {},
  ) {
    this.bytes = bytes;
    this.fault = o.fault;
    this.maxPending = o.maxPending ?? 256;
    this.timeoutMs = o.timeoutMs ?? 2000;
    this.worker = this.spawn();
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(250, this.timeoutMs / 2)));
    this.sweeper.unref();
  }

  private spawn(): Worker {
    const w = new Worker(new URL('./shadow-worker.mjs', import.meta.url), {
      workerData: { bytes: this.bytes, fault: this.fault },
    });
    w.unref();
    w.on(
      'message',
      (m: {
        answers: {
          id: number;
          error?: string;
          labels?: (string | number | boolean)[];
          values?: Float64Array;
        }[];
      }) => {
        for (const a of m.answers) {
          const entry = this.waiting.get(a.id);
          if (!entry) continue;
          this.waiting.delete(a.id);
          this.timeoutsInARow = 0;
          this.pauseMs = 1000;
          if (a.error) entry.reject(new Error(a.error));
          else entry.resolve({ labels: a.labels, values: a.values });
        }
      },
    );
    w.on('error', (err) => this.failAll(err));
    return w;
  }

  get pending(): number {
    return this.waiting.size;
  }

  /** null when the copy was dropped (too many pending, or the shadow is paused after repeated hangs). */
  score(records: Record<string, RecordValue>[]): Promise<ShadowAnswer> | null {
    if (this.waiting.size >= this.maxPending || Date.now() < this.pausedUntil) return null;
    const id = this.nextId++;
    const p = new Promise<ShadowAnswer>((resolve, reject) => {
      this.waiting.set(id, { rows: records.length, resolve, reject, at: Date.now() });
    });
    this.buffer.push({ id, records });
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
    return p;
  }

  private flush(): void {
    this.flushTimer = null;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.worker.postMessage({ batch });
  }

  /** Copies older than timeoutMs fail; three expired copies with no answer in between replace the worker. */
  private sweep(): void {
    const now = Date.now();
    let expired = 0;
    for (const [id, w] of this.waiting) {
      if (now - w.at < this.timeoutMs) continue;
      this.waiting.delete(id);
      w.reject(new Error(`shadow did not answer within ${this.timeoutMs} ms`));
      expired++;
    }
    if (expired === 0) return;
    this.timeoutsInARow += expired;
    if (this.timeoutsInARow >= 3) this.replace();
  }

  private replace(): void {
    this.timeoutsInARow = 0;
    this.restarts++;
    void this.worker.terminate();
    this.failAll(new Error('shadow worker replaced'));
    // a replacement that hangs again is given an ever longer pause before new copies are sent
    if (this.restarts > 1) {
      this.pausedUntil = Date.now() + this.pauseMs;
      this.pauseMs = Math.min(60_000, this.pauseMs * 2);
    }
    this.worker = this.spawn();
  }

  private failAll(err: Error): void {
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.reject(err);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.failAll(new Error('closed'));
    await this.worker.terminate();
  }
}
