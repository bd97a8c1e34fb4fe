/**
 * models: the model families (learners) and, through inference.ts, their predictors.
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/models.ts}
 *
 * @module keel/models
 */

import { KeelError } from '../core/index.ts';
import {
  EstimatorErrors,
  type FamilyDescriptor,
  type Learner,
  learnerOf,
  type UnsupervisedLearner,
} from '../estimator/index.ts';
import { isolationForest } from './anomaly/index.ts';
import { kMeans } from './cluster/index.ts';
import { pca } from './decomposition/index.ts';
import { FAMILY_LIST } from './families.ts';

export { categoricalNaiveBayes, gaussianNaiveBayes } from './bayes/index.ts';
export { gradientBoosting } from './boosting/index.ts';
export { FAMILY_LIST } from './families.ts';
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

/** Supervised families by kind, and every alias to its kind (from the descriptors). */
export const families: ReadonlyMap<string, FamilyDescriptor> = new Map(FAMILY_LIST.map((d) => [d.kind, d]));
const aliases: ReadonlyMap<string, string> = new Map(
  FAMILY_LIST.flatMap((d) => (d.aliases ?? []).map((a): [string, string] => [a, d.kind])),
);

export const modelKinds: readonly string[] = FAMILY_LIST.map((d) => d.kind);

/** The descriptor of a kind or alias; a coded error lists the known ones. */
export function familyOf(kind: string): FamilyDescriptor {
  const d = families.get(aliases.get(kind) ?? kind);
  if (!d) {
    throw new KeelError(
      EstimatorErrors.UNKNOWN_KIND,
      `unknown model "${kind}" (known: ${modelKinds.join(', ')})`,
    );
  }
  return d;
}

export function createLearner(kind: string, params: Record<string, unknown> = {}): Learner {
  return learnerOf(familyOf(kind), params);
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
