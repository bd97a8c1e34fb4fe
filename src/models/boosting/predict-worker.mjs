// Inside a prediction helper thread (predict-pool.ts): each message is a batch — for each window of rows the calling
// thread puts in the batch's shared memory, scores the blocks of rows it claims with the compiled trees, until told to
// quit; then waits for the next batch, and ends after idleMs without one. Plain JavaScript, so it starts in
// milliseconds with no loader. The control words are described in predict-threads.ts.
import { parentPort, workerData } from 'node:worker_threads';

const [GEN, NEXT, DONE, ROWS, QUIT] = [0, 1, 2, 3, 4];
const { pending, idleMs } = workerData;

function score({ module, memory, at, cols, width, blockRows, chunks }) {
  const ctrl = new Int32Array(memory.buffer, at.ctrl, 8);
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const fns = [];
  for (let c = 0; c < chunks; c++) fns.push(exports[`chunk${c}`]);
  let seen = 0;
  for (;;) {
    // wait for a window newer than the last one seen (or the order to quit)
    while (Atomics.load(ctrl, GEN) === seen && Atomics.load(ctrl, QUIT) === 0)
      Atomics.wait(ctrl, GEN, seen, 1000);
    if (Atomics.load(ctrl, QUIT) !== 0) break;
    seen = Atomics.load(ctrl, GEN);
    const rows = Atomics.load(ctrl, ROWS);
    const blocks = Math.ceil(rows / blockRows);
    // windows alternate: an odd window number uses the second buffer (at.data[1], at.out[1])
    const dataAt = at.data[seen & 1];
    const outAt = at.out[seen & 1];
    for (;;) {
      const v = Atomics.load(ctrl, NEXT);
      // a claim names its window, so a late helper never takes a block of a window that has moved on
      if (v >>> 8 !== seen || (v & 255) >= blocks) break;
      if (Atomics.compareExchange(ctrl, NEXT, v, v + 1) !== v) continue;
      const from = (v & 255) * blockRows;
      const n = Math.min(rows, from + blockRows) - from;
      for (const f of fns) f(dataAt + from * cols * 8, n, cols, outAt + from * width * 8);
      Atomics.add(ctrl, DONE, 1);
      Atomics.notify(ctrl, DONE);
    }
  }
}

let timer = null;
// idle for idleMs with nothing posted: end (pending 0 → -1, so the pool posts no more here)
const arm = () => {
  timer = setTimeout(() => {
    if (Atomics.compareExchange(pending, 0, 0, -1) === 0) parentPort.close();
  }, idleMs);
};
parentPort.on('message', (job) => {
  clearTimeout(timer);
  try {
    score(job);
  } finally {
    Atomics.sub(pending, 0, 1);
    arm();
  }
});
arm();
