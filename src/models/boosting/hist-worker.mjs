// Inside a histogram worker thread: sums the blocks of rows it claims, each from zero into its own slot, or the
// feature groups of a small node it claims, into slot 0, with the WebAssembly kernel, until told to quit. Plain
// JavaScript, so it starts in milliseconds without a TypeScript loader (which cost ~0.5 s of CPU and ~25 MB per
// thread). The control words and their meaning are threads.ts's, handed over in workerData.words; the kernel calls
// are rows.ts's makeKernels'; the other passes are passes.mjs's, as on the training thread.
import { workerData } from 'node:worker_threads';
import { passArgWord, runPass } from './passes.mjs';

const { ctrl, shape, memory, module, errors, words, update, storeModule, binLayout, kernelsModule, part } =
  workerData;
const { GEN, START, END, NBLOCKS, NEXT, DONE, QUIT, FAILED, DIRECT, GROUPS, UPDATE, CHUNK } = words;
const { at, size, groups } = shape;
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const accumulate = exports.accumulate;
// an unrolled module has a function per feature group; the general one takes the group's range
const byGroup = groups.slice(1).map((_, g) => exports[`g${g}`] ?? accumulate);
const slots = new Float64Array(memory.buffer, at.slots, shape.nSlots * size);
const idx = new Int32Array(memory.buffer, at.idx, shape.n);
const gh = new Float64Array(memory.buffer, at.gh, 2 * shape.n);
// bin assignment and slot reduction (store-wasm.ts; binning's window and tables at binLayout)
const store = storeModule ? new WebAssembly.Instance(storeModule, { env: { memory } }).exports : null;
const { p, n } = shape;
// the general kernels (wasm.ts): a partition's chunks
const kernels = kernelsModule ? new WebAssembly.Instance(kernelsModule, { env: { memory } }).exports : null;
const pass = { store, at, size, p, n, binLayout, update, idx, gh, kernels, part };

/** Claims blocks (or feature groups) of the job of generation gen until none is left. */
function work(gen) {
  const start = Atomics.load(ctrl, START);
  const end = Atomics.load(ctrl, END);
  const nb = Atomics.load(ctrl, NBLOCKS);
  const direct = Atomics.load(ctrl, DIRECT);
  const byGroups = Atomics.load(ctrl, GROUPS) === 1;
  const updating = Atomics.load(ctrl, UPDATE);
  const chunk = Atomics.load(ctrl, CHUNK);
  for (;;) {
    const v = Atomics.load(ctrl, NEXT);
    if (v >>> 7 !== gen || (v & 127) >= nb) return;
    if (Atomics.compareExchange(ctrl, NEXT, v, v + 1) !== v) continue;
    const b = v & 127;
    if (updating !== 0) {
      // a pass (passes.mjs): a fused score update's, a window of bin assignment, a reduction of block histograms
      const from = start + b * chunk;
      const arg = Atomics.load(ctrl, passArgWord(updating, words));
      runPass(updating, from, Math.min(end, from + chunk), pass, arg);
    } else if (byGroups) {
      // group b's features of every row, added into slot 0 (zeroed by the training thread)
      byGroup[b](
        at.bins,
        shape.stride,
        groups[b],
        groups[b + 1],
        at.gh,
        at.idx,
        direct,
        start,
        end,
        at.slots,
        at.offs,
      );
    } else {
      const from = start + b * chunk;
      const to = Math.min(end, from + chunk);
      slots.fill(0, b * size, (b + 1) * size);
      accumulate(
        at.bins,
        shape.stride,
        0,
        shape.p,
        at.gh,
        at.idx,
        direct,
        from,
        to,
        at.slots + b * size * 8,
        at.offs,
      );
    }
    Atomics.add(ctrl, DONE, 1);
    Atomics.notify(ctrl, DONE);
  }
}

let seen = 0;
// after a job, look for the next one for a few hundred microseconds before sleeping: the training thread posts the
// next within that most of the time, and a sleeping thread takes tens of microseconds to wake (a depth-6 fit posts
// ~60 jobs a tree; measured 5-10 % faster on this 2-core VM)
const SPIN = 200_000;
for (;;) {
  for (let k = 0; k < SPIN && Atomics.load(ctrl, GEN) === seen; k++);
  Atomics.wait(ctrl, GEN, seen);
  if (Atomics.load(ctrl, QUIT)) break;
  seen = Atomics.load(ctrl, GEN);
  try {
    work(seen);
  } catch (err) {
    errors.postMessage(err instanceof Error ? err.message : String(err));
    Atomics.store(ctrl, FAILED, 1);
    Atomics.notify(ctrl, DONE);
    break;
  }
}
