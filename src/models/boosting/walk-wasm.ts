// Shallow trees (depth ≤ 8, as `max_depth` ≤ 8 grows them) walked branch-free in WebAssembly: each tree becomes a
// complete binary tree of its depth laid out level by level in a table — a node's children sit at 2j + 1 and 2j + 2,
// and a leaf above the last level passes every row to its left, so every row takes exactly `depth` steps with no
// branch to mispredict. The comparisons are the walker's (value <= threshold, or missing and sent left), the leaves
// are added tree by tree in order, so scores are bit-identical to the compiled trees.

import { compileChunks, encode, type WasmModule } from '../engine/wasm.ts';
import type { BoostingState } from './state.ts';

const { vec, I32, F64, get, set, tee, i32, loadI32, loadF64, storeF64, bump, loopWhileBelow, rowStart } =
  encode;
const { BLOCK_LOOP, BREAK_IF, CONTINUE_END } = encode;
/** deepest tree walked this way (a table of 2^depth − 1 nodes of 16 bytes and 2^depth leaves of 8) */
export const MAX_WALK_DEPTH = 8;
/** where the tables start in the memory the callers lay out (after 64 bytes of control words) */
export const TABLES_AT = 64;

/** The trees as tables and the module that walks them; null when a tree is deeper than MAX_WALK_DEPTH. */
export interface WalkProgram {
  module: WasmModule;
  tables: Uint8Array;
}

/** A tree's depth, or MAX_WALK_DEPTH + 1 as soon as it is known to be deeper (so the recursion stays shallow). */
function depthOf(s: BoostingState, off: number, node: number, depth = 0): number {
  if (s.feature[off + node] < 0 || depth > MAX_WALK_DEPTH) return depth;
  return Math.max(
    depthOf(s, off, s.left[off + node], depth + 1),
    depthOf(s, off, s.right[off + node], depth + 1),
  );
}

/** Per tree: 2^D − 1 nodes {threshold f64, feature byte offset i32, missing-left i32}, then 2^D leaf values. */
function buildTables(s: BoostingState, D: number): Uint8Array {
  const slots = (1 << D) - 1;
  const treeBytes = slots * 16 + (slots + 1) * 8;
  const buffer = new ArrayBuffer(s.nTrees * treeBytes);
  const f64 = new Float64Array(buffer);
  const i32s = new Int32Array(buffer);
  for (let t = 0; t < s.nTrees; t++) {
    const base = t * treeBytes;
    const off = s.treeOffsets[t];
    const place = (node: number, j: number, depth: number): void => {
      const g = off + node;
      if (depth === D) {
        f64[(base + slots * 16 + (j - slots) * 8) / 8] = s.value[g];
        return;
      }
      const at = base + j * 16;
      if (s.feature[g] < 0) {
        // a leaf above the last level: every row goes left (v <= +Inf, and a missing value is sent left)
        f64[at / 8] = Number.POSITIVE_INFINITY;
        i32s[at / 4 + 2] = 0;
        i32s[at / 4 + 3] = 1;
        place(node, 2 * j + 1, depth + 1);
        place(node, 2 * j + 2, depth + 1);
        return;
      }
      f64[at / 8] = s.threshold[g];
      i32s[at / 4 + 2] = s.feature[g] * 8;
      i32s[at / 4 + 3] = s.missingLeft[g];
      place(s.left[g], 2 * j + 1, depth + 1);
      place(s.right[g], 2 * j + 2, depth + 1);
    };
    place(0, 0, 0);
  }
  return new Uint8Array(buffer);
}

// walk(data, rows, cols, out): byte addresses and counts. Rows go LANES at a time (then one at a time for the rest),
// their walks interleaved step by step so the processor overlaps the lanes' independent chains of loads.
const LANES = 8;
const [DATA, ROWS, COLS, OUT, I, T, TB, K, P, END, NAN] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
// per lane r: b, ob, j, s (i32) at LANE_I32 + 4 r …, v (f64) at LANE_F64 + r
const LANE_I32 = 11;
const LANE_F64 = LANE_I32 + 4 * LANES;
const lane = (r: number) => ({
  b: LANE_I32 + 4 * r,
  ob: LANE_I32 + 4 * r + 1,
  j: LANE_I32 + 4 * r + 2,
  s: LANE_I32 + 4 * r + 3,
  v: LANE_F64 + r,
});
const [ADD, SUB, MUL, SHL, GT_S, GE_U, EQ, AND, OR, F64_LE, F64_NE, F64_ADD, SELECT] = [
  0x6a, 0x6b, 0x6c, 0x74, 0x4a, 0x4f, 0x46, 0x71, 0x72, 0x65, 0x62, 0xa0, 0x1b,
];

/**
 * A loop over rows, R at a time while at least R are left (i advances by R), walking every tree for each. Without
 * `missing` the steps skip the missing-value test: for rows with no NaN it changes nothing.
 */
function rowsLoop(
  R: number,
  nTrees: number,
  width: number,
  D: number,
  treeBytes: number,
  missing: boolean,
): number[] {
  const slots = (1 << D) - 1;
  const out: number[] = [];
  // while (i + R <= rows)
  out.push(...BLOCK_LOOP, ...get(I), ...i32(R), ADD, ...get(ROWS), GT_S, ...BREAK_IF);
  for (let r = 0; r < R; r++) {
    const L = lane(r);
    out.push(...get(DATA), ...get(I), ...i32(r), ADD, ...get(COLS), MUL, ...i32(3), SHL, ADD, ...set(L.b));
    out.push(...get(OUT), ...get(I), ...i32(r), ADD, ...i32(width), MUL, ...i32(3), SHL, ADD, ...set(L.ob));
  }
  out.push(...i32(0), ...set(T), ...i32(TABLES_AT), ...set(TB), ...i32(0), ...set(K));
  // for each tree
  out.push(...BLOCK_LOOP, ...get(T), ...i32(nTrees), EQ, ...BREAK_IF);
  for (let r = 0; r < R; r++) out.push(...i32(0), ...set(lane(r).j));
  for (let d = 0; d < D; d++) {
    for (let r = 0; r < R; r++) {
      const L = lane(r);
      // s = tb + 16 j; v = data[b + feature offset]; j = 2 j + 2 - (v <= thr | (v != v & missingLeft))
      out.push(...get(TB), ...get(L.j), ...i32(4), SHL, ADD, ...set(L.s));
      out.push(...get(L.b), ...get(L.s), ...loadI32(8), ADD, ...loadF64(0), ...tee(L.v));
      out.push(...get(L.s), ...loadF64(0), F64_LE);
      if (missing) out.push(...get(L.v), ...get(L.v), F64_NE, ...get(L.s), ...loadI32(12), AND, OR);
      out.push(...set(L.s));
      out.push(...get(L.j), ...i32(1), SHL, ...i32(2), ADD, ...get(L.s), SUB, ...set(L.j));
    }
  }
  for (let r = 0; r < R; r++) {
    const L = lane(r);
    // out[ob + 8 k] += leaf[j - slots]
    out.push(...get(L.ob), ...get(K), ...i32(3), SHL, ADD, ...tee(L.s), ...get(L.s), ...loadF64(0));
    out.push(...get(TB), ...get(L.j), ...i32(3), SHL, ADD, ...loadF64(slots * 8), F64_ADD, ...storeF64(0));
  }
  // k = (k + 1 == width) ? 0 : k + 1; next tree
  out.push(...i32(0), ...get(K), ...i32(1), ADD, ...tee(K), ...get(K), ...i32(width), EQ, SELECT, ...set(K));
  out.push(...get(T), ...i32(1), ADD, ...set(T), ...get(TB), ...i32(treeBytes), ADD, ...set(TB));
  out.push(...CONTINUE_END);
  out.push(...bump(I, R), ...CONTINUE_END);
  return out;
}

function walkBody(nTrees: number, width: number, D: number, treeBytes: number): number[] {
  const walkAll = (missing: boolean) => [
    ...i32(0),
    ...set(I),
    ...rowsLoop(LANES, nTrees, width, D, treeBytes, missing),
    ...rowsLoop(1, nTrees, width, D, treeBytes, missing),
  ];
  // nan = some value of the rows is NaN (one pass, a tiny share of the walk); only then do steps test for missing
  const scan = [
    ...get(DATA),
    ...set(P),
    ...rowStart(DATA, ROWS, COLS),
    ...set(END),
    ...i32(0),
    ...set(NAN),
    ...loopWhileBelow(P, END, GE_U),
    ...get(NAN),
    ...get(P),
    ...loadF64(0),
    ...get(P),
    ...loadF64(0),
    F64_NE,
    OR,
    ...set(NAN),
    ...bump(P, 8),
    ...CONTINUE_END,
  ];
  return [...scan, ...get(NAN), 0x04, 0x40, ...walkAll(true), 0x05, ...walkAll(false), 0x0b, 0x0b];
}

/** Whether every tree is at most MAX_WALK_DEPTH deep (walkProgram then builds a program). */
export function walkable(s: BoostingState): boolean {
  for (let t = 0; t < s.nTrees; t++) if (depthOf(s, s.treeOffsets[t], 0) > MAX_WALK_DEPTH) return false;
  return true;
}

/** The walk program for a model whose trees are all at most MAX_WALK_DEPTH deep; null otherwise or unavailable. */
export function walkProgram(s: BoostingState, shared: boolean): WalkProgram | null {
  let D = 0;
  for (let t = 0; t < s.nTrees; t++) {
    D = Math.max(D, depthOf(s, s.treeOffsets[t], 0));
    if (D > MAX_WALK_DEPTH) return null;
  }
  D = Math.max(D, 1);
  const slots = (1 << D) - 1;
  const treeBytes = slots * 16 + (slots + 1) * 8;
  const module = compileChunks(
    [
      [
        ...vec([
          [LANE_I32 - I + 4 * LANES, I32],
          [LANES, F64],
        ]),
        ...walkBody(s.nTrees, s.treesPerRound, D, treeBytes),
      ],
    ],
    shared,
  );
  return module ? { module, tables: buildTables(s, D) } : null;
}
