// Predictors only: inference code of every model family, keyed by kind. Imports no training code.

import { KeelError } from '../core/index.ts';
import { EstimatorErrors, type Matrix, type Predictor, type State } from '../estimator/index.ts';
import { scoreIsolation } from './anomaly/predict.ts';
import type { IsolationForestState } from './anomaly/state.ts';
import { predictCategoricalNb, predictGaussianNb } from './bayes/predict.ts';
import type { CategoricalNbState, GaussianNbState } from './bayes/state.ts';
import { predictBoosting } from './boosting/predict.ts';
import type { BoostingState } from './boosting/state.ts';
import { predictKMeans } from './cluster/predict.ts';
import type { KMeansState } from './cluster/state.ts';
import { transformPca } from './decomposition/predict.ts';
import type { PcaState } from './decomposition/state.ts';
import { predictLinearSvm, predictLogistic, predictRidge } from './linear/predict.ts';
import type { LogisticState, RidgeState, SvmState } from './linear/state.ts';
import { predictKnn } from './neighbors/predict.ts';
import type { KnnState } from './neighbors/state.ts';
import { predictMlp } from './neural/predict.ts';
import type { MlpState } from './neural/state.ts';
import { predictTrees } from './tree/predict.ts';
import type { TreesState } from './tree/state.ts';

export const predictors: Readonly<Record<string, Predictor>> = {
  logistic_regression: (s: State, X) => predictLogistic(s as unknown as LogisticState, X),
  ridge: (s: State, X) => predictRidge(s as unknown as RidgeState, X),
  lasso: (s: State, X) => predictRidge(s as unknown as RidgeState, X),
  elastic_net: (s: State, X) => predictRidge(s as unknown as RidgeState, X),
  gradient_boosting: (s: State, X) => predictBoosting(s as unknown as BoostingState, X),
  gaussian_nb: (s: State, X) => predictGaussianNb(s as unknown as GaussianNbState, X),
  categorical_nb: (s: State, X) => predictCategoricalNb(s as unknown as CategoricalNbState, X),
  knn: (s: State, X) => predictKnn(s as unknown as KnnState, X),
  decision_tree: (s: State, X) => predictTrees(s as unknown as TreesState, X),
  random_forest: (s: State, X) => predictTrees(s as unknown as TreesState, X),
  extra_trees: (s: State, X) => predictTrees(s as unknown as TreesState, X),
  mlp: (s: State, X) => predictMlp(s as unknown as MlpState, X),
  linear_svm: (s: State, X) => predictLinearSvm(s as unknown as SvmState, X),
};

export function predictorFor(kind: string): Predictor {
  const p = predictors[kind];
  if (!p) throw new KeelError(EstimatorErrors.UNKNOWN_KIND, `no predictor for model kind "${kind}"`);
  return p;
}

/** Inference of the unsupervised families: cluster index, projection, or anomaly score per row. */
export const appliers: Readonly<Record<string, (state: State, X: Matrix) => Float64Array>> = {
  kmeans: (s, X) => predictKMeans(s as unknown as KMeansState, X),
  pca: (s, X) => transformPca(s as unknown as PcaState, X),
  isolation_forest: (s, X) => scoreIsolation(s as unknown as IsolationForestState, X),
};
