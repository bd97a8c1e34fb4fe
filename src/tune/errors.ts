// The tune room's error catalog.

import { codesOf, type ErrorEntry } from '../core/index.ts';

export const TUNE_CATALOG = {
  BAD_DISTRIBUTION: {
    code: 'TUNE_BAD_DISTRIBUTION',
    status: 400,
    meaning: 'a distribution with impossible bounds, step or choices; details name the param',
  },
  INCOMPATIBLE_PARAM: {
    code: 'TUNE_INCOMPATIBLE_PARAM',
    status: 400,
    meaning: 'the same param name suggested with a different distribution within one study',
  },
  BAD_VALUE: {
    code: 'TUNE_BAD_VALUE',
    status: 422,
    meaning: 'an objective returned a value that is not a finite number, or the wrong number of values',
  },
  NO_COMPLETED_TRIALS: {
    code: 'TUNE_NO_COMPLETED_TRIALS',
    status: 409,
    meaning: 'asked for a best trial before any trial completed',
  },
  STUDY_MISMATCH: {
    code: 'TUNE_STUDY_MISMATCH',
    status: 409,
    meaning: 'a stored study whose directions differ from the ones asked for, or a trial told twice',
  },
  STORAGE_CORRUPT: {
    code: 'TUNE_STORAGE_CORRUPT',
    status: 422,
    meaning: 'a study journal that cannot be read',
  },
  TRIAL_PRUNED: {
    code: 'TUNE_TRIAL_PRUNED',
    status: 409,
    meaning:
      'thrown by an objective (or by trial.prune()) to stop a trial the pruner gave up on; not a failure',
  },
  WORKER_FAILED: {
    code: 'TUNE_WORKER_FAILED',
    status: 500,
    meaning: 'a trial worker thread could not load the objective module or died',
  },
  BAD_OPTION: {
    code: 'TUNE_BAD_OPTION',
    status: 400,
    meaning: 'bad options to optimize(), a sampler or a pruner',
  },
} as const satisfies Record<string, ErrorEntry>;

export const TuneErrors = codesOf(TUNE_CATALOG);
