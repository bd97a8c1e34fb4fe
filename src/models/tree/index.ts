// The tree family: CART decision tree, random forest and extra trees, built on fit.ts; predictors in predict.ts.

import { type Learner, type Matrix, resolveParams, type Task } from '../../estimator/index.ts';
import { requireTask } from '../tasks.ts';
import { fitTrees } from './fit.ts';
import { decisionTreeParamSpecs, forestParamSpecs, type TreeParams } from './params.ts';
import { predictTrees } from './predict.ts';

const TASKS: Task[] = ['binary', 'multiclass', 'regression'];

function treeLearner(
  kind: 'decision_tree' | 'random_forest' | 'extra_trees',
  given: Record<string, unknown>,
): Learner {
  const defaults = kind === 'extra_trees' ? { bootstrap: false } : {};
  const params = resolveParams(kind, kind === 'decision_tree' ? decisionTreeParamSpecs : forestParamSpecs, {
    ...defaults,
    ...given,
  });
  return {
    kind,
    params,
    tasks: TASKS,
    fit(X: Matrix, y, task, K, options) {
      requireTask(kind, TASKS, task);
      const forest = kind === 'decision_tree' ? null : { randomThresholds: kind === 'extra_trees' };
      const state = fitTrees(X, y, task, K, params as unknown as TreeParams, forest, options?.sampleWeight);
      return { kind, task, state, predict: (Z: Matrix) => predictTrees(state, Z) };
    },
  };
}

export const decisionTree = (given: Record<string, unknown> = {}): Learner =>
  treeLearner('decision_tree', given);
export const randomForest = (given: Record<string, unknown> = {}): Learner =>
  treeLearner('random_forest', given);
export const extraTrees = (given: Record<string, unknown> = {}): Learner => treeLearner('extra_trees', given);
