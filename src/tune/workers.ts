// Parallel trials on worker threads: each worker loads the objective from a module (objectives are plain functions,
// but a closure cannot cross threads), the study stays on the main thread and answers the workers' suggestions.
// optimize() drives it like any async objective, so limits, pruning, storage and resume work the same.

import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { KeelError, workerEntry } from '../core/index.ts';
import type { Distribution } from './distributions.ts';
import { TuneErrors } from './errors.ts';
import { type OptimizeOptions, type OptimizeSummary, optimize } from './optimize.ts';
import type { Study } from './study.ts';
import { prunedSignal, type Trial } from './trial.ts';

export interface WorkerObjective {
  /** a module path or file URL; it exports the objective (and optionally `setup(data)`, run once per worker) */
  module: string;
  /** the objective's export name (default "objective"); called as objective(trial, context) */
  exportName?: string;
  /** passed to setup(), or to the objective as its context when there is no setup */
  data?: unknown;
  /** worker threads (default 2) */
  workers?: number;
}

const ANSWER_BYTES = 1 << 16;

interface Slot {
  worker: Worker;
  ctrl: Int32Array;
  bytes: Uint8Array;
  busy: boolean;
  /** settles the trial the worker is running */
  settle: ((m: { type: string; value?: unknown; error?: string }) => void) | null;
}

export async function optimizeInWorkers(
  study: Study,
  spec: WorkerObjective,
  options: Omit<OptimizeOptions, 'concurrency'> = {},
): Promise<OptimizeSummary> {
  const n = spec.workers ?? 2;
  if (!(Number.isInteger(n) && n >= 1))
    throw new KeelError(TuneErrors.BAD_OPTION, `workers must be a positive integer, got ${n}`);
  const modulePath = spec.module.startsWith('file:') ? fileURLToPath(spec.module) : path.resolve(spec.module);
  const entry = workerEntry(import.meta.url, 'tune-worker');
  const live = new Map<number, Trial>();
  let fatal: Error | null = null;

  const answer = (slot: Slot, body: unknown) => {
    const data = new TextEncoder().encode(JSON.stringify(body));
    if (data.length > ANSWER_BYTES)
      throw new KeelError(TuneErrors.BAD_VALUE, `an answer to a worker exceeds ${ANSWER_BYTES} bytes`);
    slot.bytes.set(data);
    Atomics.store(slot.ctrl, 1, data.length);
    Atomics.store(slot.ctrl, 0, 1);
    Atomics.notify(slot.ctrl, 0);
  };

  const handle = (req: {
    op: string;
    n: number;
    name?: string;
    dist?: Distribution;
    step?: number;
    values?: number[];
    key?: string;
    value?: unknown;
  }) => {
    const trial = live.get(req.n);
    if (!trial)
      throw new KeelError(
        TuneErrors.STUDY_MISMATCH,
        `a worker asked about trial ${req.n}, which is not running`,
      );
    switch (req.op) {
      case 'suggest':
        return study.suggest(trial.frozen, req.name as string, req.dist as Distribution);
      case 'report':
        study.report(trial.frozen, req.step as number, req.values as number[]);
        return null;
      case 'shouldPrune':
        return study.shouldPrune(trial.frozen);
      case 'attr':
        study.setAttr(trial.frozen, req.key as string, req.value);
        return null;
      default:
        throw new KeelError(TuneErrors.BAD_OPTION, `unknown worker request ${req.op}`);
    }
  };

  const slots: Slot[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const ctrlBuf = new SharedArrayBuffer(8);
    const byteBuf = new SharedArrayBuffer(ANSWER_BYTES);
    const worker = new Worker(entry, {
      workerData: {
        module: pathToFileURL(modulePath).href,
        exportName: spec.exportName ?? 'objective',
        data: spec.data,
        ctrl: ctrlBuf,
        bytes: byteBuf,
      },
    });
    const slot: Slot = {
      worker,
      ctrl: new Int32Array(ctrlBuf),
      bytes: new Uint8Array(byteBuf),
      busy: false,
      settle: null,
    };
    slots.push(slot);
    ready.push(
      new Promise<void>((resolve, reject) => {
        worker.on('message', (m) => {
          if (m.type === 'ready') resolve();
          else if (m.type === 'fatal') reject(new KeelError(TuneErrors.WORKER_FAILED, m.error));
          else if (m.type === 'call') {
            try {
              answer(slot, { ok: true, value: handle(m.req) });
            } catch (err) {
              answer(slot, {
                ok: false,
                error: (err as Error).message,
                code: (err as { code?: string }).code,
              });
            }
          } else slot.settle?.(m);
        });
        worker.on('error', (err) => {
          const e = new KeelError(TuneErrors.WORKER_FAILED, `trial worker failed: ${err.message}`);
          fatal ??= e;
          reject(e);
          slot.settle?.({ type: 'error', error: e.message });
        });
      }),
    );
  }
  try {
    await Promise.all(ready);
    const idle = (): Slot => slots.find((s) => !s.busy) as Slot;
    return await optimize(
      study,
      (trial) =>
        new Promise((resolve, reject) => {
          if (fatal) return reject(fatal);
          const slot = idle();
          slot.busy = true;
          live.set(trial.number, trial);
          slot.settle = (m) => {
            slot.busy = false;
            slot.settle = null;
            live.delete(trial.number);
            if (m.type === 'done') resolve(m.value as number);
            else if (m.type === 'pruned') reject(prunedSignal(trial.frozen));
            else reject(new Error(m.error));
          };
          const { intermediate: _omit, ...plain } = trial.frozen;
          slot.worker.postMessage({ type: 'run', frozen: plain });
        }),
      { ...options, concurrency: n },
    );
  } finally {
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
