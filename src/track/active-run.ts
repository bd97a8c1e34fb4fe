// ActiveRun: the convenient way to track work. Metrics are buffered and written in batches, a heartbeat keeps the run
// visibly alive, lineage and system metrics (wall, CPU-seconds, peak RSS, rows) are recorded, and the run always ends.

import type { Readable } from 'node:stream';
import { isDiskFull } from '../core/index.ts';
import { captureLineage, type LineageInput } from './lineage.ts';
import type { MetricPoint, RunArtifact, RunStore, StartRunOptions } from './types.ts';

export interface ActiveRunOptions extends StartRunOptions {
  lineage?: LineageInput;
  /** flush the metric buffer when it holds this many points */
  bufferSize?: number;
  heartbeatMs?: number;
}

export class ActiveRun {
  readonly id: string;
  readonly store: RunStore;
  private buffer: MetricPoint[] = [];
  private readonly bufferSize: number;
  private readonly timer: NodeJS.Timeout;
  private readonly t0 = process.hrtime.bigint();
  private readonly cpu0 = process.cpuUsage();
  private rows = 0;
  private ended = false;

  private constructor(store: RunStore, id: string, bufferSize: number, heartbeatMs: number) {
    this.store = store;
    this.id = id;
    this.bufferSize = bufferSize;
    this.timer = setInterval(() => {
      void this.flush()
        .then(() => store.heartbeat(id))
        .catch(() => {});
    }, heartbeatMs);
    this.timer.unref();
  }

  static async start(store: RunStore, o: ActiveRunOptions): Promise<ActiveRun> {
    const tags = {
      ...(o.lineage ? captureLineage({ ...o.lineage, parentRunId: o.parentId }) : {}),
      ...(o.tags ?? {}),
    };
    const id = await store.startRun({ ...o, tags });
    return new ActiveRun(store, id, o.bufferSize ?? 500, o.heartbeatMs ?? 15_000);
  }

  /** Buffered: written with the next batch. */
  log(key: string, value: number, step = 0): void {
    this.buffer.push({ key, value, step, at: new Date().toISOString() });
    if (this.buffer.length >= this.bufferSize) void this.flush();
  }

  countRows(n: number): void {
    this.rows += n;
  }

  async logMetrics(metrics: Record<string, number>, step = 0): Promise<void> {
    for (const [k, v] of Object.entries(metrics)) this.log(k, v, step);
    await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    await this.store.logMetricBatch(this.id, batch);
  }

  logArtifact(
    name: string,
    content: Uint8Array | Readable | AsyncIterable<Uint8Array>,
  ): Promise<RunArtifact> {
    return this.store.logArtifact(this.id, name, content);
  }

  systemMetrics(): Record<string, number> {
    const cpu = process.cpuUsage(this.cpu0);
    return {
      'system.wall_seconds': Number(process.hrtime.bigint() - this.t0) / 1e9,
      'system.cpu_seconds': (cpu.user + cpu.system) / 1e6,
      'system.peak_rss_mb': process.resourceUsage().maxRSS / 1024,
      'system.rows': this.rows,
    };
  }

  async finish(): Promise<void> {
    await this.end('finished');
  }

  /** End the run as failed with the error's code and message; never throws over the error it records. */
  async fail(err: unknown): Promise<void> {
    const code = (err as { code?: unknown })?.code;
    const message = err instanceof Error ? err.message : String(err);
    const reason =
      typeof code === 'string' && /^[A-Z]+_[A-Z0-9_]+$/.test(code) ? `[${code}] ${message}` : message;
    try {
      await this.end('failed', reason);
    } catch (first) {
      // a full disk: the room kept for this lets the failure itself be recorded
      if (isDiskFull(first) && this.store.sql.releaseReserve?.()) {
        await this.store.endRun(this.id, 'failed', reason).catch(() => {});
      }
      // otherwise the store refuses writes: the caller's error is the one to report
    }
  }

  private async end(status: 'finished' | 'failed' | 'killed', error?: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.timer);
    for (const [k, v] of Object.entries(this.systemMetrics())) this.log(k, v);
    // a failed run's buffered metrics may be what could not be written: its status matters more
    if (status === 'failed') await this.flush().catch(() => {});
    else await this.flush();
    await this.store.endRun(this.id, status, error);
  }

  /** Run fn inside this run: finished when it resolves, failed (and rethrown) when it throws. */
  async within<T>(fn: (run: ActiveRun) => Promise<T> | T): Promise<T> {
    try {
      const out = await fn(this);
      await this.finish();
      return out;
    } catch (err) {
      await this.fail(err);
      throw err;
    }
  }
}
