// keel/core: seeded randomness and the numeric kernels the rooms share, e.g. L-BFGS.
import { createRng, minimizeLbfgs } from 'keel/core';

const rng = createRng(7);
const target = [rng.normal(), rng.normal()];
const r = minimizeLbfgs((x, g) => {
  g[0] = 2 * (x[0] - target[0]);
  g[1] = 2 * (x[1] - target[1]);
  return (x[0] - target[0]) ** 2 + (x[1] - target[1]) ** 2;
}, new Float64Array(2));
console.log('minimum at', Array.from(r.x).map((v) => v.toFixed(6)), 'target', target.map((v) => v.toFixed(6)));
