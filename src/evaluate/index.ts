// evaluate: splits and metrics (definitions match scikit-learn's).
export {
  accuracy,
  averagePrecision,
  logLoss,
  logLossBinary,
  macroPrecisionRecallF1,
  meanAbsoluteError,
  meanSquaredError,
  precisionRecallF1,
  r2Score,
  rocAuc,
  rocAucOvr,
  type PrecisionRecallF1,
} from './metrics.ts';
export { classificationMetrics, primaryMetric, regressionMetrics, type MetricSet } from './report.ts';
export { randomSplit, stratifiedSplit, type SplitIndices } from './split.ts';
