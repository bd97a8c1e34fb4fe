// k-nearest neighbours: the learner built on fit.ts; the predictor (KD-tree or brute force) in predict.ts.

import { type Learner, type Matrix, resolveParams, type Task } from '../../estimator/index.ts';
import { requireTask } from '../tasks.ts';
import { fitKnn } from './fit.ts';
import { knnParamSpecs } from './params.ts';
import { predictKnn } from './predict.ts';

export function kNearestNeighbors(given: Record<string, unknown> = {}): Learner {
  const params = resolveParams('knn', knnParamSpecs, given);
  const tasks: Task[] = ['binary', 'multiclass', 'regression'];
  return {
    kind: 'knn',
    params,
    tasks,
    fit(X: Matrix, y, task, K, options) {
      requireTask('knn', tasks, task);
      const state = fitKnn(
        X,
        y,
        task,
        K,
        params as { n_neighbors: number; weights: string; algorithm: string; leaf_size: number },
        options?.sampleWeight,
      );
      return { kind: 'knn', task, state, predict: (Z: Matrix) => predictKnn(state, Z) };
    },
  };
}
