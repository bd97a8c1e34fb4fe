// k-nearest neighbours: the learner from the descriptor in family.ts; the predictor (KD-tree or brute force) in
// predict.ts.

import { type Learner, learnerOf } from '../../estimator/index.ts';
import { knnFamily } from './family.ts';

export { FAMILIES } from './family.ts';

export const kNearestNeighbors = (given: Record<string, unknown> = {}): Learner =>
  learnerOf(knnFamily, given);
