// The dummy baseline: the learner from the descriptor in family.ts; the predictor in predict.ts.

import { type Learner, learnerOf } from '../../estimator/index.ts';
import { dummyFamily } from './family.ts';

export { FAMILIES } from './family.ts';

export const dummyBaseline = (given: Record<string, unknown> = {}): Learner => learnerOf(dummyFamily, given);
