// Inside a prediction helper thread: waits for the rows to be in place, scores the blocks of rows it claims with the
// compiled trees until none are left, then ends. Plain JavaScript: it starts in a few milliseconds, with no loader.
import { workerData } from 'node:worker_threads';

const { module, memory, at, rows, cols, width, blockRows, chunks } = workerData;
const ctrl = new Int32Array(memory.buffer, at.ctrl, 4);
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = [];
for (let c = 0; c < chunks; c++) fns.push(exports[`chunk${c}`]);
// the caller may still be copying the rows in; it raises READY once they are all there
while (Atomics.load(ctrl, 2) === 0) Atomics.wait(ctrl, 2, 0, 1000);
const blocks = Math.ceil(rows / blockRows);
for (;;) {
  const b = Atomics.add(ctrl, 0, 1);
  if (b >= blocks) break;
  const from = b * blockRows;
  const n = Math.min(rows, from + blockRows) - from;
  for (const f of fns) f(at.data + from * cols * 8, n, cols, at.out + from * width * 8);
  Atomics.add(ctrl, 1, 1);
  Atomics.notify(ctrl, 1);
}
