// evaluate: splits and metrics (definitions match scikit-learn's).

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
export { classificationMetrics, type MetricSet, primaryMetric, regressionMetrics } from './report.ts';
export { randomSplit, type SplitIndices, stratifiedSplit } from './split.ts';
