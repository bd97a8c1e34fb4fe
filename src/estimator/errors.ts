// The estimator room's error catalog.

import { codesOf, type ErrorEntry } from '../core/index.ts';

export const ESTIMATOR_CATALOG = {
  BAD_PARAM: {
    code: 'ESTIMATOR_BAD_PARAM',
    status: 400,
    meaning: 'a param value out of range or of the wrong type; details name the param',
  },
  BAD_TASK: {
    code: 'ESTIMATOR_BAD_TASK',
    status: 400,
    meaning: 'a learner asked to fit a task it does not support',
  },
  BAD_INPUT: {
    code: 'ESTIMATOR_BAD_INPUT',
    status: 400,
    meaning: 'input shape or values unusable for fitting',
  },
  ARTIFACT_CORRUPT: {
    code: 'ESTIMATOR_ARTIFACT_CORRUPT',
    status: 422,
    meaning: 'an artifact whose bytes do not decode or whose checksum does not match',
  },
  WORKER_FAILED: {
    code: 'ESTIMATOR_WORKER_FAILED',
    status: 500,
    meaning: 'a training worker thread failed or stopped making progress',
  },
  UNKNOWN_KIND: {
    code: 'ESTIMATOR_UNKNOWN_KIND',
    status: 400,
    meaning: 'no predictor registered for a model kind',
  },
  UNSUPPORTED: {
    code: 'ESTIMATOR_UNSUPPORTED',
    status: 500,
    meaning: 'this runtime lacks something the model needs (WebAssembly)',
  },
} as const satisfies Record<string, ErrorEntry>;

export const EstimatorErrors = codesOf(ESTIMATOR_CATALOG);
