// Histogram building spread over worker threads on shared memory. A histogram of a long range is cut into blocks
// whose size depends only on the data's shape (a range of a few blocks into four parts); each block is summed from
// zero into its own slot and the slots are added in block order, so the result is bit-identical for any number of
// threads (1 included). Ranges split rows, not features, because a node's rows are scattered in memory and each
// thread should fetch only its own; a short range (under 8,192 rows) is summed row after row and split by feature
// groups, each thread adding its features' bins.

import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { KeelError } from '../../core/index.ts';
import type { Matrix } from '../../estimator/index.ts';
import { EstimatorErrors } from '../../estimator/index.ts';
import { assignBins } from '../engine/binning.ts';
import { instantiate, type WasmMemory, type WasmModule } from '../engine/wasm.ts';
import { kernelsModule } from './kernels-wasm.ts';
import {
  PART_BIN,
  PART_CHUNK,
  PART_COLUMN,
  PART_LEFTS,
  PART_MISSING,
  PART_MISSING_LEFT,
  PART_START,
  PASS_BINS,
  PASS_LEAVES,
  PASS_PARTITION,
  PASS_REDUCE,
  PASS_ROWS,
  type PassContext,
  passArgWord,
  runPass,
} from './passes.mjs';
import {
  partitionRows,
  ROWS_DIRECT,
  ROWS_INDEXED,
  ROWS_SPARSE,
  type RowMode,
  type RowStore,
  type StoreShape,
  transposeBins,
} from './rows.ts';
import { noteLeaves, updateRows } from './score-update.mjs';
import {
  binLayoutIn,
  storeModule,
  type WasmBinRows,
  type WasmReduceSlots,
  writeBinTables,
} from './store-wasm.ts';

/**
 * Control words shared with the workers (hist-worker.mjs is handed this table): NEXT is (generation << 7) | the next
 * block to claim; DIRECT is the kernels' row mode (rows.ts's RowMode: idx[start..end), start..end itself, or idx
 * with look-ahead); GROUPS 1 means the "blocks" are feature groups, all added into slot 0; CHUNK is the rows of a
 * block (positions or elements of a pass's claim); FIRST is the first row of a window of bin assignment, SLOTS the
 * block histograms a reduction adds up.
 */
const WORDS = {
  GEN: 0,
  START: 1,
  END: 2,
  NBLOCKS: 3,
  NEXT: 4,
  DONE: 5,
  QUIT: 6,
  FAILED: 7,
  DIRECT: 8,
  GROUPS: 9,
  UPDATE: 10,
  CHUNK: 11,
  FIRST: 12,
  SLOTS: 13,
} as const;
const { GEN, START, END, NBLOCKS, NEXT, DONE, QUIT, FAILED, DIRECT, GROUPS, UPDATE, CHUNK, FIRST, SLOTS } =
  WORDS;
const CTRL_WORDS = 14;
/** histogram elements per claim of a reduction (at least; even: two at a time; at most 127 claims) */
const REDUCE_CHUNK = 4096;
/** rows per claim of bin assignment (at least; at most 127 claims per window) */
const BIN_CHUNK = 4096;
/** fewer rows in a window than this: bins are assigned by JavaScript (binning.ts) */
const BIN_MIN_WINDOW = 1024;
/**
 * Nodes of at most this many blocks are summed in SMALL_PARTS parts of equal length (or, under SMALL_PART_MIN_ROWS
 * rows, row after row from zero — one kernel call's arithmetic — split over threads by feature groups); longer ones
 * block by block. Which applies depends on the node's size only, so the model is the same for any number of threads.
 * Parts rather than feature groups: a small node's rows lie apart, and a thread summing some features of every row
 * fetches every row (in a 100-round fit, nodes of up to 49,152 rows took 57-68 ns a row in parts, 73-85 in groups).
 */
const SEQUENTIAL_MAX_BLOCKS = 3;
const SMALL_PARTS = 4;
const SMALL_PART_MIN_ROWS = 8192;
/** below this many rows a node is not worth waking the helpers for */
const GROUP_MIN_ROWS = 2048;
/**
 * Positions per chunk of a partition split over the threads (at least; at most 127 chunks): a node of fewer than two
 * chunks is partitioned by the training thread alone.
 */
const PARTITION_CHUNK = 16_384;

const STALL_MS = 120_000;
/** loads of DONE before the training thread sleeps on it (the helpers spin likewise on GEN: hist-worker.mjs) */
const WAIT_SPIN = 50_000;
/** positions per claim of a fused score update (at least; at most 127 claims per update) */
const UPDATE_MIN_CHUNK = 16_384;
/** fits with fewer rows update their scores on the training thread alone (fewer than two claims to share) */
export const FUSED_MIN_ROWS = 2 * UPDATE_MIN_CHUNK;

/**
 * A logistic round's score update fused with the next round's gradients, for unweighted one-score fits whose tree
 * holds every row. Two passes, each split over the threads: the leaf of every row is noted (leafOf[idx[r]] for the
 * positions r of each leaf: scattered writes into a small array), then every row, in row order, gets its leaf's value
 * added to its score and its gradient pair from the new score — fit.ts's score update followed by losses.ts's logistic
 * loop, row by row, so the model's bits are the same. Both passes are in score-update.mjs, plain JavaScript, which the
 * helpers import too (they start without the TypeScript loader).
 */
export interface ScoreUpdate {
  /** scores, one per row (shared memory) */
  F: Float64Array;
  /** labels, 0 or 1 (shared memory) */
  y: Uint8Array;
  /** each row's leaf in the latest tree (shared memory) */
  leafOf: Uint16Array;
  /** the leaf count, then each leaf's first position and value, in position order (shared memory) */
  leaves: Float64Array;
}

/** What a worker thread is handed: the WebAssembly memory, where things are in it, and the control words. */
interface WorkerData {
  ctrl: Int32Array;
  words: typeof WORDS;
  shape: StoreShape;
  memory: WasmMemory;
  module: WasmModule;
  /** where a failing worker says why */
  errors: MessagePort;
  update: ScoreUpdate | null;
  /** store-wasm.ts's module (binRows, reduceSlots), where there is one */
  storeModule: WasmModule | null;
  /** where bin assignment's window and tables lie (store-wasm.ts's binLayoutIn) */
  binLayout: ReturnType<typeof binLayoutIn>;
  /** wasm.ts's general kernels (the partition) */
  kernelsModule: WasmModule | null;
  /** a partition's split and chunk counts (PassContext.part) */
  part: Int32Array;
}

/** store-wasm.ts's functions over a store's memory */
interface StoreKernels {
  binRows: WasmBinRows;
  reduceSlots: WasmReduceSlots;
}

/**
 * Claims blocks of the job of generation `gen` and sums each into its slot, as the workers do (hist-worker.mjs);
 * returns how many blocks this thread summed.
 */
function workOnJob(ctrl: Int32Array, rows: RowStore, gen: number, pass: PassContext): number {
  let mine = 0;
  const start = Atomics.load(ctrl, START);
  const end = Atomics.load(ctrl, END);
  const nb = Atomics.load(ctrl, NBLOCKS);
  const mode = Atomics.load(ctrl, DIRECT) as RowMode;
  const groups = Atomics.load(ctrl, GROUPS) === 1;
  const updating = Atomics.load(ctrl, UPDATE);
  const chunk = Atomics.load(ctrl, CHUNK);
  for (;;) {
    const v = Atomics.load(ctrl, NEXT);
    if (v >>> 7 !== gen || (v & 127) >= nb) return mine;
    if (Atomics.compareExchange(ctrl, NEXT, v, v + 1) !== v) continue;
    const b = v & 127;
    if (updating !== 0) {
      const from = start + b * chunk;
      runPass(
        updating,
        from,
        Math.min(end, from + chunk),
        pass,
        Atomics.load(ctrl, passArgWord(updating, WORDS)),
      );
    } else if (groups) rows.groupKernel(start, end, mode, b);
    else {
      const from = start + b * chunk;
      rows.kernel(from, Math.min(end, from + chunk), mode, b);
    }
    mine++;
    Atomics.add(ctrl, DONE, 1);
    Atomics.notify(ctrl, DONE);
  }
}

export class HistogramBuilder {
  private readonly ctrl: Int32Array;
  private readonly workers: Worker[] = [];
  private readonly errorPorts: MessagePort[] = [];
  private gen = 0;
  private readonly store: StoreKernels | null;
  /** what the passes read on this thread (passes.mjs) */
  private readonly pass: PassContext;
  /** blocks summed by worker threads so far (the rest were summed by the training thread) */
  workerBlocks = 0;

  constructor(
    private readonly rows: RowStore,
    threads: number,
    /** the shared arrays of fused score updates (updateScores), where the fit uses them */
    private readonly update: ScoreUpdate | null = null,
  ) {
    const { shape } = rows;
    const { memory, module } = rows;
    // helpers run the WebAssembly kernel; without it the training thread sums every block itself
    const helpers = memory && module ? Math.max(0, Math.min(threads, shape.nSlots) - 1) : 0;
    this.ctrl = new Int32Array(new SharedArrayBuffer(CTRL_WORDS * 4));
    const storeWasm = memory ? storeModule() : null;
    const ex = memory && storeWasm ? instantiate(storeWasm, memory) : null;
    this.store = ex
      ? { binRows: ex.binRows as WasmBinRows, reduceSlots: ex.reduceSlots as WasmReduceSlots }
      : null;
    const { at, size, p, n } = shape;
    const part = new Int32Array(new SharedArrayBuffer((PART_LEFTS + 127) * 4));
    this.pass = {
      store: this.store,
      at,
      size,
      p,
      n,
      binLayout: binLayoutIn(shape),
      update,
      idx: rows.idx,
      gh: rows.gh,
      kernels: rows.partition ? { partition: rows.partition } : null,
      part,
    };
    for (let t = 0; t < helpers; t++) {
      const { port1, port2 } = new MessageChannel();
      const workerData = {
        ctrl: this.ctrl,
        words: WORDS,
        shape,
        memory,
        module,
        errors: port2,
        update,
        storeModule: storeWasm,
        binLayout: this.pass.binLayout,
        kernelsModule: rows.partition ? kernelsModule() : null,
        part,
      } as WorkerData;
      // plain JavaScript without the parent's --import flags (a TypeScript loader): it starts in milliseconds
      const w = new Worker(new URL('./hist-worker.mjs', import.meta.url), {
        workerData,
        transferList: [port2],
        execArgv: [],
      });
      this.errorPorts.push(port1);
      w.unref();
      // a worker that fails to start never claims a block, so the training thread simply does its share
      w.on('error', () => {});
      this.workers.push(w);
    }
  }

  /** hist := the histogram of rows idx[start..end), or of rows start..end when direct. */
  build(start: number, end: number, hist: Float64Array, direct = false): void {
    const { rows } = this;
    const { size } = rows.shape;
    // its own rows in order, or idx's rows with the look-ahead — even a node holding half the rows skips enough of them
    // that the processor's own prefetching misses (a 100-round fit's nodes of over 49,152 rows took ~35 % less time
    // with it; the look-ahead was once kept for nodes under an eighth of the rows)
    const mode: RowMode = direct ? ROWS_DIRECT : ROWS_SPARSE;
    const slots = rows.slots;
    const len = end - start;
    // (a store of few rows has fewer slots than SMALL_PARTS: its parts are fewer, the same on every thread count)
    const parts = Math.min(SMALL_PARTS, rows.shape.nSlots);
    const small = len <= SEQUENTIAL_MAX_BLOCKS * rows.shape.block;
    const block = small ? Math.ceil(len / parts) : rows.shape.block;
    const nb = small && (len < SMALL_PART_MIN_ROWS || parts === 1) ? 1 : Math.ceil(len / block);
    const nGroups = rows.shape.groups.length - 1;
    if (nb === 1) {
      if (this.workers.length === 0 || nGroups < 2 || end - start < GROUP_MIN_ROWS)
        rows.kernel(start, end, mode, 0);
      else {
        slots.fill(0, 0, size);
        this.run(start, end, mode, nGroups, true);
      }
      hist.set(slots.subarray(0, size));
      return;
    }
    if (this.workers.length === 0) {
      // one slot reused: summing block b and adding it before block b + 1 is the same arithmetic as the threads'
      hist.fill(0);
      for (let b = 0; b < nb; b++) {
        const from = start + b * block;
        rows.kernel(from, Math.min(end, from + block), mode, 0);
        for (let i = 0; i < size; i++) hist[i] += slots[i];
      }
      return;
    }
    this.run(start, end, mode, nb, false, block);
    if (this.store) {
      // the blocks' histograms added into slot 0 on every thread, each element in block order
      Atomics.store(this.ctrl, SLOTS, nb);
      const chunk = 2 * Math.ceil(Math.max(REDUCE_CHUNK, Math.ceil(size / 127)) / 2);
      this.run(0, size, ROWS_INDEXED, Math.ceil(size / chunk), false, chunk, PASS_REDUCE);
      hist.set(slots.subarray(0, size));
      return;
    }
    hist.set(slots.subarray(0, size));
    for (let b = 1; b < nb; b++) {
      const base = b * size;
      for (let i = 0; i < size; i++) hist[i] += slots[base + i];
    }
  }

  /**
   * partitionRows (rows.ts) of a node, split over the threads when it is long: each chunk of positions is partitioned
   * in place — its left rows at its start, its right rows in the scratch at its offset in the node — and then the left
   * runs are moved together behind the first chunk's, and the right runs copied after them, in chunk order. The same
   * stable order as one pass, so the same model for any number of threads. Returns the boundary.
   */
  partition(start: number, end: number, feature: number, bin: number, missingLeft: boolean): number {
    const { rows, pass } = this;
    const { move } = rows;
    if (this.workers.length === 0 || !move || !pass.kernels || end - start < 2 * PARTITION_CHUNK)
      return partitionRows(rows, start, end, feature, bin, missingLeft);
    const { at, n } = rows.shape;
    const part = pass.part;
    const chunk = Math.max(PARTITION_CHUNK, Math.ceil((end - start) / 127));
    const nb = Math.ceil((end - start) / chunk);
    part[PART_COLUMN] = at.cols + feature * n;
    part[PART_BIN] = bin;
    part[PART_MISSING] = rows.nBins[feature];
    part[PART_MISSING_LEFT] = missingLeft ? 1 : 0;
    part[PART_START] = start;
    part[PART_CHUNK] = chunk;
    this.run(start, end, ROWS_INDEXED, nb, false, chunk, PASS_PARTITION);
    let pos = start + part[PART_LEFTS];
    for (let c = 1; c < nb; c++) {
      const lefts = part[PART_LEFTS + c];
      move(at.idx + 4 * pos, at.idx + 4 * (start + c * chunk), 4 * lefts);
      pos += lefts;
    }
    const mid = pos;
    for (let c = 0; c < nb; c++) {
      const from = start + c * chunk;
      const rights = Math.min(end, from + chunk) - from - part[PART_LEFTS + c];
      move(at.idx + 4 * pos, at.scratch + 4 * (c * chunk), 4 * rights);
      pos += rights;
    }
    return mid;
  }

  /**
   * The fused score update and gradients of rows 0..n (see ScoreUpdate), with the tree's leaves already in the
   * update's leaf table; both passes split over the helpers and this thread.
   */
  updateScores(n: number): void {
    const u = this.update;
    if (!u)
      throw new KeelError(EstimatorErrors.BAD_INPUT, 'this histogram builder has no score update arrays');
    if (this.workers.length === 0) {
      noteLeaves(u, this.rows.idx, 0, n);
      updateRows(u, this.rows.gh, 0, n);
      return;
    }
    const chunk = Math.max(UPDATE_MIN_CHUNK, Math.ceil(n / 127));
    this.run(0, n, ROWS_INDEXED, Math.ceil(n / chunk), false, chunk, PASS_LEAVES);
    this.run(0, n, ROWS_INDEXED, Math.ceil(n / chunk), false, chunk, PASS_ROWS);
  }

  /**
   * Assigns every row of X its bins in the store, row-major and feature-major: through store-wasm.ts's windows on every
   * thread where WebAssembly allows, else with binning.ts's assignBins and a transpose. The same bins either way.
   */
  assignBins(X: Matrix, edges: Float64Array[]): void {
    const { rows } = this;
    const { n, p } = rows.shape;
    const { window, windowRows } = binLayoutIn(rows.shape);
    if (!this.store || windowRows < BIN_MIN_WINDOW) {
      assignBins(X, edges, rows.nBins, rows.bins, 0, n);
      transposeBins(rows);
      return;
    }
    writeBinTables(rows, edges);
    const view = new Float64Array(rows.buffer, window, windowRows * p);
    for (let first = 0; first < n; first += windowRows) {
      const m = Math.min(windowRows, n - first);
      view.set(X.data.subarray(first * p, (first + m) * p));
      Atomics.store(this.ctrl, FIRST, first);
      // without helpers this thread claims every chunk itself
      const chunk = Math.max(BIN_CHUNK, Math.ceil(m / 127));
      this.run(0, m, ROWS_INDEXED, Math.ceil(m / chunk), false, chunk, PASS_BINS);
    }
  }

  /** Hands out nb blocks (or feature groups) of the range to the helpers and this thread; returns when all are done. */
  private run(
    start: number,
    end: number,
    mode: RowMode,
    nb: number,
    groups: boolean,
    chunk = 0,
    pass = 0,
  ): void {
    const ctrl = this.ctrl;
    this.gen = (this.gen + 1) & 0xffffff;
    Atomics.store(ctrl, START, start);
    Atomics.store(ctrl, END, end);
    Atomics.store(ctrl, NBLOCKS, nb);
    Atomics.store(ctrl, DIRECT, mode);
    Atomics.store(ctrl, GROUPS, groups ? 1 : 0);
    Atomics.store(ctrl, UPDATE, pass);
    Atomics.store(ctrl, CHUNK, chunk);
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(ctrl, NEXT, this.gen << 7);
    Atomics.store(ctrl, GEN, this.gen);
    Atomics.notify(ctrl, GEN);
    const mine = workOnJob(ctrl, this.rows, this.gen, this.pass);
    this.waitFor(nb);
    this.workerBlocks += nb - mine;
  }

  private waitFor(nb: number): void {
    const ctrl = this.ctrl;
    let last = Date.now();
    let seenDone = -1;
    for (;;) {
      const done = Atomics.load(ctrl, DONE);
      if (done >= nb) return;
      if (Atomics.load(ctrl, FAILED)) {
        const why = this.errorPorts.map((p) => receiveMessageOnPort(p)?.message).find((m) => m !== undefined);
        throw new KeelError(
          EstimatorErrors.WORKER_FAILED,
          `a histogram worker thread failed during training: ${why ?? 'no reason given'}`,
        );
      }
      if (done !== seenDone) {
        seenDone = done;
        last = Date.now();
      } else if (Date.now() - last > STALL_MS) {
        throw new KeelError(
          EstimatorErrors.WORKER_FAILED,
          'histogram worker threads stopped making progress',
        );
      }
      // the helpers' last blocks are usually microseconds from done: look before sleeping
      for (let k = 0; k < WAIT_SPIN && Atomics.load(ctrl, DONE) === done; k++);
      if (Atomics.load(ctrl, DONE) === done) Atomics.wait(ctrl, DONE, done, 100);
    }
  }

  /** Ends the worker threads (safe to call twice). */
  close(): void {
    if (this.workers.length === 0) return;
    Atomics.store(this.ctrl, QUIT, 1);
    this.gen = (this.gen + 1) & 0xffffff;
    Atomics.store(this.ctrl, GEN, this.gen);
    Atomics.notify(this.ctrl, GEN);
    for (const w of this.workers) void w.terminate();
    for (const p of this.errorPorts) p.close();
    this.workers.length = 0;
  }
}
