// Boosting's WebAssembly kernels, emitted with the engine's encoders: the histogram kernel (general and unrolled per
// feature layout), the partition of a node's rows and a memory move. Each does exactly what its JavaScript twin does,
// in the same order, so histograms and partitions are bit-identical; data lives in one shared memory that the worker
// threads import too.

import { compileModule, encode, sharedMemoryModuleBytes, type WasmModule } from '../engine/wasm.ts';

const {
  I32,
  F64,
  uleb,
  name,
  section,
  vec,
  get,
  set,
  tee,
  i32,
  f64One,
  loadI32,
  loadU8,
  loadF64,
  storeF64,
  ADD,
  SUB,
  MUL,
  AND,
  SHL,
  LT_S,
  GE_S,
  GE_U,
  F64_ADD,
  SELECT,
  DROP,
  BLOCK_LOOP,
  BREAK_IF,
  CONTINUE_END,
  bump,
  loopWhileBelow,
  index4,
  EQZ,
  V128,
  v128Load,
  v128Store,
  F64X2_ADD,
  MEMORY_COPY,
  code,
} = encode;

// accumulate(bins, stride, fFrom, fTo, gh, idx, mode, start, end, hist, offs): byte addresses and counts, all i32;
// bins are one byte per feature, offs[f] (i32) is where feature f's bins start in the histogram; mode's bit 0 says the
// rows are start..end themselves (else idx[start..end)), bit 1 that the unrolled kernel touches the next batch of
// rows ahead (see unrolledAccumulateBody)
const [BINS, STRIDE, F_FROM, F_TO, GH, IDX, DIRECT, START, END, HIST, OFFS] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
];
// locals: r, i, row pointer, row end, bin / gradient pointer, offset pointer (i32); g, h (f64)
const [R, I, ROW, ROW_END, O, OP, G, H] = [11, 12, 13, 14, 15, 16, 17, 18];

/** i = mode & 1 ? r : idx[r] — the row a kernel step reads */
const selectRow = () => [
  ...get(R),
  ...index4(IDX, R),
  ...loadI32(0),
  ...get(DIRECT),
  ...i32(1),
  AND,
  SELECT,
  ...set(I),
];
/** the address of row i's (gradient, hessian) pair */
const ghAddress = () => [...get(GH), ...get(I), ...i32(4), SHL, ADD];

function accumulateBody(): number[] {
  const addLane = (offset: number, value: number[]) => [
    ...get(O),
    ...get(O),
    ...loadF64(offset),
    ...value,
    F64_ADD,
    ...storeF64(offset),
  ];
  return [
    ...get(START),
    ...set(R),
    ...loopWhileBelow(R, END, GE_S),
    ...selectRow(),
    // g, h = gh[2i], gh[2i + 1]
    ...ghAddress(),
    ...tee(O),
    ...loadF64(0),
    ...set(G),
    ...get(O),
    ...loadF64(8),
    ...set(H),
    // row = bins + i * stride + fFrom; rowEnd = row + fTo - fFrom; op = offs + 4 fFrom
    ...get(BINS),
    ...get(I),
    ...get(STRIDE),
    MUL,
    ...get(F_FROM),
    ADD,
    ADD,
    ...tee(ROW),
    ...get(F_TO),
    ...get(F_FROM),
    SUB,
    ADD,
    ...set(ROW_END),
    ...get(OFFS),
    ...get(F_FROM),
    ...i32(2),
    SHL,
    ADD,
    ...set(OP),
    ...loopWhileBelow(ROW, ROW_END, GE_U),
    // o = hist + 24 * (offs[f] + bin)
    ...get(HIST),
    ...get(OP),
    ...loadI32(0),
    ...get(ROW),
    ...loadU8(0),
    ADD,
    ...i32(24),
    MUL,
    ADD,
    ...set(O),
    ...addLane(0, get(G)),
    ...addLane(8, get(H)),
    ...addLane(16, f64One),
    ...bump(ROW, 1),
    ...bump(OP, 4),
    ...CONTINUE_END,
    ...bump(R, 1),
    ...CONTINUE_END,
    0x0b,
  ];
}

/** positions per batch of rows whose memory the unrolled kernel touches ahead in an indexed range (a power of 2) */
const PREFETCH_BATCH = 16;
/** the most features for which the histogram kernel is unrolled with its offsets as constants */
export const UNROLL_MAX_FEATURES = 512;

/**
 * accumulate() for one layout of features: the same parameters (the feature range must be all p features), the
 * feature loop unrolled with each feature's place in the histogram as a constant offset, and a row's (g, h) added as
 * one f64x2 — the same additions per lane as accumulateBody, so the same bits, with no offset table to read.
 */
function unrolledAccumulateBody(offsets: Int32Array, fFrom: number, fTo: number): number[] {
  // locals: r, i, row, a, j (i32); gh (v128)
  const [A, J, GHV] = [14, 15, 16];
  // with mode bit 1, at every PREFETCH_BATCH-th position: the rows of the next batch (positions r + PREFETCH_BATCH
  // onwards, clamped to end - 1) have their gradient and the first and last byte of their bins loaded and dropped.
  // WebAssembly has no prefetch instruction and a load that misses holds up retirement, so one such load per row hid
  // one miss per row at best; a batch's loads side by side keep all their misses in flight at once
  const touch: number[] = [];
  for (let k = 0; k < PREFETCH_BATCH; k++) {
    touch.push(
      ...get(R),
      ...i32(PREFETCH_BATCH + k),
      ADD,
      ...tee(J),
      ...get(END),
      ...i32(1),
      SUB,
      ...get(J),
      ...get(END),
      LT_S,
      SELECT,
      ...set(J),
      ...index4(IDX, J),
      ...loadI32(0),
      ...tee(J),
      ...i32(4),
      SHL,
      ...get(GH),
      ADD,
      ...loadF64(0),
      DROP,
      ...get(BINS),
      ...get(J),
      ...get(STRIDE),
      MUL,
      ADD,
      ...tee(J),
      ...loadU8(fFrom),
      DROP,
      ...get(J),
      ...loadU8(fTo - 1),
      DROP,
    );
  }
  const prefetch = [
    ...get(DIRECT),
    ...i32(2),
    AND,
    0x04,
    0x40,
    ...get(R),
    ...get(START),
    SUB,
    ...i32(PREFETCH_BATCH - 1),
    AND,
    EQZ,
    0x04,
    0x40,
    ...touch,
    0x0b,
    0x0b,
  ];
  const features: number[] = [];
  for (let f = fFrom; f < fTo; f++) {
    const at = 24 * offsets[f];
    features.push(
      // a = hist + 24 * bin
      ...get(HIST),
      ...get(ROW),
      ...loadU8(f),
      ...i32(24),
      MUL,
      ADD,
      ...tee(A),
      ...get(A),
      ...v128Load(at),
      ...get(GHV),
      ...F64X2_ADD,
      ...v128Store(at),
      ...get(A),
      ...get(A),
      ...loadF64(at + 16),
      ...f64One,
      F64_ADD,
      ...storeF64(at + 16),
    );
  }
  return [
    ...get(START),
    ...set(R),
    ...loopWhileBelow(R, END, GE_S),
    ...prefetch,
    ...selectRow(),
    // (g, h) = gh[2i], gh[2i + 1]; row = bins + i * stride
    ...ghAddress(),
    ...v128Load(0),
    ...set(GHV),
    ...get(BINS),
    ...get(I),
    ...get(STRIDE),
    MUL,
    ADD,
    ...set(ROW),
    ...features,
    ...bump(R, 1),
    ...CONTINUE_END,
    0x0b,
  ];
}

/**
 * A module whose accumulate() is unrolled for these histogram offsets (p features), with g0, g1, … unrolled over each
 * feature group [groups[g], groups[g + 1]) (the fFrom / fTo they are called with must be those), or null where
 * WebAssembly SIMD is unavailable or p is above UNROLL_MAX_FEATURES (the general kernel then).
 */
export function unrolledKernelModule(
  offsets: Int32Array,
  p: number,
  groups: Int32Array = Int32Array.of(0, p),
): WasmModule | null {
  if (p > UNROLL_MAX_FEATURES || p < 1) return null;
  const ranges = [[0, p]];
  for (let g = 0; g + 1 < groups.length; g++) ranges.push([groups[g], groups[g + 1]]);
  const locals = [
    [5, I32],
    [1, V128],
  ];
  return compileModule(
    Uint8Array.from([
      0x00,
      0x61,
      0x73,
      0x6d,
      1,
      0,
      0,
      0,
      ...section(1, vec([[0x60, ...vec(Array.from({ length: 11 }, () => [I32])), 0]])),
      ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x03, ...uleb(1), ...uleb(65536)]])),
      ...section(3, vec(ranges.map(() => [0]))),
      ...section(
        7,
        vec(ranges.map((_, k) => [...name(k === 0 ? 'accumulate' : `g${k - 1}`), 0x00, ...uleb(k)])),
      ),
      ...section(10, vec(ranges.map(([a, b]) => code(locals, unrolledAccumulateBody(offsets, a, b))))),
    ]),
  );
}
// partition(cols, idx, scratch, start, end, bin, missing, missingLeft, copyBack) -> l: byte addresses (cols: one
// feature's bins, a byte per row), positions and bins. Row k's index i = idx[k] goes to the left (idx[l++]) when its
// bin is <= bin, or is the missing bin and missingLeft; otherwise to scratch[r++]. Each row is written to both sides and only its own
// advances (a coin-flip branch per row costs more than a store). Rows go PARTITION_BATCH at a time: first every
// row's index and bin are loaded (loads that depend on nothing else, so their cache misses overlap — a node's rows
// lie apart in the column), then each is written out; a tail goes row by row. Finally, if copyBack is not 0,
// scratch[0..r) is copied to idx[l..end) (memory.copy). Returns l.
const PARTITION_BATCH = 8;
function partitionBody(): number[] {
  const [COLS, IDX_, SCRATCH, START_, END_, BIN, MISSING, MISSING_LEFT, COPY_BACK] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8,
  ];
  const [K, L, R_, I_, B] = [9, 10, 11, 12, 13];
  /** locals of a batch: row j's index at IB + j, its bin at IB + PARTITION_BATCH + j */
  const IB = 14;
  const [EQ, LE_U, GT_S, STORE_I32] = [0x46, 0x4d, 0x4a, [0x36, 2, 0]];
  /** writes index (local i) to both sides and advances the side its bin (local b) sends it to */
  const place = (i: number, b: number) => [
    ...index4(IDX_, L),
    ...get(i),
    ...STORE_I32,
    ...index4(SCRATCH, R_),
    ...get(i),
    ...STORE_I32,
    // left = b == missing ? missingLeft : b <= bin; l += left; r += 1 - left (left kept in I_)
    ...get(MISSING_LEFT),
    ...get(b),
    ...get(BIN),
    LE_U,
    ...get(b),
    ...get(MISSING),
    EQ,
    SELECT,
    ...tee(I_),
    ...get(L),
    ADD,
    ...set(L),
    ...get(R_),
    ...i32(1),
    ADD,
    ...get(I_),
    SUB,
    ...set(R_),
  ];
  const gather: number[] = [];
  const write: number[] = [];
  for (let j = 0; j < PARTITION_BATCH; j++) {
    gather.push(
      ...index4(IDX_, K),
      ...loadI32(4 * j),
      ...tee(IB + j),
      ...get(COLS),
      ADD,
      ...loadU8(0),
      ...set(IB + PARTITION_BATCH + j),
    );
    write.push(...place(IB + j, IB + PARTITION_BATCH + j));
  }
  return [
    ...get(START_),
    ...tee(K),
    ...set(L),
    // whole batches: while k + PARTITION_BATCH <= end
    ...BLOCK_LOOP,
    ...get(K),
    ...i32(PARTITION_BATCH),
    ADD,
    ...get(END_),
    GT_S,
    ...BREAK_IF,
    ...gather,
    ...write,
    ...bump(K, PARTITION_BATCH),
    ...CONTINUE_END,
    // the tail, row by row
    ...loopWhileBelow(K, END_, GE_S),
    ...index4(IDX_, K),
    ...loadI32(0),
    ...tee(I_),
    ...get(COLS),
    ADD,
    ...loadU8(0),
    ...set(B),
    ...place(I_, B),
    ...bump(K, 1),
    ...CONTINUE_END,
    // idx[l..end) = scratch[0..r)
    ...get(COPY_BACK),
    0x04,
    0x40,
    ...index4(IDX_, L),
    ...get(SCRATCH),
    ...get(R_),
    ...i32(2),
    SHL,
    ...MEMORY_COPY,
    0x0b,
    ...get(L),
    0x0b,
  ];
}

let cached: WasmModule | null | undefined;

/** The compiled kernels (accumulate, partition, move), or null where WebAssembly with shared memory is unavailable. */
export function kernelsModule(): WasmModule | null {
  if (cached !== undefined) return cached;
  cached = compileModule(
    sharedMemoryModuleBytes([
      {
        name: 'accumulate',
        params: 11,
        locals: [
          [6, I32],
          [2, F64],
        ],
        body: accumulateBody(),
      },
      {
        name: 'partition',
        params: 9,
        returnsI32: true,
        locals: [[5 + 2 * PARTITION_BATCH, I32]],
        body: partitionBody(),
      },
      // move(dst, src, bytes): memory.copy (overlapping ranges allowed)
      { name: 'move', params: 3, locals: [], body: [...get(0), ...get(1), ...get(2), ...MEMORY_COPY, 0x0b] },
    ]),
  );
  return cached;
}

export type WasmAccumulate = (
  bins: number,
  stride: number,
  fFrom: number,
  fTo: number,
  gh: number,
  idx: number,
  mode: number,
  start: number,
  end: number,
  hist: number,
  offs: number,
) => void;

/** (cols, idx, scratch, start, end, bin, missing, missingLeft, copyBack) → the boundary; see partitionBody */
export type WasmPartition = (
  cols: number,
  idx: number,
  scratch: number,
  start: number,
  end: number,
  bin: number,
  missing: number,
  missingLeft: number,
  copyBack: number,
) => number;
/** (dst, src, bytes): copies bytes within the memory (overlapping ranges allowed) */
export type WasmMove = (dst: number, src: number, bytes: number) => void;
