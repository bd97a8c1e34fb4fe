// The training rows of gradient boosting in one shared memory: each row's bins (one byte per feature, row-major,
// with a table of where each feature's bins start in a histogram), its gradient and hessian side by side, the index
// array whose contiguous ranges are the current tree's leaves, the slots histograms are summed into, the feature-major
// copy of the bins a partition reads and its scratch. Worker threads see the same memory (see threads.ts).

import type { Binned } from '../engine/binning.ts';
import { instantiate, sharedMemory, type WasmMemory, type WasmModule } from '../engine/wasm.ts';
import {
  kernelsModule,
  unrolledKernelModule,
  type WasmAccumulate,
  type WasmMove,
  type WasmPartition,
} from './kernels-wasm.ts';

/** Histogram lanes per bin: gradient sum, hessian sum, row count. */
export const LANES = 3;

/** Where everything lives in the shared buffer; plain data, so a worker can rebuild the views. */
export interface StoreShape {
  n: number;
  p: number;
  /** bytes per row */
  stride: number;
  /** doubles per histogram (LANES per global bin) */
  size: number;
  /** rows per block: a longer range is summed block by block (depends on the data's shape only) */
  block: number;
  /** histogram slots: one per block of the longest range */
  nSlots: number;
  /** feature groups [groups[g], groups[g + 1]): a small node's histogram is split over threads by these */
  groups: number[];
  at: { bins: number; gh: number; idx: number; slots: number; offs: number; cols: number; scratch: number };
  bytes: number;
}

export interface StoreViews {
  /** n × stride bins (feature f's bin of a row; its histogram place is offs[f] + bin) */
  bins: Uint8Array;
  /** where each feature's bins start in a histogram */
  offs: Int32Array;
  /** gradient, hessian of each row (by original index) */
  gh: Float64Array;
  /** row indices; a leaf owns a contiguous range */
  idx: Int32Array;
  /** nSlots histograms, one per block being summed */
  slots: Float64Array;
}

export interface RowStore extends StoreViews {
  shape: StoreShape;
  buffer: ArrayBuffer | SharedArrayBuffer;
  /** the WebAssembly memory holding buffer, when the kernel runs as WebAssembly */
  memory: WasmMemory | null;
  module: WasmModule | null;
  /** start of each feature's bins in a histogram (the last entry is the total) */
  offsets: Int32Array;
  /** value bins per feature (its missing bin is the next one) */
  nBins: Int32Array;
  totalBins: number;
  /** feature-major local bins (n per feature): a partition reads one feature of rows in ascending order */
  cols: Uint8Array;
  /** partition scratch (the slots' bytes: see planStore) */
  scratch: Int32Array;
  /** the WebAssembly partition over this memory (the JavaScript loop where there is none) */
  partition: WasmPartition | null;
  /** memory.copy over this memory (with the partition) */
  move: WasmMove | null;
  kernel: Kernel;
  groupKernel: GroupKernel;
}

/**
 * How a kernel reads its range: the rows idx[start..end) (ROWS_INDEXED), the rows start..end themselves
 * (ROWS_DIRECT), or idx's rows touching the next batch of rows ahead first (ROWS_SPARSE, what training uses for
 * every node but the root: a node's rows lie apart in memory; only the unrolled WebAssembly kernel acts on it — the
 * sums are the same either way).
 */
export type RowMode = 0 | 1 | 2;
export const ROWS_INDEXED = 0;
export const ROWS_DIRECT = 1;
export const ROWS_SPARSE = 2;

/** Zeroes histogram slot `slot`, then sums the range's rows (read as `mode` says) into it. */
export type Kernel = (start: number, end: number, mode: RowMode, slot: number) => void;
/** Adds the range's rows into slot 0, features of group `group` only (no zeroing). */
export type GroupKernel = (start: number, end: number, mode: RowMode, group: number) => void;

const MIN_BLOCK = 16_384;
/** at most this many slots (the block field of the threads' claim word has 7 bits) */
export const MAX_SLOTS = 64;
const SLOT_MEMORY = 64 * 2 ** 20;
/**
 * Feature groups of a small node's histogram: one per thread (each thread reads every row of the node once per group
 * it sums, and a node's rows lie far apart, so more groups than threads only fetched the rows again: four groups on two
 * threads took ~40 % longer than two), of at least 4 features each. The model does not depend on them.
 */
function featureGroups(p: number, threads: number): number[] {
  const g = Math.min(threads, MAX_SLOTS, Math.max(1, Math.floor(p / 4)));
  return Array.from({ length: g + 1 }, (_, k) => Math.floor((k * p) / g));
}

export function planStore(n: number, p: number, totalBins: number, threads: number): StoreShape {
  const size = totalBins * LANES;
  const maxSlots = Math.max(1, Math.min(MAX_SLOTS, Math.floor(SLOT_MEMORY / (size * 8))));
  const block = Math.max(MIN_BLOCK, Math.ceil(n / maxSlots));
  const nSlots = Math.max(1, Math.ceil(n / block));
  const align = (x: number) => Math.ceil(x / 16) * 16;
  const bins = 0;
  const gh = align(bins + n * p);
  const idx = align(gh + n * 16);
  const offs = align(idx + n * 4);
  const slots = align(offs + p * 4);
  // the partition's scratch shares the slots' bytes: a partition never runs while block histograms are summed (it
  // comes between them), and the slots are usually the larger (7.4 MB against 2.8 MB for 700,000 rows × 28 features)
  const scratch = slots;
  // the feature-major bins live here too, for the WebAssembly partition
  const cols = align(slots + Math.max(nSlots * size * 8, n * 4));
  return {
    n,
    p,
    stride: p,
    size,
    block,
    nSlots,
    groups: featureGroups(p, threads),
    at: { bins, gh, idx, slots, offs, cols, scratch },
    bytes: cols + n * p,
  };
}

function viewsOf(buffer: ArrayBuffer | SharedArrayBuffer, s: StoreShape): StoreViews {
  return {
    bins: new Uint8Array(buffer, s.at.bins, s.n * s.stride),
    offs: new Int32Array(buffer, s.at.offs, s.p),
    gh: new Float64Array(buffer, s.at.gh, 2 * s.n),
    idx: new Int32Array(buffer, s.at.idx, s.n),
    slots: new Float64Array(buffer, s.at.slots, s.nSlots * s.size),
  };
}

/** The kernels over a store's memory: WebAssembly when there is a module and a memory, JavaScript otherwise. */
function makeKernels(
  views: StoreViews,
  s: StoreShape,
  module: WasmModule | null,
  memory: WasmMemory | null,
): { kernel: Kernel; groupKernel: GroupKernel } {
  const { slots, bins, offs, gh, idx } = views;
  const slot0 = slots.subarray(0, s.size);
  if (module && memory) {
    const ex = instantiate(module, memory);
    const all = ex.accumulate as WasmAccumulate;
    // an unrolled module has a function per group; the general one takes the group's range
    const byGroup = s.groups.slice(1).map((_, g) => (ex[`g${g}`] as WasmAccumulate | undefined) ?? all);
    const run = (
      fn: WasmAccumulate,
      fFrom: number,
      fTo: number,
      start: number,
      end: number,
      mode: RowMode,
      slot: number,
    ) =>
      fn(
        s.at.bins,
        s.stride,
        fFrom,
        fTo,
        s.at.gh,
        s.at.idx,
        mode,
        start,
        end,
        s.at.slots + slot * s.size * 8,
        s.at.offs,
      );
    return {
      kernel: (start, end, mode, slot) => {
        slots.fill(0, slot * s.size, (slot + 1) * s.size);
        run(all, 0, s.p, start, end, mode, slot);
      },
      groupKernel: (start, end, mode, g) =>
        run(byGroup[g], s.groups[g], s.groups[g + 1], start, end, mode, 0),
    };
  }
  return {
    kernel: (start, end, mode, slot) => {
      const hist = slots.subarray(slot * s.size, (slot + 1) * s.size);
      hist.fill(0);
      accumulate(bins, offs, s.stride, 0, s.p, gh, idx, mode === ROWS_DIRECT, start, end, hist);
    },
    groupKernel: (start, end, mode, g) =>
      accumulate(
        bins,
        offs,
        s.stride,
        s.groups[g],
        s.groups[g + 1],
        gh,
        idx,
        mode === ROWS_DIRECT,
        start,
        end,
        slot0,
      ),
  };
}

/**
 * Which histogram kernel a store runs: WebAssembly unrolled for its features' offsets (the general WebAssembly kernel
 * where that cannot be had), the general WebAssembly kernel, or JavaScript (tests compare the three).
 */
export type KernelEngine = 'wasm' | 'wasm-general' | 'js';

/**
 * The rows of a binned matrix in shared memory. The bins come from `b.bins`, or are assigned later straight into the
 * store (threads.ts's HistogramBuilder.assignBins: no second copy of them in memory).
 */
export function createRowStore(
  b: Omit<Binned, 'bins'> & { bins?: Uint8Array },
  n: number,
  p: number,
  engine: KernelEngine = 'wasm',
  /** the threads that will sum its histograms (sets the feature groups) */
  threads = 4,
): RowStore {
  const shape = planStore(n, p, b.totalBins, threads);
  const module =
    engine === 'js'
      ? null
      : ((engine === 'wasm' ? unrolledKernelModule(b.offsets, p, Int32Array.from(shape.groups)) : null) ??
        kernelsModule());
  const memory = module ? sharedMemory(shape.bytes) : null;
  const buffer = memory ? memory.buffer : new SharedArrayBuffer(shape.bytes);
  const views = viewsOf(buffer, shape);
  views.offs.set(b.offsets.subarray(0, p));
  // the general kernels (the partition) instantiated once over this memory
  const kernels = memory ? kernelsModule() : null;
  const general = memory && kernels ? instantiate(kernels, memory) : null;
  const cols = new Uint8Array(buffer, shape.at.cols, n * p);
  const store: RowStore = {
    ...views,
    shape,
    buffer,
    memory,
    module: memory ? module : null,
    offsets: b.offsets,
    nBins: b.nBins,
    totalBins: b.totalBins,
    cols,
    scratch: new Int32Array(buffer, shape.at.scratch, n),
    partition: general ? (general.partition as WasmPartition) : null,
    move: general ? (general.move as WasmMove) : null,
    ...makeKernels(views, shape, memory ? module : null, memory),
  };
  if (b.bins) {
    store.bins.set(b.bins.subarray(0, n * p));
    transposeBins(store);
  }
  return store;
}

/** cols := the store's bins feature-major (what a partition reads). */
export function transposeBins(s: RowStore): void {
  const { bins, cols } = s;
  const { n, p } = s.shape;
  for (let i = 0; i < n; i++) {
    const at = i * p;
    for (let f = 0; f < p; f++) cols[f * n + i] = bins[at + f];
  }
}

/** The JavaScript kernel (the reference the WebAssembly one matches bit for bit). */
export function accumulate(
  bins: Uint8Array,
  offs: Int32Array,
  stride: number,
  fFrom: number,
  fTo: number,
  gh: Float64Array,
  idx: Int32Array,
  direct: boolean,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  for (let r = start; r < end; r++) {
    const i = direct ? r : idx[r];
    const g = gh[2 * i];
    const h = gh[2 * i + 1];
    const base = i * stride;
    for (let f = fFrom; f < fTo; f++) {
      const o = (offs[f] + bins[base + f]) * 3;
      hist[o] += g;
      hist[o + 1] += h;
      hist[o + 2] += 1;
    }
  }
}

/**
 * Stable partition of idx[start..end): rows whose bin of `feature` is <= bin (missing rows follow missingLeft)
 * first. Returns the boundary.
 */
export function partitionRows(
  s: RowStore,
  start: number,
  end: number,
  feature: number,
  bin: number,
  missingLeft: boolean,
): number {
  const { cols, idx, scratch } = s;
  const base = feature * s.shape.n;
  const missing = s.nBins[feature];
  if (s.partition) {
    const { at } = s.shape;
    // (the right side is copied back behind the left inside the WebAssembly function)
    return s.partition(at.cols + base, at.idx, at.scratch, start, end, bin, missing, missingLeft ? 1 : 0, 1);
  }
  let l = start;
  let r = 0;
  // branch-free: each row is written to both sides and only the side it belongs to advances (a coin-flip branch
  // per row costs more than the extra store)
  const missingGoesLeft = missingLeft ? 1 : 0;
  for (let k = start; k < end; k++) {
    const i = idx[k];
    const b = cols[base + i];
    const left = b === missing ? missingGoesLeft : +(b <= bin);
    idx[l] = i;
    scratch[r] = i;
    l += left;
    r += 1 - left;
  }
  idx.set(scratch.subarray(0, r), l);
  return l;
}
