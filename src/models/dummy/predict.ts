// Inference of the dummy baseline: every row gets the fitted prior (or constant), whatever its features.

import { type Matrix, type ModelOutput, type Predictor, predictorOf } from '../../estimator/index.ts';
import type { DummyState } from './state.ts';

export function predictDummy(s: DummyState, X: Matrix): ModelOutput {
  const width = s.values.length;
  const out = new Float64Array(X.rows * width);
  for (let i = 0; i < X.rows; i++) out.set(s.values, i * width);
  return s.task === 'regression'
    ? { kind: 'values', values: out }
    : { kind: 'probabilities', classes: width, values: out };
}

/** The kinds this folder scores, for the predictor table (models/inference.ts); family.ts describes each kind. */
export const PREDICTORS: Readonly<Record<string, Predictor>> = {
  dummy: predictorOf(predictDummy),
};
