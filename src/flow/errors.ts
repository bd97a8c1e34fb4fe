// The flow room's error catalog.

import { codesOf, type ErrorEntry } from '../core/index.ts';

export const FLOW_CATALOG = {
  BAD_TARGET: { code: 'FLOW_BAD_TARGET', status: 400, meaning: 'the target is not a column of the data' },
  NO_MODEL: {
    code: 'FLOW_NO_MODEL',
    status: 422,
    meaning: "none of the models asked for can be trained on this data; the message gives each one's reason",
  },
  BAD_SOURCE: {
    code: 'FLOW_BAD_SOURCE',
    status: 400,
    meaning: 'a data source a job names cannot be used as given',
  },
  BAD_COLUMN: { code: 'FLOW_BAD_COLUMN', status: 400, meaning: 'an option names a column the data lacks' },
  TOO_FEW_ROWS: {
    code: 'FLOW_TOO_FEW_ROWS',
    status: 422,
    meaning: 'too few labelled rows to split, fit and evaluate',
  },
  UNSEEN_CLASS: {
    code: 'FLOW_UNSEEN_CLASS',
    status: 422,
    meaning: 'the test data has a class the training data lacks',
  },
  NO_SEARCH_SPACE: {
    code: 'FLOW_NO_SEARCH_SPACE',
    status: 400,
    meaning: 'a model family without a default search space, and none given',
  },
  NO_BEST: {
    code: 'FLOW_NO_BEST',
    status: 409,
    meaning: 'no trial of the study completed: nothing to train',
  },
  BAD_OPTION: {
    code: 'FLOW_BAD_OPTION',
    status: 400,
    meaning: 'a job option that is missing, out of range or contradicts another',
  },
} as const satisfies Record<string, ErrorEntry>;

export const FlowErrors = codesOf(FLOW_CATALOG);
