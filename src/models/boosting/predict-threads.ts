// Large batches scored by several threads at once. The rows go into one shared WebAssembly memory and every thread
// runs the same compiled trees (compile-wasm.ts) over blocks of rows it claims from an atomic counter. Each row's trees
// are summed by one thread, in tree order, so the scores are bit-identical to one thread's. The calling thread works
// too and then waits for the last block, so prediction stays a synchronous call; a helper that fails to start leaves
// its share to the others.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { KeelError } from '../../core/index.ts';
import { EstimatorErrors } from '../../estimator/index.ts';
import { instantiate, sharedMemory } from '../wasm.ts';
import { chunkCount, treeModule } from './compile-wasm.ts';
import type { BoostingState } from './state.ts';

/** From this many rows a batch is split over threads: a helper costs a few milliseconds of start-up. */
export const PARALLEL_MIN_ROWS = 50_000;
/** At most this many threads score one batch. */
const MAX_THREADS = 8;
const BLOCK_ROWS = 4096;
// control words at the start of the memory: next block to claim, blocks done, rows in place (see predict-worker.mjs)
const [NEXT, DONE, READY] = [0, 1, 2];
const CTRL_BYTES = 64;
/** a helper that stops mid-block (killed from outside) would leave its block undone: give up after this long */
const STALL_MS = 60_000;

type Chunk = (data: number, rows: number, cols: number, out: number) => void;

/**
 * Adds every tree's score to out (rows × treesPerRound, holding the base scores) using up to `threads` threads.
 * Returns how many blocks of rows the helper threads scored; null (out untouched) where threads would not pay or are
 * unavailable: too few rows, one core, no shared WebAssembly memory.
 */
export function parallelWasmRawScores(
  s: BoostingState,
  data: Float64Array,
  rows: number,
  cols: number,
  out: Float64Array,
  threads = availableParallelism(),
): { helperBlocks: number } | null {
  const blocks = Math.ceil(rows / BLOCK_ROWS);
  const helpers = Math.min(threads, MAX_THREADS, blocks) - 1;
  if (rows < PARALLEL_MIN_ROWS || helpers < 1) return null;
  let script: URL;
  try {
    // bundled elsewhere (a shadow worker's code is one data: module) there is no file to start
    script = new URL('./predict-worker.mjs', import.meta.url);
    if (script.protocol !== 'file:') return null;
  } catch {
    return null;
  }
  const module = treeModule(s, true);
  const width = s.treesPerRound;
  const at = { ctrl: 0, data: CTRL_BYTES, out: CTRL_BYTES + rows * cols * 8 };
  const memory = module ? sharedMemory(at.out + rows * width * 8) : null;
  if (!module || !memory) return null;
  const ctrl = new Int32Array(memory.buffer, at.ctrl, 4);
  const chunks = chunkCount(s);
  // helpers boot while the rows are copied in; they wait for READY
  const workerData = { module, memory, at, rows, cols, width, blockRows: BLOCK_ROWS, chunks };
  for (let h = 0; h < helpers; h++) {
    try {
      // plain JavaScript: without the parent's --import flags (a TypeScript loader) it starts in milliseconds
      const w = new Worker(script, { workerData, execArgv: [] });
      w.on('error', () => {}); // one that fails to start leaves its blocks to the others
      w.unref();
    } catch {
      break;
    }
  }
  new Float64Array(memory.buffer, at.data, rows * cols).set(data.subarray(0, rows * cols));
  const o = new Float64Array(memory.buffer, at.out, rows * width);
  o.set(out.subarray(0, rows * width));
  Atomics.store(ctrl, READY, 1);
  Atomics.notify(ctrl, READY);
  const ex = instantiate(module, memory);
  const fns: Chunk[] = [];
  for (let c = 0; c < chunks; c++) fns.push(ex[`chunk${c}`] as Chunk);
  let mine = 0;
  for (; ; mine++) {
    const b = Atomics.add(ctrl, NEXT, 1);
    if (b >= blocks) break;
    const from = b * BLOCK_ROWS;
    const n = Math.min(rows, from + BLOCK_ROWS) - from;
    for (const f of fns) f(at.data + from * cols * 8, n, cols, at.out + from * width * 8);
    Atomics.add(ctrl, DONE, 1);
  }
  for (let done = Atomics.load(ctrl, DONE); done < blocks; done = Atomics.load(ctrl, DONE)) {
    if (Atomics.wait(ctrl, DONE, done, STALL_MS) === 'timed-out' && Atomics.load(ctrl, DONE) === done)
      throw new KeelError(
        EstimatorErrors.WORKER_FAILED,
        `a prediction thread stopped: ${blocks - done} of ${blocks} blocks of rows were not scored`,
      );
  }
  out.set(o);
  return { helperBlocks: blocks - mine };
}
