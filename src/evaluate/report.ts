// Test-set metrics for a task, keyed in snake_case: what runs record and the CLI prints.

import type { Task } from '../estimator/index.ts';
import {
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
} from './metrics.ts';

export type MetricSet = Record<string, number>;

/** Each row's predicted class: argmax of rows × K probabilities, or for two classes p1 >= threshold where given. */
export function predictedClasses(
  probs: Float64Array,
  rows: number,
  K: number,
  threshold?: number,
): Float64Array {
  const yPred = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    if (K === 2 && threshold !== undefined) {
      yPred[i] = probs[i * 2 + 1] >= threshold ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let k = 1; k < K; k++) if (probs[i * K + k] > probs[i * K + best]) best = k;
    yPred[i] = best;
  }
  return yPred;
}

/**
 * Classification metrics from class indices and rows × K probabilities: argmax gives the predicted class, or for two
 * classes `threshold` on the second class's probability where the model has a decision threshold.
 */
export function classificationMetrics(
  yTrue: ArrayLike<number>,
  probs: Float64Array,
  K: number,
  threshold?: number,
): MetricSet {
  const n = yTrue.length;
  const yPred = predictedClasses(probs, n, K, threshold);
  if (K === 2) {
    const p1 = new Float64Array(n);
    for (let i = 0; i < n; i++) p1[i] = probs[i * 2 + 1];
    const prf = precisionRecallF1(yTrue, yPred, 1);
    return {
      roc_auc: rocAuc(yTrue, p1),
      pr_auc: averagePrecision(yTrue, p1),
      log_loss: logLossBinary(yTrue, p1),
      accuracy: accuracy(yTrue, yPred),
      precision: prf.precision,
      recall: prf.recall,
      f1: prf.f1,
    };
  }
  const prf = macroPrecisionRecallF1(yTrue, yPred, K);
  return {
    roc_auc: rocAucOvr(yTrue, probs, K),
    log_loss: logLoss(yTrue, probs, K),
    accuracy: accuracy(yTrue, yPred),
    precision: prf.precision,
    recall: prf.recall,
    f1: prf.f1,
  };
}

export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): MetricSet {
  const mse = meanSquaredError(yTrue, yPred);
  return { rmse: Math.sqrt(mse), mae: meanAbsoluteError(yTrue, yPred), r2: r2Score(yTrue, yPred) };
}

/** The metric that ranks models of a task, and whether higher is better. */
export function primaryMetric(task: Task): { name: string; higherIsBetter: boolean } {
  return task === 'regression'
    ? { name: 'rmse', higherIsBetter: false }
    : { name: 'roc_auc', higherIsBetter: true };
}
