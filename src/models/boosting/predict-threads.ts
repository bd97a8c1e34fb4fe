// Large batches scored by several threads at once. The rows pass through one shared WebAssembly memory a window at a
// time (fresh memory costs a page fault per 4 KiB — copying a 67 MB batch into new memory was measured to take longer than
// scoring it — so two windows of 8,192 rows are reused), and every thread runs the same compiled trees
// (compile-wasm.ts) over blocks of the window's rows that it claims from an atomic counter. Each row's trees are summed
// by one thread, in tree order, so the scores are bit-identical to one thread's. The calling thread copies each window
// in and out, works too, and waits for the window's last block, so prediction stays a synchronous call; the helpers
// are predict-pool.ts's, kept between batches, and one that fails or starts late leaves its share to the others.

import { availableParallelism } from 'node:os';
import { KeelError } from '../../core/index.ts';
import { EstimatorErrors, type FeatureArray } from '../../estimator/index.ts';
import { instantiate, sharedMemory } from '../engine/wasm.ts';
import { treeProgram } from './compile-wasm.ts';
import { postToHelpers, warmPredictionHelpers } from './predict-pool.ts';
import type { BoostingState } from './state.ts';
import { TABLES_AT, walkable } from './walk-wasm.ts';

/** From this many rows a batch is split over threads: a helper costs a few milliseconds of start-up. */
export const PARALLEL_MIN_ROWS = 50_000;
/** At most this many threads score one batch. */
const MAX_THREADS = 8;
const BLOCK_ROWS = 2048;
/** blocks in a window (at most 255: a claim is window << 8 | block) */
const WINDOW_BLOCKS = 4;
// control words at the start of the memory (see predict-worker.mjs): the window's number, its next claim
// (window << 8 | block), its blocks done, its rows, and the order to quit
const [GEN, NEXT, DONE, ROWS, QUIT] = [0, 1, 2, 3, 4];
/** a helper that stops mid-block (killed from outside) would leave its block undone: give up after this long */
const STALL_MS = 60_000;

/**
 * Starts the helpers a large batch would use, ahead of it: a fit does so as its last round starts (a thread takes
 * ~50–65 ms to start here), so they are alive when its model first predicts — as XGBoost's OpenMP threads are, from
 * training.
 */
export function warmPredictionThreads(threads = availableParallelism()): void {
  warmPredictionHelpers(Math.min(threads, MAX_THREADS) - 1);
}

/**
 * Readies a fitted model for large batches: its helpers (if the last round did not start them: early stopping) and,
 * where its trees are shallow enough for the table walker, the walker's tables and module (~15 ms for 100 depth-6
 * trees). Deeper trees are compiled on first use instead: their module takes ~100 ms for 100 trees of 31 leaves, which
 * a fit that never scores a large batch should not pay.
 */
export function prepareLargeBatches(s: BoostingState, threads = availableParallelism()): void {
  warmPredictionThreads(threads);
  if (walkable(s)) treeProgram(s, true);
}

type Chunk = (data: number, rows: number, cols: number, out: number) => void;

/**
 * Adds every tree's score to out (rows × treesPerRound, holding the base scores) using up to `threads` threads.
 * Returns how many blocks of rows the helper threads scored; null (out untouched) where threads would not pay or are
 * unavailable: too few rows, one core, no shared WebAssembly memory.
 */
export function parallelWasmRawScores(
  s: BoostingState,
  data: FeatureArray,
  rows: number,
  cols: number,
  out: Float64Array,
  threads = availableParallelism(),
): { helperBlocks: number } | null {
  const windowRows = Math.min(rows, WINDOW_BLOCKS * BLOCK_ROWS);
  const helpers = Math.min(threads, MAX_THREADS, Math.ceil(windowRows / BLOCK_ROWS)) - 1;
  if (rows < PARALLEL_MIN_ROWS || helpers < 1) return null;
  const program = treeProgram(s, true);
  if (!program) return null;
  const { module, chunks } = program;
  const width = s.treesPerRound;
  // two windows: the calling thread fills the next while the helpers score this one
  const dataBytes = windowRows * cols * 8;
  const outBytes = windowRows * width * 8;
  const outAt = program.dataAt + 2 * dataBytes;
  const at = {
    ctrl: 0,
    data: [program.dataAt, program.dataAt + dataBytes],
    out: [outAt, outAt + outBytes],
  };
  const memory = sharedMemory(outAt + 2 * outBytes);
  if (!memory) return null;
  // control words in the first bytes (TABLES_AT of them), then the program's tables
  const ctrl = new Int32Array(memory.buffer, at.ctrl, TABLES_AT / 4);
  new Uint8Array(memory.buffer, TABLES_AT, program.tables.length).set(program.tables);
  // the pool's helpers (kept between batches) each take the batch; none at all: one thread scores it
  if (postToHelpers(helpers, { module, memory, at, cols, width, blockRows: BLOCK_ROWS, chunks }) === 0)
    return null;
  const ex = instantiate(module, memory);
  const fns: Chunk[] = [];
  for (let c = 0; c < chunks; c++) fns.push(ex[`chunk${c}`] as Chunk);
  const dataViews = at.data.map((a) => new Float64Array(memory.buffer, a, windowRows * cols));
  const outViews = at.out.map((a) => new Float64Array(memory.buffer, a, windowRows * width));
  /** copies rows [from, from + n) and their scores so far into window w */
  const fill = (w: number, from: number, n: number) => {
    dataViews[w].set(data.subarray(from * cols, (from + n) * cols));
    outViews[w].set(out.subarray(from * width, (from + n) * width));
  };
  let helperBlocks = 0;
  try {
    fill(1, 0, Math.min(windowRows, rows));
    for (let from = 0, gen = 1; from < rows; from += windowRows, gen++) {
      const w = gen & 1;
      const n = Math.min(windowRows, rows - from);
      const blocks = Math.ceil(n / BLOCK_ROWS);
      Atomics.store(ctrl, ROWS, n);
      Atomics.store(ctrl, DONE, 0);
      Atomics.store(ctrl, NEXT, gen << 8);
      Atomics.store(ctrl, GEN, gen);
      Atomics.notify(ctrl, GEN);
      // the next window is filled while the helpers start on this one (its previous rows were all scored)
      const next = from + n;
      if (next < rows) fill(1 - w, next, Math.min(windowRows, rows - next));
      let mine = 0;
      for (;;) {
        const v = Atomics.load(ctrl, NEXT);
        if ((v & 255) >= blocks) break;
        if (Atomics.compareExchange(ctrl, NEXT, v, v + 1) !== v) continue;
        const b0 = (v & 255) * BLOCK_ROWS;
        const m = Math.min(n, b0 + BLOCK_ROWS) - b0;
        for (const f of fns) f(at.data[w] + b0 * cols * 8, m, cols, at.out[w] + b0 * width * 8);
        Atomics.add(ctrl, DONE, 1);
        mine++;
      }
      for (let done = Atomics.load(ctrl, DONE); done < blocks; done = Atomics.load(ctrl, DONE)) {
        if (Atomics.wait(ctrl, DONE, done, STALL_MS) === 'timed-out' && Atomics.load(ctrl, DONE) === done)
          throw new KeelError(
            EstimatorErrors.WORKER_FAILED,
            `a prediction thread stopped: ${blocks - done} of ${blocks} blocks of rows were not scored`,
          );
      }
      out.set(outViews[w].subarray(0, n * width), from * width);
      helperBlocks += blocks - mine;
    }
  } finally {
    Atomics.store(ctrl, QUIT, 1);
    Atomics.notify(ctrl, GEN);
  }
  return { helperBlocks };
}
