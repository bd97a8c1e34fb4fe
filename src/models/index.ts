// models: the model families (learners) and, through inference.ts, their predictors.

import { KeelError } from '../core/index.ts';
import { EstimatorErrors, type Learner, type UnsupervisedLearner } from '../estimator/index.ts';
import { isolationForest } from './anomaly/index.ts';
import { categoricalNaiveBayes, gaussianNaiveBayes } from './bayes/index.ts';
import { gradientBoosting } from './boosting/index.ts';
import { kMeans } from './cluster/index.ts';
import { pca } from './decomposition/index.ts';
import {
  elasticNetRegression,
  lassoRegression,
  linearSvm,
  logisticRegression,
  ridgeRegression,
} from './linear/index.ts';
import { kNearestNeighbors } from './neighbors/index.ts';
import { multilayerPerceptron } from './neural/index.ts';
import { decisionTree, extraTrees, randomForest } from './tree/index.ts';

export { categoricalNaiveBayes, gaussianNaiveBayes } from './bayes/index.ts';
export { gradientBoosting } from './boosting/index.ts';
export { appliers, predictorFor, predictors } from './inference.ts';
export {
  elasticNetRegression,
  lassoRegression,
  linearSvm,
  logisticRegression,
  ridgeRegression,
} from './linear/index.ts';
export { kNearestNeighbors } from './neighbors/index.ts';
export { multilayerPerceptron } from './neural/index.ts';
export { decisionTree, extraTrees, randomForest } from './tree/index.ts';

const families: Record<string, (params?: Record<string, unknown>) => Learner> = {
  logistic_regression: logisticRegression,
  ridge: ridgeRegression,
  lasso: lassoRegression,
  elastic_net: elasticNetRegression,
  gradient_boosting: gradientBoosting,
  gaussian_nb: gaussianNaiveBayes,
  categorical_nb: categoricalNaiveBayes,
  knn: kNearestNeighbors,
  decision_tree: decisionTree,
  random_forest: randomForest,
  extra_trees: extraTrees,
  mlp: multilayerPerceptron,
  linear_svm: linearSvm,
};

/** Short names accepted on the command line. */
const aliases: Record<string, string> = {
  logistic: 'logistic_regression',
  boosting: 'gradient_boosting',
  gbt: 'gradient_boosting',
  naive_bayes: 'gaussian_nb',
  nearest_neighbors: 'knn',
  cart: 'decision_tree',
  forest: 'random_forest',
  neural_net: 'mlp',
  svm: 'linear_svm',
};

export const modelKinds: readonly string[] = Object.keys(families);

export function createLearner(kind: string, params: Record<string, unknown> = {}): Learner {
  const name = aliases[kind] ?? kind;
  const make = families[name];
  if (!make) {
    throw new KeelError(
      EstimatorErrors.UNKNOWN_KIND,
      `unknown model "${kind}" (known: ${Object.keys(families).join(', ')})`,
    );
  }
  return make(params);
}

export { isolationForest } from './anomaly/index.ts';
export { kMeans } from './cluster/index.ts';
export { pca } from './decomposition/index.ts';

const unsupervised: Record<string, (params?: Record<string, unknown>) => UnsupervisedLearner> = {
  kmeans: kMeans,
  pca,
  isolation_forest: isolationForest,
};

/** Clustering, decomposition and anomaly scoring, by name. */
export function createUnsupervised(kind: string, params: Record<string, unknown> = {}): UnsupervisedLearner {
  const make = unsupervised[kind];
  if (!make)
    throw new KeelError(
      EstimatorErrors.UNKNOWN_KIND,
      `unknown unsupervised model "${kind}" (known: ${Object.keys(unsupervised).join(', ')})`,
    );
  return make(params);
}
