/**
 * evaluate: splits and metrics (definitions match scikit-learn's).
 *
 * ## Example (runs in the test suite)
 *
 * {@includeCode ../../examples/api/evaluate.ts}
 *
 * @module keel/evaluate
 */

export {
  applyCalibrator,
  type CalibratorState,
  fitIsotonic,
  fitPlatt,
  type ThresholdChoice,
  tuneThreshold,
} from './calibration.ts';
export {
  type Average,
  type AveragedScores,
  balancedAccuracy,
  brierScore,
  type ConfusionMatrix,
  cohenKappa,
  confusionMatrix,
  matthewsCorrcoef,
  precisionRecallFscore,
} from './classification.ts';
export {
  type CalibrationCurve,
  calibrationCurve,
  type PrCurve,
  precisionRecallCurve,
  type RocCurve,
  rocCurve,
} from './curves.ts';
export {
  type Fold,
  groupKFold,
  kFold,
  repeatedKFold,
  stratifiedKFold,
  type TimeSeriesOptions,
  timeSeriesFolds,
} from './cv.ts';
export { EVALUATE_CATALOG, EvaluateErrors } from './errors.ts';
export {
  randomOverSample,
  randomUnderSample,
  type SamplingOptions,
  type SmoteOptions,
  smote,
} from './imbalance.ts';
export {
  accuracy,
  averagePrecision,
  logLoss,
  logLossBinary,
  macroPrecisionRecallF1,
  meanAbsoluteError,
  meanSquaredError,
  type PrecisionRecallF1,
  precisionRecallF1,
  r2Score,
  rocAuc,
  rocAucOvr,
} from './metrics.ts';
export {
  meanAbsolutePercentageError,
  meanPinballLoss,
  meanPoissonDeviance,
  medianAbsoluteError,
  rootMeanSquaredError,
} from './regression.ts';
export {
  classificationMetrics,
  type MetricSet,
  predictedClasses,
  primaryMetric,
  regressionMetrics,
} from './report.ts';
export {
  groupSplit,
  randomSplit,
  type SplitIndices,
  stratifiedSplit,
  type ThreeWaySplit,
  timeSplit,
  trainValidationTestSplit,
} from './split.ts';
export {
  type CrossValidateOptions,
  type CrossValidation,
  type CurvePoint,
  crossValidate,
  type FoldResult,
  type FrameLearner,
  type FrameModel,
  learningCurve,
  metricsBySlice,
  type Resampler,
  type SliceMetrics,
  scoreModel,
  summarise,
  validationCurve,
} from './validate.ts';
