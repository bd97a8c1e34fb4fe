// evaluate: splits and metrics (definitions match scikit-learn's).
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
export { classificationMetrics, type MetricSet, primaryMetric, regressionMetrics } from './report.ts';
export { randomSplit, type SplitIndices, stratifiedSplit } from './split.ts';
