// The family list: one line per family folder. Everything that lists model kinds — the learner factory, aliases,
// `keel tune`'s default spaces, the CLI's help, `keel models families` — is derived from these descriptors; the
// predictor table (inference.ts) lists the same folders' predict.ts, and a test checks the two lists agree.

import type { FamilyDescriptor } from '../estimator/index.ts';
import { FAMILIES as bayes } from './bayes/index.ts';
import { FAMILIES as boosting } from './boosting/index.ts';
import { FAMILIES as dummy } from './dummy/index.ts';
import { FAMILIES as linear } from './linear/index.ts';
import { FAMILIES as neighbors } from './neighbors/index.ts';
import { FAMILIES as neural } from './neural/index.ts';
import { FAMILIES as tree } from './tree/index.ts';

export const FAMILY_LIST: readonly FamilyDescriptor[] = [
  ...linear,
  ...boosting,
  ...tree,
  ...bayes,
  ...neighbors,
  ...neural,
  ...dummy,
];
