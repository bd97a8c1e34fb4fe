// The multilayer perceptron: the learner built on fit.ts; the predictor in predict.ts.

import { type Learner, type Matrix, resolveParams, type Task } from '../../estimator/index.ts';
import { requireTask } from '../tasks.ts';
import { fitMlp } from './fit.ts';
import { type MlpParams, mlpParamSpecs } from './params.ts';
import { predictMlp } from './predict.ts';

export function multilayerPerceptron(given: Record<string, unknown> = {}): Learner {
  const params = resolveParams('mlp', mlpParamSpecs, given);
  const tasks: Task[] = ['binary', 'multiclass', 'regression'];
  return {
    kind: 'mlp',
    params,
    tasks,
    fit(X: Matrix, y, task, K, options) {
      requireTask('mlp', tasks, task);
      const state = fitMlp(
        X,
        y,
        task,
        K,
        params as unknown as MlpParams,
        options?.sampleWeight,
        options?.onProgress,
        options?.onIteration,
      );
      return { kind: 'mlp', task, state, predict: (Z: Matrix) => predictMlp(state, Z) };
    },
  };
}
