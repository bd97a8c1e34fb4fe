// The helper thread of the CSV reader: where to split a big file, the shared columns each part writes into, and the
// worker that parses the second part (parse-worker-main.ts).

import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../../core/index.ts';
import type { QuarantinedRow } from '../errors.ts';
import type { ColumnType } from '../frame.ts';
import type { PartConfig } from './part.ts';

/** the main thread's share of the file (the helper starts later, but the halves measured even) */
const MAIN_SHARE = 0.5;

export interface HelperResult {
  overflow?: boolean;
  error?: string;
  rows: number;
  read: number;
  lines: Int32Array;
  bad: number[];
  quarantine: QuarantinedRow[];
  stats: { present: number; failed: number; levels?: string[] }[];
  pendingEmpty: number[];
  sawRecord: boolean;
}

export interface Split {
  at: number;
  capA: number;
  capB: number;
  buffers: SharedArrayBuffer[];
  helper: Promise<HelperResult>;
  stop: () => void;
}

export function regionsOf(
  buffers: SharedArrayBuffer[],
  types: ColumnType[],
  offset: number,
  capacity: number,
): (Float64Array | Int32Array)[] {
  return buffers.map((b, i) =>
    types[i] === 'categorical'
      ? new Int32Array(b, offset * 4, capacity)
      : new Float64Array(b, offset * 8, capacity),
  );
}

/** Picks a split at a line end past MAIN_SHARE of the file, sizes the shared columns, and starts the helper. */
export function startHelper(
  path: string,
  fd: number,
  totalBytes: number,
  perRow: number,
  names: string[],
  types: ColumnType[],
  base: PartConfig,
): Split | undefined {
  const probeAt = Math.floor(totalBytes * MAIN_SHARE);
  const window = Buffer.alloc(1 << 20);
  const got = fs.readSync(fd, window, 0, window.length, probeAt);
  const nl = window.subarray(0, got).indexOf(0x0a);
  if (nl < 0) return undefined;
  const at = probeAt + nl + 1;
  // room for the estimate plus a margin; a part that needs more makes the reader fall back to one thread
  const capA = Math.ceil((at / perRow) * 1.15) + 4096;
  const capB = Math.ceil(((totalBytes - at) / perRow) * 1.15) + 4096;
  const buffers = types.map((t) => new SharedArrayBuffer((capA + capB) * (t === 'categorical' ? 4 : 8)));
  const worker = new Worker(workerEntry(import.meta.url, 'parse-worker'), {
    workerData: {
      path,
      start: at,
      end: totalBytes,
      config: { ...base, names, types, capacity: 0, regions: undefined },
      buffers,
      offset: capA,
      capacity: capB,
    },
  });
  // a thread is ended only once it has said it started: ending one whose modules are still evaluating can abort the
  // process (see parse-worker-main.ts)
  let started = false;
  let stopAsked = false;
  const helper = new Promise<HelperResult>((resolve) => {
    worker.on('message', (m: HelperResult | { started: true }) => {
      if ('started' in m) {
        started = true;
        if (stopAsked) void worker.terminate();
      } else resolve(m);
    });
    worker.once('error', (err) => resolve({ error: err.message } as HelperResult));
    worker.once('exit', (code) => resolve({ error: `the helper thread stopped (${code})` } as HelperResult));
  });
  const stop = () => {
    stopAsked = true;
    if (started) void worker.terminate();
  };
  return { at, capA, capB, buffers, helper, stop };
}
