/**
 * keel: the library's front door — train a model on any data, predict, evaluate, save and load it, register it
 * through its gates and serve it. The rooms' own entry points (keel/data, keel/models, …) hold the parts.
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/keel.ts}
 *
 * @module keel
 */

export { isKeelError, KeelError } from '../core/index.ts';
export { KEEL_VERSION } from '../core/version.ts';
export type { MetricSet } from '../evaluate/index.ts';
export type { ModelSpec, ReadDataOptions } from '../flow/index.ts';
export type { DataInput } from './data.ts';
export {
  type HomeOptions,
  Model,
  type Prediction,
  type Registered,
  type RegisterOptions,
} from './model.ts';
export { type ServeOptions, type Serving, serve } from './serve.ts';
export { type TrainOptions, train } from './train.ts';

import { type HomeOptions, Model } from './model.ts';

/** Loads a model: a file written by save(), or a registered version (name@alias, name@version) from a Keel home. */
export async function load(ref: string, o: HomeOptions = {}): Promise<Model> {
  return /^[A-Za-z][A-Za-z0-9_.-]*@[A-Za-z0-9_.-]+$/.test(ref) && !ref.includes('/')
    ? Model.fromRegistry(ref, o)
    : Model.load(ref);
}
