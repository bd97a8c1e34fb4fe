// The linear family: learners from the descriptors in family.ts; predictors in predict.ts.

import { type Learner, learnerOf } from '../../estimator/index.ts';
import {
  elasticNetFamily,
  lassoFamily,
  linearSvmFamily,
  logisticRegressionFamily,
  ridgeFamily,
} from './family.ts';

export { FAMILIES } from './family.ts';
export { predictLogistic, predictRidge } from './predict.ts';
export type { LogisticState, RidgeState } from './state.ts';

export const logisticRegression = (given: Record<string, unknown> = {}): Learner =>
  learnerOf(logisticRegressionFamily, given);
export const ridgeRegression = (given: Record<string, unknown> = {}): Learner =>
  learnerOf(ridgeFamily, given);
/** L1-penalised least squares (scikit-learn's Lasso objective). */
export const lassoRegression = (given: Record<string, unknown> = {}): Learner =>
  learnerOf(lassoFamily, given);
/** L1 + L2 penalised least squares (scikit-learn's ElasticNet objective). */
export const elasticNetRegression = (given: Record<string, unknown> = {}): Learner =>
  learnerOf(elasticNetFamily, given);
/** Linear support vector classifier (hinge or squared hinge); scores are not calibrated probabilities. */
export const linearSvm = (given: Record<string, unknown> = {}): Learner => learnerOf(linearSvmFamily, given);
