// core: numeric kernels on typed arrays, seeded randomness and the shared error class.
export { KeelError, isKeelError } from './errors.ts';
export { minimizeLbfgs, type LbfgsOptions, type LbfgsResult } from './lbfgs.ts';
export { choleskySolve } from './linalg.ts';
export { createRng, shuffleInPlace, type Rng } from './rng.ts';
export { median, moments, quantileSorted, sortedFinite, type Moments } from './stats.ts';
