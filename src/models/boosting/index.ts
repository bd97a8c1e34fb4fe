// Gradient-boosted trees: the learner built on fit.ts; predictors live in predict.ts.

import { type Learner, type Matrix, resolveParams, type Task } from '../../estimator/index.ts';
import { requireTask } from '../tasks.ts';
import { fitBoosting } from './fit.ts';
import { type BoostingParams, boostingParamSpecs } from './params.ts';
import { predictBoosting } from './predict.ts';

export { predictBoosting, rawScores } from './predict.ts';
export type { BoostingState } from './state.ts';

export function gradientBoosting(given: Record<string, unknown> = {}): Learner {
  const params = resolveParams('gradient_boosting', boostingParamSpecs, given);
  const tasks: Task[] = ['binary', 'multiclass', 'regression'];
  return {
    kind: 'gradient_boosting',
    params,
    tasks,
    fit(X: Matrix, y, task, nClasses, options) {
      requireTask('gradient_boosting', tasks, task);
      const state = fitBoosting(
        X,
        y,
        task,
        nClasses,
        params as unknown as BoostingParams,
        options?.sampleWeight,
        options?.onProgress,
        options?.validation,
        options?.onIteration,
      );
      return { kind: 'gradient_boosting', task, state, predict: (Z: Matrix) => predictBoosting(state, Z) };
    },
  };
}
