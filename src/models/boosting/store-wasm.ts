// Two passes over the row store's shared memory as WebAssembly, so the histogram helpers can share them. Bin
// assignment: rows are copied a window at a time into the store's gradient area (unused until the first gradients) and
// each value gets the bin binning.ts's assignBins gives it — the same branch-free binary search over the same flat edge
// table — written both row-major (bins) and feature-major (cols), so no transpose pass follows. Slot reduction: the
// block histograms of a long node added into slot 0, element by element in block order, as threads.ts's build did.

import { compileModule, encode, type WasmModule } from '../engine/wasm.ts';
import type { RowStore, StoreShape } from './rows.ts';

const { uleb, name, section, code, vec, I32, F64, get, set, tee, i32, loadI32, loadF64, storeF64 } = encode;
const { bump, loopWhileBelow, BLOCK_LOOP, BREAK_IF, CONTINUE_END, V128, v128Load, v128Store, F64X2_ADD } =
  encode;
const [ADD, SUB, MUL, AND, SHL, SHR_S, LT_S, GT_S, LE_S, GE_S, F64_NE, F64_LT, F64_ADD] = [
  0x6a, 0x6b, 0x6c, 0x71, 0x74, 0x75, 0x48, 0x4a, 0x4c, 0x4e, 0x62, 0x63, 0xa0,
];
const store8 = (offset: number) => [0x3a, 0, ...uleb(offset)];

// binRows(data, rows, p, first, tables, bins, cols, n): data holds `rows` rows of p doubles (the window), whose first
// is row `first` of the store; tables is binLayoutIn's layout; bins, cols the store's; n its row count
const [DATA, ROWS, P, FIRST, TABLES, BINS, COLS, N] = [0, 1, 2, 3, 4, 5, 6, 7];
const [I, F, NB, LO, LEN, HALF, B, AT, EDGES] = [8, 9, 10, 11, 12, 13, 14, 15, 16];
const V = 17;

function binRowsBody(): number[] {
  /** the f64 edge at index (value on the stack) */
  const edgeAt = [...i32(3), SHL, ...get(EDGES), ADD, ...loadF64(0)];
  return [
    // edges = tables + 8p (after p starts and p counts, i32 each)
    ...get(TABLES),
    ...get(P),
    ...i32(3),
    SHL,
    ADD,
    ...set(EDGES),
    ...i32(0),
    ...set(I),
    ...loopWhileBelow(I, ROWS, GE_S),
    ...i32(0),
    ...set(F),
    ...loopWhileBelow(F, P, GE_S),
    // v = data[i p + f]; nb = counts[f]; at = 4 f
    ...get(DATA),
    ...get(I),
    ...get(P),
    MUL,
    ...get(F),
    ADD,
    ...i32(3),
    SHL,
    ADD,
    ...loadF64(0),
    ...set(V),
    ...get(F),
    ...i32(2),
    SHL,
    ...tee(AT),
    ...get(TABLES),
    ...get(P),
    ...i32(2),
    SHL,
    ADD,
    ADD,
    ...loadI32(0),
    ...set(NB),
    ...get(V),
    ...get(V),
    F64_NE,
    0x04,
    I32,
    ...get(NB),
    0x05,
    // lo = starts[f]; len = nb; while (len > 1) { half = len >> 1; lo += half & -(edges[lo + half - 1] < v);
    // len -= half }
    ...get(TABLES),
    ...get(AT),
    ADD,
    ...loadI32(0),
    ...set(LO),
    ...get(NB),
    ...set(LEN),
    ...BLOCK_LOOP,
    ...get(LEN),
    ...i32(1),
    LE_S,
    ...BREAK_IF,
    ...get(LEN),
    ...i32(1),
    SHR_S,
    ...tee(HALF),
    ...i32(0),
    ...get(LO),
    ...get(HALF),
    ADD,
    ...i32(1),
    SUB,
    ...edgeAt,
    ...get(V),
    F64_LT,
    SUB,
    AND,
    ...get(LO),
    ADD,
    ...set(LO),
    ...get(LEN),
    ...get(HALF),
    SUB,
    ...set(LEN),
    ...CONTINUE_END,
    // b = lo - starts[f] + (edges[lo] < v)
    ...get(LO),
    ...get(TABLES),
    ...get(AT),
    ADD,
    ...loadI32(0),
    SUB,
    ...get(LO),
    ...edgeAt,
    ...get(V),
    F64_LT,
    ADD,
    0x0b,
    ...set(B),
    // bins[(first + i) p + f] = b; cols[f n + first + i] = b
    ...get(BINS),
    ...get(FIRST),
    ...get(I),
    ADD,
    ...tee(AT),
    ...get(P),
    MUL,
    ...get(F),
    ADD,
    ADD,
    ...get(B),
    ...store8(0),
    ...get(COLS),
    ...get(F),
    ...get(N),
    MUL,
    ...get(AT),
    ADD,
    ADD,
    ...get(B),
    ...store8(0),
    ...bump(F, 1),
    ...CONTINUE_END,
    ...bump(I, 1),
    ...CONTINUE_END,
    0x0b,
  ];
}

// reduceSlots(slots, stride, nb, from, to): for each element i in [from, to) of a histogram, slot 0's value plus slot
// 1's, slot 2's, … slot nb - 1's (in that order) into slot 0; stride is a slot's bytes. Two elements at a time as one
// f64x2 (each lane its own element's additions), the last odd one alone.
function reduceSlotsBody(): number[] {
  const [SLOTS, STRIDE, NB, FROM, TO] = [0, 1, 2, 3, 4];
  const [I, AT, B, IB] = [5, 6, 7, 8];
  const [ACC, ACC1] = [9, 10];
  /** at = slots + 8 i */
  const address = [...get(SLOTS), ...get(I), ...i32(3), SHL, ADD, ...set(AT)];
  /** for b in 1..nb-1 (ib = at + b stride): acc = acc + load(ib) */
  const blocks = (load: number[], add: number[], acc: number) => [
    ...i32(1),
    ...set(B),
    ...get(AT),
    ...get(STRIDE),
    ADD,
    ...set(IB),
    ...loopWhileBelow(B, NB, GE_S),
    ...get(acc),
    ...get(IB),
    ...load,
    ...add,
    ...set(acc),
    ...get(IB),
    ...get(STRIDE),
    ADD,
    ...set(IB),
    ...bump(B, 1),
    ...CONTINUE_END,
  ];
  return [
    ...get(FROM),
    ...set(I),
    // pairs: while i + 2 <= to
    ...BLOCK_LOOP,
    ...get(I),
    ...i32(2),
    ADD,
    ...get(TO),
    GT_S,
    ...BREAK_IF,
    ...address,
    ...get(AT),
    ...v128Load(0),
    ...set(ACC),
    ...blocks(v128Load(0), F64X2_ADD, ACC),
    ...get(AT),
    ...get(ACC),
    ...v128Store(0),
    ...bump(I, 2),
    ...CONTINUE_END,
    // the last element alone
    ...get(I),
    ...get(TO),
    LT_S,
    0x04,
    0x40,
    ...address,
    ...get(AT),
    ...loadF64(0),
    ...set(ACC1),
    ...blocks(loadF64(0), [F64_ADD], ACC1),
    ...get(AT),
    ...get(ACC1),
    ...storeF64(0),
    0x0b,
    0x0b,
  ];
}

let cached: WasmModule | null | undefined;

/** The module exporting binRows and reduceSlots (importing a shared env.memory), or null without WebAssembly SIMD. */
export function storeModule(): WasmModule | null {
  if (cached !== undefined) return cached;
  const params = [0x60, ...vec(Array.from({ length: 8 }, () => [I32])), 0];
  const params5 = [0x60, ...vec(Array.from({ length: 5 }, () => [I32])), 0];
  cached = compileModule(
    Uint8Array.from([
      0x00,
      0x61,
      0x73,
      0x6d,
      1,
      0,
      0,
      0,
      ...section(1, vec([params, params5])),
      ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x03, ...uleb(1), ...uleb(65536)]])),
      ...section(3, vec([[0], [1]])),
      ...section(
        7,
        vec([
          [...name('binRows'), 0x00, 0],
          [...name('reduceSlots'), 0x00, 1],
        ]),
      ),
      ...section(
        10,
        vec([
          code(
            [
              [9, I32],
              [1, F64],
            ],
            binRowsBody(),
          ),
          code(
            [
              [4, I32],
              [1, V128],
              [1, F64],
            ],
            reduceSlotsBody(),
          ),
        ]),
      ),
    ]),
  );
  return cached;
}

/** (slots, stride, nb, from, to): see reduceSlotsBody */
export type WasmReduceSlots = (slots: number, stride: number, nb: number, from: number, to: number) => void;

export type WasmBinRows = (
  data: number,
  rows: number,
  p: number,
  first: number,
  tables: number,
  bins: number,
  cols: number,
  n: number,
) => void;

/**
 * Where binning's tables and window lie in a store: the tables (p i32 starts into the flat edges, p i32 counts, then
 * the flat f64 edges) in the histogram slots, the window of rows (f64) over the gradients. windowRows 0: too narrow.
 */
export function binLayoutIn(shape: StoreShape): { tables: number; window: number; windowRows: number } {
  return {
    tables: shape.at.slots,
    window: shape.at.gh,
    windowRows: Math.floor((16 * shape.n) / (8 * shape.p)),
  };
}

/** Writes the flat edge tables binRows reads (see binLayoutIn) into the store's memory. */
export function writeBinTables(rows: RowStore, edges: Float64Array[]): void {
  const { p } = rows.shape;
  const { tables } = binLayoutIn(rows.shape);
  const starts = new Int32Array(rows.buffer, tables, p);
  const counts = new Int32Array(rows.buffer, tables + 4 * p, p);
  let total = 0;
  for (let f = 0; f < p; f++) total += edges[f].length;
  const flat = new Float64Array(rows.buffer, tables + 8 * p, total);
  let at = 0;
  for (let f = 0; f < p; f++) {
    starts[f] = at;
    counts[f] = rows.nBins[f];
    flat.set(edges[f], at);
    at += edges[f].length;
  }
}
