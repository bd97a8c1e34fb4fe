// Types of passes.mjs (plain JavaScript shared with the histogram helper threads).
import type { WasmBinRows, WasmReduceSlots } from './store-wasm.ts';
import type { ScoreUpdate } from './threads.ts';

export const PASS_LEAVES: 1;
export const PASS_ROWS: 2;
export const PASS_BINS: 3;
export const PASS_REDUCE: 4;

/** What a pass reads: the store's layout, its WebAssembly functions, the fused update's arrays. */
export interface PassContext {
  store: { binRows: WasmBinRows; reduceSlots: WasmReduceSlots } | null;
  at: { slots: number; bins: number; cols: number };
  size: number;
  p: number;
  n: number;
  binLayout: { window: number; tables: number };
  update: ScoreUpdate | null;
  idx: Int32Array;
  gh: Float64Array;
}

export function runPass(pass: number, from: number, to: number, c: PassContext, arg: number): void;
