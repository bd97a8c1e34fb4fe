// Types of passes.mjs (plain JavaScript shared with the histogram helper threads).
import type { WasmPartition } from '../wasm.ts';
import type { WasmBinRows, WasmReduceSlots } from './store-wasm.ts';
import type { ScoreUpdate } from './threads.ts';

export const PASS_LEAVES: 1;
export const PASS_ROWS: 2;
export const PASS_BINS: 3;
export const PASS_REDUCE: 4;
export const PASS_PARTITION: 5;
export const PART_COLUMN: 0;
export const PART_BIN: 1;
export const PART_MISSING: 2;
export const PART_MISSING_LEFT: 3;
export const PART_START: 4;
export const PART_CHUNK: 5;
export const PART_LEFTS: 6;

/** What a pass reads: the store's layout, its WebAssembly functions, the fused update's arrays. */
export interface PassContext {
  store: { binRows: WasmBinRows; reduceSlots: WasmReduceSlots } | null;
  at: { slots: number; bins: number; cols: number; idx: number; scratch: number };
  size: number;
  p: number;
  n: number;
  binLayout: { window: number; tables: number };
  update: ScoreUpdate | null;
  idx: Int32Array;
  gh: Float64Array;
  /** the general kernels over the store's memory (their partition), where there is WebAssembly */
  kernels: { partition: WasmPartition } | null;
  /** a partition job's split and its chunks' counts (shared memory; the PART_ words) */
  part: Int32Array;
}

export function passArgWord(pass: number, words: { SLOTS: number; FIRST: number }): number;
export function runPass(pass: number, from: number, to: number, c: PassContext, arg: number): void;
