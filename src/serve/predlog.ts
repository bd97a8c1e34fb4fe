// The prediction log: a sampled share of requests (inputs with sensitive fields redacted, outputs, version, arm,
// latency, request id) kept in a bounded buffer and flushed in batches to a sink; what does not fit is counted.

import { createRng, type Rng } from '../core/index.ts';

export interface PredictionRecord {
  id: string;
  at: string;
  endpoint: string;
  model: string;
  version: number;
  arm: string;
  latencyMs: number;
  input: unknown;
  output: unknown;
}

export interface PredictionLogOptions {
  sink: (rows: PredictionRecord[]) => Promise<void>;
  capacity?: number;
  flushMs?: number;
  seed?: number;
  onError?: (err: unknown) => void;
}

export const REDACTED = '[redacted]';

export function redact(
  records: readonly Record<string, unknown>[],
  sensitive: ReadonlySet<string>,
): Record<string, unknown>[] {
  if (sensitive.size === 0) return records as Record<string, unknown>[];
  return records.map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) out[k] = sensitive.has(k) && v !== null ? REDACTED : v;
    return out;
  });
}

export class PredictionLog {
  private buffer: PredictionRecord[] = [];
  private readonly rng: Rng;
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  readonly capacity: number;
  sampled = 0;
  dropped = 0;
  written = 0;

  constructor(private readonly o: PredictionLogOptions) {
    this.rng = createRng(o.seed ?? 1);
    this.capacity = o.capacity ?? 10_000;
    this.timer = setInterval(() => void this.flush(), o.flushMs ?? 1000);
    this.timer.unref();
  }

  /** Keep this request with probability `rate`; the record is built only when kept. */
  maybeRecord(rate: number, build: () => PredictionRecord): void {
    if (rate <= 0 || this.rng.next() >= rate) return;
    this.sampled++;
    if (this.buffer.length >= this.capacity) {
      this.dropped++;
      return;
    }
    this.buffer.push(build());
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.buffer.length === 0) return;
      const rows = this.buffer;
      this.buffer = [];
      try {
        await this.o.sink(rows);
        this.written += rows.length;
      } catch (err) {
        this.dropped += rows.length;
        this.o.onError?.(err);
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
