// The tree family: CART decision tree, random forest and extra trees, from the descriptors in family.ts.

import { type Learner, learnerOf } from '../../estimator/index.ts';
import { decisionTreeFamily, extraTreesFamily, randomForestFamily } from './family.ts';

export { FAMILIES } from './family.ts';

export const decisionTree = (given: Record<string, unknown> = {}): Learner =>
  learnerOf(decisionTreeFamily, given);
export const randomForest = (given: Record<string, unknown> = {}): Learner =>
  learnerOf(randomForestFamily, given);
export const extraTrees = (given: Record<string, unknown> = {}): Learner =>
  learnerOf(extraTreesFamily, given);
