/**
 * core: numeric kernels on typed arrays, seeded randomness and the shared error class.
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/core.ts}
 *
 * @module keel/core
 */

export { symmetricEigen } from './eigen.ts';
export {
  createDataKey,
  type DataKey,
  type DataKeys,
  dataKeyId,
  dataKeysFromEnv,
  decrypt,
  ENCRYPTED_MAGIC,
  ENCRYPTION_OVERHEAD,
  encryptor,
  isEncrypted,
  keyIdOf,
  readDataKey,
} from './encryption.ts';
export {
  CORE_CATALOG,
  CoreErrors,
  codesOf,
  diskFull,
  type ErrorEntry,
  isDiskFull,
  isKeelError,
  KeelError,
  statusIn,
} from './errors.ts';
export { fsyncDir, fsyncFile, writeFileAtomic } from './files.ts';
export { SECURITY_HEADERS } from './headers.ts';
export { type LbfgsOptions, type LbfgsResult, minimizeLbfgs } from './lbfgs.ts';
export { choleskySolve } from './linalg.ts';
export { importUserModule, isSource, readyForTypeScript, siblingModule, workerEntry } from './modules.ts';
export { redactHeader, redactSecrets } from './redact.ts';
export { createRng, type Rng, shuffleInPlace } from './rng.ts';
export { createFloat64Sorter } from './sort.ts';
export {
  binomialUpperTail,
  linspaceNumpy,
  logGamma,
  type Moments,
  median,
  moments,
  percentileNumpy,
  quantileSorted,
  sortedFinite,
} from './stats.ts';
