// Shadow scoring on a worker thread: the primary's event loop only posts a copy. Copies are bounded (beyond maxPending
// they are dropped and counted); an answer that does not come within timeoutMs counts as failed, and a worker that
// keeps timing out is replaced — a throwing or hanging shadow cannot slow or break the primary.

import { Worker } from 'node:worker_threads';
import type { RecordValue } from '../transform/inference.ts';

export interface ShadowAnswer {
  labels?: (string | number | boolean)[];
  values?: Float64Array;
}

export class ShadowWorker {
  private worker: Worker;
  private readonly bytes: Uint8Array;
  private readonly fault: 'throw' | 'hang' | undefined;
  private readonly maxPending: number;
  private readonly timeoutMs: number;
  private nextId = 1;
  private timeoutsInARow = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (a: ShadowAnswer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  restarts = 0;

  constructor(
    bytes: Uint8Array,
    o: { maxPending?: number; timeoutMs?: number; fault?: 'throw' | 'hang' } = {},
  ) {
    this.bytes = bytes;
    this.fault = o.fault;
    this.maxPending = o.maxPending ?? 64;
    this.timeoutMs = o.timeoutMs ?? 2000;
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const w = new Worker(new URL('./shadow-worker.mjs', import.meta.url), {
      workerData: { bytes: this.bytes, fault: this.fault },
    });
    w.unref();
    w.on(
      'message',
      (m: { id: number; error?: string; labels?: (string | number | boolean)[]; values?: Float64Array }) => {
        const entry = this.waiting.get(m.id);
        if (!entry) return;
        this.waiting.delete(m.id);
        clearTimeout(entry.timer);
        this.timeoutsInARow = 0;
        if (m.error) entry.reject(new Error(m.error));
        else entry.resolve({ labels: m.labels, values: m.values });
      },
    );
    w.on('error', (err) => {
      for (const [id, e] of this.waiting) {
        clearTimeout(e.timer);
        e.reject(err);
        this.waiting.delete(id);
      }
    });
    return w;
  }

  get pending(): number {
    return this.waiting.size;
  }

  /** null when the copy was dropped because too many are pending. */
  score(records: Record<string, RecordValue>[]): Promise<ShadowAnswer> | null {
    if (this.waiting.size >= this.maxPending) return null;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`shadow did not answer within ${this.timeoutMs} ms`));
        if (++this.timeoutsInARow >= 3) this.replace();
      }, this.timeoutMs);
      timer.unref();
      this.waiting.set(id, { resolve, reject, timer });
      this.worker.postMessage({ id, records });
    });
  }

  /** A stuck worker is terminated and a fresh one takes its place. */
  private replace(): void {
    this.timeoutsInARow = 0;
    this.restarts++;
    void this.worker.terminate();
    for (const [id, e] of this.waiting) {
      clearTimeout(e.timer);
      e.reject(new Error('shadow worker replaced'));
      this.waiting.delete(id);
    }
    this.worker = this.spawn();
  }

  async close(): Promise<void> {
    for (const e of this.waiting.values()) clearTimeout(e.timer);
    this.waiting.clear();
    await this.worker.terminate();
  }
}
