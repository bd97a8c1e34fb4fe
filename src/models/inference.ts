// Predictors only: inference code of every model family, keyed by kind. Imports no training code: each family
// folder's predict.ts lists the kinds it scores (one line per folder here, the same folders as families.ts).

import { KeelError } from '../core/index.ts';
import { EstimatorErrors, type Matrix, type Predictor, type State } from '../estimator/index.ts';
import { scoreIsolation } from './anomaly/predict.ts';
import type { IsolationForestState } from './anomaly/state.ts';
import { PREDICTORS as bayes } from './bayes/predict.ts';
import { PREDICTORS as boosting } from './boosting/predict.ts';
import { predictKMeans } from './cluster/predict.ts';
import type { KMeansState } from './cluster/state.ts';
import { transformPca } from './decomposition/predict.ts';
import type { PcaState } from './decomposition/state.ts';
import { PREDICTORS as dummy } from './dummy/predict.ts';
import { PREDICTORS as linear } from './linear/predict.ts';
import { PREDICTORS as neighbors } from './neighbors/predict.ts';
import { PREDICTORS as neural } from './neural/predict.ts';
import { PREDICTORS as tree } from './tree/predict.ts';

export const predictors: Readonly<Record<string, Predictor>> = {
  ...linear,
  ...boosting,
  ...tree,
  ...bayes,
  ...neighbors,
  ...neural,
  ...dummy,
};

export function predictorFor(kind: string): Predictor {
  const p = predictors[kind];
  if (!p) throw new KeelError(EstimatorErrors.UNKNOWN_KIND, `no predictor for model kind "${kind}"`);
  return p;
}

/** Inference of the unsupervised families: cluster index, projection, or anomaly score per row. */
export const appliers: Readonly<Record<string, (state: State, X: Matrix) => Float64Array>> = {
  kmeans: (s, X) => predictKMeans(s as KMeansState, X),
  pca: (s, X) => transformPca(s as PcaState, X),
  isolation_forest: (s, X) => scoreIsolation(s as IsolationForestState, X),
};
