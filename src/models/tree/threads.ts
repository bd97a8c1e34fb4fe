// Growing a forest's trees on worker threads. Each tree draws from its own generator seeded by (seed, tree index),
// so a tree is the same whichever thread grows it and the forest is byte-identical for any number of threads.
// Workers claim tree indices from a shared counter and hand trees back over a message port that the training
// thread drains synchronously (fit stays a plain function call).

import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { createRng, KeelError, workerEntry } from '../../core/index.ts';
import { EstimatorErrors, type FeatureArray } from '../../estimator/index.ts';
import type { Binned } from '../engine/binning.ts';
import { type GrowOptions, growTree, type Tree } from './grow.ts';

const NEXT = 0;
const DONE = 1;
const FAILED = 2;
const STALL_MS = 300_000;

/** Everything needed to grow tree t; plain data and shared arrays, so a worker can be handed the same. */
export interface ForestJob {
  binned: Binned;
  /** feature-major copy of binned.bins */
  cols: Uint8Array;
  data: FeatureArray;
  d: number;
  y: Float64Array;
  base: Float64Array;
  bootstrap: boolean;
  keepBags: boolean;
  seed: number;
  /** forests: a generator per tree from (seed, index); a lone decision tree draws from the seed itself */
  perTreeSeeds: boolean;
  options: Omit<GrowOptions, 'rng'>;
}

export interface GrownTree {
  t: number;
  tree: Tree;
  /** rows the tree saw (only when bags are kept, for the out-of-bag score) */
  bag: Uint8Array | null;
  /** grown on a worker thread (for tests and diagnostics) */
  byWorker?: boolean;
}

/** The seed of tree t: a different stream per tree, fixed by the forest's seed. */
export function treeSeed(seed: number, t: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(t + 1, 0x9e3779b1)) >>> 0;
}

export function growOne(job: ForestJob, t: number): GrownTree {
  const n = job.y.length;
  const rng = createRng(job.perTreeSeeds ? treeSeed(job.seed, t) : job.seed);
  const w = new Float64Array(n);
  const bag = new Uint8Array(n);
  if (job.bootstrap) {
    for (let k = 0; k < n; k++) {
      const i = rng.int(n);
      w[i] += job.base[i];
      bag[i] = 1;
    }
  } else {
    w.set(job.base);
    bag.fill(1);
  }
  let m = 0;
  for (let i = 0; i < n; i++) if (w[i] > 0) m++;
  const rows = new Int32Array(m);
  m = 0;
  for (let i = 0; i < n; i++) if (w[i] > 0) rows[m++] = i;
  const tree = growTree(job.binned, job.cols, job.data, job.d, job.y, w, rows, { ...job.options, rng });
  return { t, tree, bag: job.keepBags ? bag : null };
}

/** Feature-major bins: column f holds the n rows' bins of feature f. */
export function featureMajor(bins: Uint8Array, n: number, d: number): Uint8Array {
  const cols = new Uint8Array(n * d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) cols[f * n + i] = bins[i * d + f];
  return cols;
}

function shared<T extends Float64Array | Float32Array | Uint8Array>(a: T): T {
  const copy = new (a.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
}

/**
 * Helper threads, started early so they boot while the training thread bins the data; the job follows by message.
 * Each helper gets its own port for trees coming back.
 */
export class ForestPool {
  readonly ctrl = new Int32Array(new SharedArrayBuffer(12));
  private readonly helpers: { worker: Worker; port: MessagePort; ready: boolean; closing: boolean }[] = [];

  constructor(count: number) {
    for (let h = 0; h < count; h++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(workerEntry(import.meta.url, 'tree-worker'), {
        workerData: { ctrl: this.ctrl, port: port2 },
        transferList: [port2],
      });
      worker.unref();
      // a worker that fails to start claims no tree, and the training thread grows them all
      worker.on('error', () => {});
      const helper = { worker, port: port1, ready: false, closing: false };
      // ending a thread whose modules are still evaluating can abort the process in Node 20's V8 ("Check failed:
      // (location_) != nullptr", nodejs/node#42501): a pool closed before a helper is ready ends it when it is
      worker.on('message', (m) => {
        if (m !== 'ready') return;
        helper.ready = true;
        if (helper.closing) void worker.terminate();
      });
      this.helpers.push(helper);
    }
  }

  get size(): number {
    return this.helpers.length;
  }

  /** Grows trees 0..nTrees-1 with the helpers; returns them in index order. The pool is closed afterwards. */
  grow(job: ForestJob, nTrees: number): GrownTree[] {
    const { ctrl, helpers } = this;
    const sharedJob: ForestJob = {
      ...job,
      binned: { ...job.binned, bins: new Uint8Array(0) },
      cols: shared(job.cols),
      data: shared(job.data),
      y: shared(job.y),
      base: shared(job.base),
    };
    for (const { port } of helpers) port.postMessage({ job: sharedJob, nTrees });
    const out: GrownTree[] = new Array(nTrees);
    let failure = '';
    const drain = () => {
      for (const { port } of helpers) {
        for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
          const g = m.message as GrownTree | { error: string };
          if ('error' in g) failure = g.error;
          else out[g.t] = g;
        }
      }
    };
    try {
      for (;;) {
        const t = Atomics.add(ctrl, NEXT, 1);
        if (t >= nTrees) break;
        out[t] = growOne(job, t);
        Atomics.add(ctrl, DONE, 1);
      }
      let last = Date.now();
      let seen = -1;
      for (;;) {
        drain();
        const done = Atomics.load(ctrl, DONE);
        if (done >= nTrees) break;
        if (Atomics.load(ctrl, FAILED)) {
          drain();
          throw new KeelError(
            EstimatorErrors.WORKER_FAILED,
            `a forest worker thread failed while growing a tree: ${failure || 'no reason given'}`,
          );
        }
        if (done !== seen) {
          seen = done;
          last = Date.now();
        } else if (Date.now() - last > STALL_MS) {
          throw new KeelError(EstimatorErrors.WORKER_FAILED, 'forest worker threads stopped making progress');
        }
        Atomics.wait(ctrl, DONE, done, 50);
      }
      drain();
    } finally {
      this.close();
    }
    return out;
  }

  close(): void {
    Atomics.store(this.ctrl, NEXT, 1 << 30);
    for (const helper of this.helpers) {
      helper.port.close();
      helper.closing = true;
      if (helper.ready) void helper.worker.terminate();
    }
    this.helpers.length = 0;
  }
}

/** Grows trees 0..nTrees-1 on `threads` threads (a pool started now); returns them in index order. */
export function growForest(job: ForestJob, nTrees: number, threads: number): GrownTree[] {
  const helpers = Math.min(threads, nTrees) - 1;
  if (helpers <= 0) return Array.from({ length: nTrees }, (_, t) => growOne(job, t));
  return new ForestPool(helpers).grow(job, nTrees);
}

/** A forest worker thread: wait for the job, then claim tree indices, grow and post them until none is left. */
export function forestWorker(d: { ctrl: Int32Array; port: MessagePort }): void {
  const { ctrl, port } = d;
  port.once('message', (m: { job: ForestJob; nTrees: number }) => {
    try {
      for (;;) {
        const t = Atomics.add(ctrl, NEXT, 1);
        if (t >= m.nTrees) break;
        const g = { ...growOne(m.job, t), byWorker: true };
        // the tree is posted before it is counted, so the training thread finds it when it sees the count
        port.postMessage(g);
        Atomics.add(ctrl, DONE, 1);
        Atomics.notify(ctrl, DONE);
      }
    } catch (err) {
      port.postMessage({ error: err instanceof Error ? err.message : String(err) });
      Atomics.store(ctrl, FAILED, 1);
      Atomics.notify(ctrl, DONE);
    }
    port.close();
  });
}
