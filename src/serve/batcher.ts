// Adaptive micro-batching: requests arriving together are scored as one frame (up to maxRows rows or maxWaitMs of
// waiting), and each caller gets exactly its own rows back — the same numbers as scoring it alone.

import type { Frame } from '../data/index.ts';
import type { PipelineOutput } from '../transform/inference.ts';

/** The rows [start, end) of a batched output. */
export function sliceOutput(out: PipelineOutput, start: number, end: number): PipelineOutput {
  if (out.values) return { task: out.task, values: out.values.slice(start, end) };
  const K = (out.probabilities as Float64Array).length / Math.max(1, (out.labels as unknown[]).length);
  return {
    task: out.task,
    probabilities: (out.probabilities as Float64Array).slice(start * K, end * K),
    labels: (out.labels as (string | number | boolean)[]).slice(start, end),
  };
}

interface Pending<T> {
  item: T;
  rows: number;
  resolve: (o: PipelineOutput) => void;
  reject: (e: unknown) => void;
}

/** Gathers items (frames or record lists) and scores them together; each caller gets its own rows back. */
export class MicroBatcher<T = Frame> {
  private queue: Pending<T>[] = [];
  private rows = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly scoreAll: (items: T[]) => PipelineOutput;
  private readonly rowsOf: (item: T) => number;
  private readonly maxRows: number;
  private readonly maxWaitMs: number;
  batches = 0;

  constructor(
    scoreAll: (items: T[]) => PipelineOutput,
    rowsOf: (item: T) => number,
    o: { maxRows: number; maxWaitMs: number },
  ) {
    this.scoreAll = scoreAll;
    this.rowsOf = rowsOf;
    this.maxRows = o.maxRows;
    this.maxWaitMs = o.maxWaitMs;
  }

  submit(item: T): Promise<PipelineOutput> {
    return new Promise((resolve, reject) => {
      const rows = this.rowsOf(item);
      this.queue.push({ item, rows, resolve, reject });
      this.rows += rows;
      if (this.rows >= this.maxRows) this.flush();
      else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    this.rows = 0;
    if (batch.length === 0) return;
    this.batches++;
    try {
      const out = this.scoreAll(batch.map((p) => p.item));
      let off = 0;
      for (const p of batch) {
        p.resolve(sliceOutput(out, off, off + p.rows));
        off += p.rows;
      }
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
