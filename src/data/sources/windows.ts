// Tumbling windows over micro-batches: rows grouped into fixed, non-overlapping time windows (event time from a column,
// or arrival time); a window is emitted once the watermark passes its end, and a batch is acknowledged only when every
// window holding its rows has been committed. Late rows are never dropped: they come out in a window marked late.

import { KeelError } from '../../core/index.ts';
import { concatFrames } from '../concat.ts';
import { DataErrors } from '../errors.ts';
import type { Frame } from '../frame.ts';
import type { MicroBatch } from './stream.ts';

export interface Window {
  start: number;
  end: number;
  frame: Frame;
  /** rows arrived after this window had already been emitted */
  late: boolean;
  commit(): Promise<void>;
}

export interface WindowOptions {
  sizeMs: number;
  /** a datetime (or epoch-ms numeric) column; arrival time when absent */
  timeColumn?: string;
  /** how far behind the latest event time a window stays open (default 0) */
  latenessMs?: number;
}

interface Open {
  start: number;
  parts: Frame[];
  batches: Set<Pending>;
  late: boolean;
}

interface Pending {
  batch: MicroBatch;
  windowsLeft: number;
}

export async function* tumblingWindows(
  batches: AsyncIterable<MicroBatch>,
  o: WindowOptions,
): AsyncGenerator<Window> {
  const open = new Map<number, Open>();
  const emitted = new Set<number>();
  let watermark = Number.NEGATIVE_INFINITY;
  const release = (w: Open): Window => ({
    start: w.start,
    end: w.start + o.sizeMs,
    frame: concatFrames(w.parts),
    late: w.late,
    commit: async () => {
      for (const p of w.batches) {
        p.windowsLeft--;
        if (p.windowsLeft === 0) await p.batch.commit();
      }
    },
  });
  for await (const b of batches) {
    const n = b.frame.nRows;
    const times = new Float64Array(n);
    if (o.timeColumn) {
      const c = b.frame.column(o.timeColumn);
      if (c.type === 'categorical') {
        throw new KeelError(DataErrors.SOURCE_CONFIG, `window time column "${o.timeColumn}" is not a time`);
      }
      times.set(c.values);
    } else times.fill(Date.now());
    const groups = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      // a row without an event time joins the newest window (or, before any, the one of its arrival)
      const t = Number.isNaN(times[i]) ? (Number.isFinite(watermark) ? watermark : Date.now()) : times[i];
      const start = Math.floor(t / o.sizeMs) * o.sizeMs;
      let g = groups.get(start);
      if (!g) groups.set(start, (g = []));
      g.push(i);
    }
    const pending: Pending = { batch: b, windowsLeft: groups.size };
    if (groups.size === 0) await b.commit(); // a batch of only quarantined messages is done once read
    for (const [start, rows] of groups) {
      let w = open.get(start);
      if (!w) open.set(start, (w = { start, parts: [], batches: new Set(), late: emitted.has(start) }));
      w.parts.push(b.frame.take(rows));
      w.batches.add(pending);
    }
    for (let i = 0; i < n; i++)
      if (times[i] > watermark + (o.latenessMs ?? 0)) watermark = times[i] - (o.latenessMs ?? 0);
    for (const start of [...open.keys()].sort((a, c) => a - c)) {
      if (start + o.sizeMs > watermark) break;
      const w = open.get(start) as Open;
      open.delete(start);
      emitted.add(start);
      yield release(w);
    }
  }
  for (const start of [...open.keys()].sort((a, c) => a - c)) yield release(open.get(start) as Open);
}
