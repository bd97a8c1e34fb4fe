// The estimator room's error catalog.

export const EstimatorErrors = {
  /** a param value out of range or of the wrong type; details name the param */
  BAD_PARAM: 'ESTIMATOR_BAD_PARAM',
  /** a learner asked to fit a task it does not support */
  BAD_TASK: 'ESTIMATOR_BAD_TASK',
  /** input shape or values unusable for fitting */
  BAD_INPUT: 'ESTIMATOR_BAD_INPUT',
  /** an artifact whose bytes do not decode or whose checksum does not match */
  ARTIFACT_CORRUPT: 'ESTIMATOR_ARTIFACT_CORRUPT',
  /** a training worker thread failed or stopped making progress */
  WORKER_FAILED: 'ESTIMATOR_WORKER_FAILED',
  /** no predictor registered for a model kind */
  UNKNOWN_KIND: 'ESTIMATOR_UNKNOWN_KIND',
} as const;
