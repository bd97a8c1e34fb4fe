// Fitting k-nearest neighbours: keep a copy of the training rows (checked), nothing else to learn.

import { KeelError } from '../../core/index.ts';
import { EstimatorErrors, type Matrix, requireFinite, type Task } from '../../estimator/index.ts';
import type { KnnState } from './state.ts';

export function fitKnn(
  X: Matrix,
  y: Float64Array,
  task: Task,
  K: number,
  p: { n_neighbors: number; weights: string; algorithm: string; leaf_size: number },
  sampleWeight?: Float64Array,
): KnnState {
  requireFinite(X.data, X.cols, 'k-nearest neighbours');
  if (p.n_neighbors > X.rows) {
    throw new KeelError(
      EstimatorErrors.BAD_PARAM,
      `n_neighbors is ${p.n_neighbors} but there are only ${X.rows} training rows`,
      { param: 'n_neighbors' },
    );
  }
  return {
    task: task as KnnState['task'],
    classes: K,
    features: X.cols,
    rows: X.rows,
    k: p.n_neighbors,
    weights: p.weights as KnnState['weights'],
    algorithm: p.algorithm as KnnState['algorithm'],
    leafSize: p.leaf_size,
    X: Float64Array.from(X.data),
    y: Float64Array.from(y),
    w: sampleWeight ? Float64Array.from(sampleWeight) : new Float64Array(X.rows).fill(1),
  };
}
