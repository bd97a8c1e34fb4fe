// Naive Bayes: Gaussian and categorical learners from the descriptors in family.ts; predictors in predict.ts.

import { type Learner, learnerOf } from '../../estimator/index.ts';
import { categoricalNbFamily, gaussianNbFamily } from './family.ts';

export { FAMILIES } from './family.ts';

export const gaussianNaiveBayes = (given: Record<string, unknown> = {}): Learner =>
  learnerOf(gaussianNbFamily, given);
export const categoricalNaiveBayes = (given: Record<string, unknown> = {}): Learner =>
  learnerOf(categoricalNbFamily, given);
