// The tune room's error catalog.

export const TuneErrors = {
  /** a distribution with impossible bounds, step or choices; details name the param */
  BAD_DISTRIBUTION: 'TUNE_BAD_DISTRIBUTION',
  /** the same param name suggested with a different distribution within one study */
  INCOMPATIBLE_PARAM: 'TUNE_INCOMPATIBLE_PARAM',
  /** an objective returned a value that is not a finite number, or the wrong number of values */
  BAD_VALUE: 'TUNE_BAD_VALUE',
  /** asked for a best trial before any trial completed */
  NO_COMPLETED_TRIALS: 'TUNE_NO_COMPLETED_TRIALS',
  /** a stored study whose directions differ from the ones asked for, or a trial told twice */
  STUDY_MISMATCH: 'TUNE_STUDY_MISMATCH',
  /** a study journal that cannot be read */
  STORAGE_CORRUPT: 'TUNE_STORAGE_CORRUPT',
  /** thrown by an objective (or by trial.prune()) to stop a trial the pruner gave up on; not a failure */
  TRIAL_PRUNED: 'TUNE_TRIAL_PRUNED',
  /** a trial worker thread could not load the objective module or died */
  WORKER_FAILED: 'TUNE_WORKER_FAILED',
  /** bad options to optimize(), a sampler or a pruner */
  BAD_OPTION: 'TUNE_BAD_OPTION',
} as const;
