// The isolation forest: the unsupervised learner built on fit.ts; anomaly scores from predict.ts.

import {
  type Matrix,
  type ParamSpecs,
  resolveParams,
  type UnsupervisedLearner,
} from '../../estimator/index.ts';
import { fitIsolationForest } from './fit.ts';
import { scoreIsolation } from './predict.ts';

const isolationParamSpecs = {
  n_estimators: { type: 'number', default: 100, min: 1, integer: true },
  /** rows per tree (ψ) */
  max_samples: { type: 'number', default: 256, min: 2, integer: true },
  seed: { type: 'number', default: 0, integer: true },
} as const satisfies ParamSpecs;

export function isolationForest(given: Record<string, unknown> = {}): UnsupervisedLearner {
  const params = resolveParams('isolation_forest', isolationParamSpecs, given);
  return {
    kind: 'isolation_forest',
    params,
    fit(X: Matrix) {
      const state = fitIsolationForest(
        X,
        params as { n_estimators: number; max_samples: number; seed: number },
      );
      return { kind: 'isolation_forest', state, width: 1, apply: (Z: Matrix) => scoreIsolation(state, Z) };
    },
  };
}
