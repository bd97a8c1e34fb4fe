// Classification and regression metrics, with the same definitions as scikit-learn
// (binary positive class = 1, log loss clipped at float64 epsilon, ROC-AUC by the trapezoid over distinct thresholds).

import { KeelError } from '../core/index.ts';
import { binaryCurve } from './curves.ts';
import { EvaluateErrors } from './errors.ts';

const EPS = 2.220446049250313e-16;

/** A coded error when a weight vector does not have one weight per row. */
export function checkWeights(n: number, w?: ArrayLike<number>): void {
  if (w && w.length !== n) throw new KeelError(EvaluateErrors.BAD_INPUT, `${w.length} weights for ${n} rows`);
}

function wAt(w: ArrayLike<number> | undefined, i: number): number {
  return w ? w[i] : 1;
}

export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, w?: ArrayLike<number>): number {
  checkWeights(yTrue.length, w);
  let hit = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const wi = wAt(w, i);
    total += wi;
    if (yTrue[i] === yPred[i]) hit += wi;
  }
  return hit / total;
}

export interface PrecisionRecallF1 {
  precision: number;
  recall: number;
  f1: number;
}

/** Binary precision / recall / F1 of the positive class 1 (0 where undefined, as scikit-learn's zero_division=0). */
export function precisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  positive = 1,
  w?: ArrayLike<number>,
): PrecisionRecallF1 {
  checkWeights(yTrue.length, w);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const wi = wAt(w, i);
    const t = yTrue[i] === positive;
    const p = yPred[i] === positive;
    if (t && p) tp += wi;
    else if (p) fp += wi;
    else if (t) fn += wi;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  return { precision, recall, f1 };
}

/** Macro average over classes 0..K-1 of the one-vs-rest precision / recall / F1. */
export function macroPrecisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  K: number,
  w?: ArrayLike<number>,
): PrecisionRecallF1 {
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  for (let k = 0; k < K; k++) {
    const m = precisionRecallF1(yTrue, yPred, k, w);
    precision += m.precision;
    recall += m.recall;
    f1 += m.f1;
  }
  return { precision: precision / K, recall: recall / K, f1: f1 / K };
}

/** Cumulative true/false positive weights at each distinct threshold, with the totals P and N. */
function rankedCounts(yTrue: ArrayLike<number>, score: ArrayLike<number>, w?: ArrayLike<number>) {
  checkWeights(yTrue.length, w);
  const { tps, fps } = binaryCurve(yTrue, score, w);
  return { tps, fps, P: tps[tps.length - 1] ?? 0, N: fps[fps.length - 1] ?? 0 };
}

/** Binary ROC-AUC: y in {0, 1}, score = higher means more likely 1. */
export function rocAuc(yTrue: ArrayLike<number>, score: ArrayLike<number>, w?: ArrayLike<number>): number {
  const { tps, fps, P, N } = rankedCounts(yTrue, score, w);
  if (P === 0 || N === 0) {
    throw new KeelError(EvaluateErrors.UNDEFINED, 'ROC-AUC is undefined when only one class is present');
  }
  let area = 0;
  let prevT = 0;
  let prevF = 0;
  for (let k = 0; k < tps.length; k++) {
    area += ((fps[k] - prevF) * (tps[k] + prevT)) / 2;
    prevT = tps[k];
    prevF = fps[k];
  }
  return area / (P * N);
}

/** Average precision (area under the precision-recall step curve), as scikit-learn's average_precision_score. */
export function averagePrecision(
  yTrue: ArrayLike<number>,
  score: ArrayLike<number>,
  w?: ArrayLike<number>,
): number {
  const { tps, fps, P } = rankedCounts(yTrue, score, w);
  if (P === 0)
    throw new KeelError(EvaluateErrors.UNDEFINED, 'average precision is undefined without positives');
  let ap = 0;
  let prevRecall = 0;
  for (let k = 0; k < tps.length; k++) {
    const recall = tps[k] / P;
    const precision = tps[k] / (tps[k] + fps[k]);
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
  }
  return ap;
}

/** One-vs-rest ROC-AUC over K classes (macro, or weighted by each class's weighted support); probs is rows × K. */
export function rocAucOvr(
  yTrue: ArrayLike<number>,
  probs: Float64Array,
  K: number,
  w?: ArrayLike<number>,
  average: 'macro' | 'weighted' = 'macro',
): number {
  const n = yTrue.length;
  let sum = 0;
  let totalSupport = 0;
  for (let k = 0; k < K; k++) {
    const yk = new Float64Array(n);
    const sk = new Float64Array(n);
    let support = 0;
    for (let i = 0; i < n; i++) {
      yk[i] = yTrue[i] === k ? 1 : 0;
      sk[i] = probs[i * K + k];
      if (yk[i] === 1) support += wAt(w, i);
    }
    const auc = rocAuc(yk, sk, w);
    sum += average === 'weighted' ? support * auc : auc;
    totalSupport += support;
  }
  return average === 'weighted' ? sum / totalSupport : sum / K;
}

/** Binary log loss from the probability of class 1. */
export function logLossBinary(
  yTrue: ArrayLike<number>,
  p1: ArrayLike<number>,
  w?: ArrayLike<number>,
): number {
  let loss = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const p = Math.min(Math.max(p1[i], EPS), 1 - EPS);
    const wi = wAt(w, i);
    loss += wi * -(yTrue[i] === 1 ? Math.log(p) : Math.log(1 - p));
    total += wi;
  }
  return loss / total;
}

/** Multi-class log loss; probs is rows × K, clipped then renormalised per row as scikit-learn does. */
export function logLoss(
  yTrue: ArrayLike<number>,
  probs: Float64Array,
  K: number,
  w?: ArrayLike<number>,
): number {
  let loss = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.min(Math.max(probs[i * K + k], EPS), 1 - EPS);
    const py = Math.min(Math.max(probs[i * K + yTrue[i]], EPS), 1 - EPS) / sum;
    const wi = wAt(w, i);
    loss -= wi * Math.log(py);
    total += wi;
  }
  return loss / total;
}

export function meanSquaredError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  w?: ArrayLike<number>,
): number {
  let s = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = yTrue[i] - yPred[i];
    const wi = wAt(w, i);
    s += wi * d * d;
    total += wi;
  }
  return s / total;
}

export function meanAbsoluteError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  w?: ArrayLike<number>,
): number {
  let s = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const wi = wAt(w, i);
    s += wi * Math.abs(yTrue[i] - yPred[i]);
    total += wi;
  }
  return s / total;
}

export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, w?: ArrayLike<number>): number {
  let mean = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    mean += wAt(w, i) * yTrue[i];
    total += wAt(w, i);
  }
  mean /= total;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const wi = wAt(w, i);
    ssRes += wi * (yTrue[i] - yPred[i]) ** 2;
    ssTot += wi * (yTrue[i] - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}
