// Gradient-boosted trees: the learner from the descriptor in family.ts; predictors live in predict.ts.

import { type Learner, learnerOf } from '../../estimator/index.ts';
import { gradientBoostingFamily } from './family.ts';

export { FAMILIES } from './family.ts';
export { predictBoosting, rawScores } from './predict.ts';
export type { BoostingState } from './state.ts';

export const gradientBoosting = (given: Record<string, unknown> = {}): Learner =>
  learnerOf(gradientBoostingFamily, given);
