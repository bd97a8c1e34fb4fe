// The multilayer perceptron: the learner from the descriptor in family.ts; the predictor in predict.ts.

import { type Learner, learnerOf } from '../../estimator/index.ts';
import { mlpFamily } from './family.ts';

export { FAMILIES } from './family.ts';

export const multilayerPerceptron = (given: Record<string, unknown> = {}): Learner =>
  learnerOf(mlpFamily, given);
