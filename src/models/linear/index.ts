// The linear family: learners (logistic regression, ridge) built on fit.ts, predictors from predict.ts.

import { type Learner, type Matrix, resolveParams, type Task } from '../../estimator/index.ts';
import { requireTask } from '../tasks.ts';
import { fitLogistic, fitRidge } from './fit.ts';
import {
  elasticNetParamSpecs,
  lassoParamSpecs,
  logisticParamSpecs,
  ridgeParamSpecs,
  svmParamSpecs,
} from './params.ts';
import { predictLinearSvm, predictLogistic, predictRidge } from './predict.ts';
import { fitElasticNet, fitSparseLogistic } from './sparse.ts';
import type { LogisticState, RidgeState } from './state.ts';
import { fitLinearSvm } from './svm.ts';

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
      const pr = params as { C: number; max_iter: number; tol: number; penalty: string; l1_ratio: number };
      const state =
        pr.penalty === 'l2'
          ? fitLogistic(X, y, nClasses, pr, options?.sampleWeight)
          : fitSparseLogistic(
              X,
              y,
              nClasses,
              { ...pr, l1_ratio: pr.penalty === 'l1' ? 1 : pr.l1_ratio },
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

function penalisedRegression(kind: 'lasso' | 'elastic_net', given: Record<string, unknown>): Learner {
  const params = resolveParams(kind, kind === 'lasso' ? lassoParamSpecs : elasticNetParamSpecs, given);
  const tasks: Task[] = ['regression'];
  return {
    kind,
    params,
    tasks,
    fit(X: Matrix, y, task, _nClasses, options) {
      requireTask(kind, tasks, task);
      const p = params as { alpha: number; l1_ratio?: number; max_iter: number; tol: number };
      const state = fitElasticNet(
        X,
        y,
        { ...p, l1_ratio: kind === 'lasso' ? 1 : (p.l1_ratio as number) },
        options?.sampleWeight,
      );
      return { kind, task, state, predict: (Z: Matrix) => predictRidge(state, Z) };
    },
  };
}

/** L1-penalised least squares (scikit-learn's Lasso objective). */
export function lassoRegression(given: Record<string, unknown> = {}): Learner {
  return penalisedRegression('lasso', given);
}

/** L1 + L2 penalised least squares (scikit-learn's ElasticNet objective). */
export function elasticNetRegression(given: Record<string, unknown> = {}): Learner {
  return penalisedRegression('elastic_net', given);
}

/** Linear support vector classifier (hinge or squared hinge); scores are not calibrated probabilities. */
export function linearSvm(given: Record<string, unknown> = {}): Learner {
  const params = resolveParams('linear_svm', svmParamSpecs, given);
  const tasks: Task[] = ['binary', 'multiclass'];
  return {
    kind: 'linear_svm',
    params,
    tasks,
    fit(X: Matrix, y, task, K, options) {
      requireTask('linear_svm', tasks, task);
      const state = fitLinearSvm(
        X,
        y,
        K,
        params as { C: number; loss: string; max_iter: number; tol: number; seed: number },
        options?.sampleWeight,
      );
      return { kind: 'linear_svm', task, state, predict: (Z: Matrix) => predictLinearSvm(state, Z) };
    },
  };
}
