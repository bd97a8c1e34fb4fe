// Trees compiled to WebAssembly for large batches: the same nested comparisons as compile.ts, with thresholds and
// leaf values as exact f64 constants, summed tree by tree in the same order, so scores are bit-identical to the
// JavaScript-compiled trees and the array walker — without the bounds checks on every feature read.

import { KeelError } from '../../core/index.ts';
import type { FeatureArray } from '../../estimator/index.ts';
import { EstimatorErrors } from '../../estimator/index.ts';
import { compileChunks, encode, instantiate, privateMemory, type WasmModule } from '../engine/wasm.ts';
import type { BoostingState } from './state.ts';
import { TABLES_AT, walkProgram } from './walk-wasm.ts';

// five trees a function: a 100-tree, 31-leaf model scored 300,000 rows ~10 % faster than with twenty, and its first
// call's compilation raised peak memory by ~20 MB instead of ~32 (V8 compiles each function in one piece)
const TREES_PER_FUNCTION = 5;
/** rows scored per pass through the window of WebAssembly memory */
const WINDOW_ROWS = 16_384;
const { vec, I32, F64, get, set, tee, i32, loadF64, storeF64 } = encode;

// chunk(data, rows, cols, out): byte addresses and counts; locals: i, b, ob (i32), v (f64)
const [DATA, ROWS, COLS, OUT, I, B, OB, V] = [0, 1, 2, 3, 4, 5, 6, 7];
const [ADD, MUL, SHL, GE_S, F64_LE, F64_NE, F64_ADD, I32_OR] = [
  0x6a, 0x6c, 0x74, 0x4e, 0x65, 0x62, 0xa0, 0x72,
];

function f64(x: number): number[] {
  const b = new Uint8Array(new Float64Array([x]).buffer);
  return [0x44, ...b];
}

function treeCode(s: BoostingState, root: number, node: number, out: number[]): void {
  const f = s.feature[root + node];
  if (f < 0) {
    out.push(...f64(s.value[root + node]));
    return;
  }
  if (!Number.isInteger(f) || f >= s.features)
    throw new KeelError(EstimatorErrors.ARTIFACT_CORRUPT, `bad feature index ${f}`);
  const t = s.threshold[root + node];
  if (Number.isNaN(t)) throw new KeelError(EstimatorErrors.ARTIFACT_CORRUPT, 'a tree holds a NaN');
  if (s.missingLeft[root + node]) {
    // (v = d[b + f]) <= t || v !== v
    out.push(
      ...get(B),
      ...loadF64(f * 8),
      ...tee(V),
      ...f64(t),
      F64_LE,
      ...get(V),
      ...get(V),
      F64_NE,
      I32_OR,
    );
  } else {
    out.push(...get(B), ...loadF64(f * 8), ...f64(t), F64_LE);
  }
  out.push(0x04, F64);
  treeCode(s, root, s.left[root + node], out);
  out.push(0x05);
  treeCode(s, root, s.right[root + node], out);
  out.push(0x0b);
}

function chunkBody(s: BoostingState, from: number, to: number): number[] {
  const T = s.treesPerRound;
  const out: number[] = [
    ...i32(0),
    ...set(I),
    0x02,
    0x40,
    0x03,
    0x40,
    ...get(I),
    ...get(ROWS),
    GE_S,
    0x0d,
    1,
  ];
  // b = data + 8 i cols; ob = out + 8 i T
  out.push(...get(DATA), ...get(I), ...get(COLS), MUL, ...i32(3), SHL, ADD, ...set(B));
  out.push(...get(OUT), ...get(I), ...i32(T), MUL, ...i32(3), SHL, ADD, ...set(OB));
  for (let t = from; t < to; t++) {
    const k = (t % T) * 8;
    out.push(...get(OB), ...get(OB), ...loadF64(k));
    treeCode(s, s.treeOffsets[t], 0, out);
    out.push(F64_ADD, ...storeF64(k));
  }
  out.push(...get(I), ...i32(1), ADD, ...set(I), 0x0c, 0, 0x0b, 0x0b, 0x0b);
  return out;
}

/** How many chunk functions (chunk0, chunk1, …) a model's module exports; each adds a run of trees. */
function chunkCount(s: BoostingState): number {
  return Math.ceil(s.nTrees / TREES_PER_FUNCTION);
}

function moduleFor(s: BoostingState, shared: boolean): WasmModule | null {
  const functions: number[][] = [];
  for (let start = 0; start < s.nTrees; start += TREES_PER_FUNCTION) {
    const body = chunkBody(s, start, Math.min(s.nTrees, start + TREES_PER_FUNCTION));
    functions.push([
      ...vec([
        [3, I32],
        [1, F64],
      ]),
      ...body,
    ]);
  }
  return compileChunks(functions, shared);
}

/**
 * What scores a model in WebAssembly: a module exporting chunk0 … chunk{chunks − 1}(data, rows, cols, out), each adding
 * its trees' scores, and the tables it reads, to be placed at TABLES_AT in the memory (empty for compiled trees).
 * Shallow trees are walked branch-free over tables (walk-wasm.ts: a small module, quick to compile); deeper ones are
 * compiled into nested comparisons.
 */
export interface TreeProgram {
  module: WasmModule;
  tables: Uint8Array;
  chunks: number;
  /** where the rows go: after the tables, 8-byte aligned */
  dataAt: number;
}

const cache = new WeakMap<BoostingState, TreeProgram | null>();
const sharedCache = new WeakMap<BoostingState, TreeProgram | null>();

/** The model's program for a private or a shared memory (cached per state); null where unavailable. */
export function treeProgram(s: BoostingState, shared: boolean): TreeProgram | null {
  const c = shared ? sharedCache : cache;
  let program = c.get(s);
  if (program === undefined) {
    const walk = walkProgram(s, shared);
    const module = walk ? null : moduleFor(s, shared);
    const tables = walk ? walk.tables : new Uint8Array(0);
    const dataAt = Math.ceil((TABLES_AT + tables.length) / 8) * 8;
    program = walk
      ? { module: walk.module, tables, chunks: 1, dataAt }
      : module
        ? { module, tables, chunks: chunkCount(s), dataAt }
        : null;
    c.set(s, program);
  }
  return program;
}

/**
 * Adds every tree's score to out (rows × treesPerRound, holding the base scores) for the rows of data, in
 * WebAssembly. Returns false (and leaves out alone) where WebAssembly or the memory is unavailable.
 */
export function wasmRawScores(
  s: BoostingState,
  data: FeatureArray,
  rows: number,
  cols: number,
  out: Float64Array,
) {
  const program = treeProgram(s, false);
  if (!program) return false;
  const { dataAt, tables } = program;
  // the rows pass through a reused window: a whole copy in fresh memory costs its page faults (and its size)
  const windowRows = Math.min(rows, WINDOW_ROWS);
  const width = rows > 0 ? out.length / rows : 0;
  const outAt = dataAt + windowRows * cols * 8;
  const memory = privateMemory(outAt + windowRows * width * 8);
  if (!memory) return false;
  new Uint8Array(memory.buffer, TABLES_AT, tables.length).set(tables);
  const d = new Float64Array(memory.buffer, dataAt, windowRows * cols);
  const o = new Float64Array(memory.buffer, outAt, windowRows * width);
  const ex = instantiate(program.module, memory);
  const fns = Array.from(
    { length: program.chunks },
    (_, c) => ex[`chunk${c}`] as (d: number, r: number, k: number, o: number) => void,
  );
  for (let from = 0; from < rows; from += windowRows) {
    const n = Math.min(windowRows, rows - from);
    d.set(data.subarray(from * cols, (from + n) * cols));
    o.set(out.subarray(from * width, (from + n) * width));
    for (const f of fns) f(dataAt, n, cols, outAt);
    out.set(o.subarray(0, n * width), from * width);
  }
  return true;
}
