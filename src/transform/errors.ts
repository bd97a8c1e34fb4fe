// The transform room's error catalog.

import { codesOf, type ErrorEntry } from '../core/index.ts';

export const TRANSFORM_CATALOG = {
  UNKNOWN_KIND: {
    code: 'TRANSFORM_UNKNOWN_KIND',
    status: 422,
    meaning: 'a fitted step of a kind this version of Keel does not know',
  },
  NOT_NUMERIC: {
    code: 'TRANSFORM_NOT_NUMERIC',
    status: 400,
    meaning: 'a column that must be numeric (or a record value not yet read by the value layer) is not',
  },
  MISSING_COLUMN: {
    code: 'TRANSFORM_MISSING_COLUMN',
    status: 400,
    meaning: 'a step or expression names a column the frame lacks',
  },
  BAD_PIPELINE: {
    code: 'TRANSFORM_BAD_PIPELINE',
    status: 400,
    meaning:
      'a pipeline that cannot fit or score as built (target, task, step order, a category reaching the model)',
  },
  BAD_PARAM: {
    code: 'TRANSFORM_BAD_PARAM',
    status: 400,
    meaning: 'a transformer option out of range or of the wrong type',
  },
  BAD_EXPRESSION: {
    code: 'TRANSFORM_BAD_EXPRESSION',
    status: 400,
    meaning: 'a feature expression that does not parse; details give the position',
  },
  NEEDS_MODEL: {
    code: 'TRANSFORM_NEEDS_MODEL',
    status: 500,
    meaning: 'a pipeline with a model step scored without a resolver for that model kind',
  },
} as const satisfies Record<string, ErrorEntry>;

export const TransformErrors = codesOf(TRANSFORM_CATALOG);
