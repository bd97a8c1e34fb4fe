// Naive Bayes: Gaussian and categorical learners built on fit.ts; predictors in predict.ts.

import { type Learner, type Matrix, resolveParams, type Task } from '../../estimator/index.ts';
import { requireTask } from '../tasks.ts';
import { fitCategoricalNb, fitGaussianNb } from './fit.ts';
import { categoricalNbParamSpecs, gaussianNbParamSpecs } from './params.ts';
import { predictCategoricalNb, predictGaussianNb } from './predict.ts';

const TASKS: Task[] = ['binary', 'multiclass'];

export function gaussianNaiveBayes(given: Record<string, unknown> = {}): Learner {
  const params = resolveParams('gaussian_nb', gaussianNbParamSpecs, given);
  return {
    kind: 'gaussian_nb',
    params,
    tasks: TASKS,
    fit(X: Matrix, y, task, K, options) {
      requireTask('gaussian_nb', TASKS, task);
      const state = fitGaussianNb(X, y, K, params as { var_smoothing: number }, options?.sampleWeight);
      return { kind: 'gaussian_nb', task, state, predict: (Z: Matrix) => predictGaussianNb(state, Z) };
    },
  };
}

export function categoricalNaiveBayes(given: Record<string, unknown> = {}): Learner {
  const params = resolveParams('categorical_nb', categoricalNbParamSpecs, given);
  return {
    kind: 'categorical_nb',
    params,
    tasks: TASKS,
    fit(X: Matrix, y, task, K, options) {
      requireTask('categorical_nb', TASKS, task);
      const state = fitCategoricalNb(X, y, K, params as { alpha: number }, options?.sampleWeight);
      return { kind: 'categorical_nb', task, state, predict: (Z: Matrix) => predictCategoricalNb(state, Z) };
    },
  };
}
