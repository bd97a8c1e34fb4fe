// The linear family: learners (logistic regression, ridge) built on fit.ts, predictors from predict.ts.

import { type Learner, type Matrix, resolveParams, type Task } from '../../estimator/index.ts';
import { requireTask } from '../tasks.ts';
import { fitLogistic, fitRidge } from './fit.ts';
import { logisticParamSpecs, ridgeParamSpecs } from './params.ts';
import { predictLogistic, predictRidge } from './predict.ts';
import type { LogisticState, RidgeState } from './state.ts';

export { predictLogistic, predictRidge } from './predict.ts';
export type { LogisticState, RidgeState } from './state.ts';

export function logisticRegression(given: Record<string, unknown> = {}): Learner {
  const params = resolveParams('logistic_regression', logisticParamSpecs, given);
  const tasks: Task[] = ['binary', 'multiclass'];
  return {
    kind: 'logistic_regression',
    params,
    tasks,
    fit(X: Matrix, y, task, nClasses, options) {
      requireTask('logistic_regression', tasks, task);
      const state = fitLogistic(
        X,
        y,
        nClasses,
        params as { C: number; max_iter: number; tol: number },
        options?.sampleWeight,
      );
      return { kind: 'logistic_regression', task, state, predict: (Z: Matrix) => predictLogistic(state, Z) };
    },
  };
}

export function ridgeRegression(given: Record<string, unknown> = {}): Learner {
  const params = resolveParams('ridge', ridgeParamSpecs, given);
  const tasks: Task[] = ['regression'];
  return {
    kind: 'ridge',
    params,
    tasks,
    fit(X: Matrix, y, task, _nClasses, options) {
      requireTask('ridge', tasks, task);
      const state = fitRidge(X, y, params as { alpha: number }, options?.sampleWeight);
      return { kind: 'ridge', task, state, predict: (Z: Matrix) => predictRidge(state, Z) };
    },
  };
}

export type LinearState = LogisticState | RidgeState;
