// Curves: ROC (with scikit-learn's drop of collinear points), precision-recall, and the calibration curve
// (uniform or quantile bins). Scores: higher means more likely the positive class 1.

import { KeelError } from '../core/index.ts';
import { EvaluateErrors } from './errors.ts';

/** Cumulative weighted true / false positives at each distinct score, highest score first. */
export function binaryCurve(yTrue: ArrayLike<number>, score: ArrayLike<number>, w?: ArrayLike<number>) {
  const n = yTrue.length;
  if (score.length !== n)
    throw new KeelError(EvaluateErrors.BAD_INPUT, `${n} labels but ${score.length} scores`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a]);
  const tps: number[] = [];
  const fps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const wi = w ? w[i] : 1;
    if (yTrue[i] === 1) tp += wi;
    else fp += wi;
    if (k === n - 1 || score[order[k + 1]] !== score[i]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(score[i]);
    }
  }
  return { tps, fps, thresholds };
}

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** descending; the first is +Infinity (the point (0, 0)) */
  thresholds: number[];
}

export function rocCurve(
  yTrue: ArrayLike<number>,
  score: ArrayLike<number>,
  options: { sampleWeight?: ArrayLike<number>; dropIntermediate?: boolean } = {},
): RocCurve {
  let { tps, fps, thresholds } = binaryCurve(yTrue, score, options.sampleWeight);
  if ((options.dropIntermediate ?? true) && fps.length > 2) {
    // keep a point only where the curve bends (second differences of both coordinates)
    const keep: number[] = [0];
    for (let k = 1; k < fps.length - 1; k++) {
      if (fps[k + 1] - 2 * fps[k] + fps[k - 1] !== 0 || tps[k + 1] - 2 * tps[k] + tps[k - 1] !== 0)
        keep.push(k);
    }
    keep.push(fps.length - 1);
    tps = keep.map((k) => tps[k]);
    fps = keep.map((k) => fps[k]);
    thresholds = keep.map((k) => thresholds[k]);
  }
  const P = tps[tps.length - 1];
  const N = fps[fps.length - 1];
  if (P <= 0 || N <= 0) throw new KeelError(EvaluateErrors.UNDEFINED, 'a ROC curve needs both classes');
  return {
    fpr: [0, ...fps.map((v) => v / N)],
    tpr: [0, ...tps.map((v) => v / P)],
    thresholds: [Number.POSITIVE_INFINITY, ...thresholds],
  };
}

export interface PrCurve {
  /** by increasing threshold, ending with precision 1 at recall 0, as scikit-learn returns them */
  precision: number[];
  recall: number[];
  thresholds: number[];
}

export function precisionRecallCurve(
  yTrue: ArrayLike<number>,
  score: ArrayLike<number>,
  sampleWeight?: ArrayLike<number>,
): PrCurve {
  const { tps, fps, thresholds } = binaryCurve(yTrue, score, sampleWeight);
  const P = tps[tps.length - 1];
  if (P <= 0) throw new KeelError(EvaluateErrors.UNDEFINED, 'a precision-recall curve needs positives');
  const precision = tps.map((t, k) => (t + fps[k] === 0 ? 0 : t / (t + fps[k])));
  const recall = tps.map((t) => t / P);
  return {
    precision: [...precision.reverse(), 1],
    recall: [...recall.reverse(), 0],
    thresholds: [...thresholds].reverse(),
  };
}

export interface CalibrationCurve {
  /** fraction of positives per non-empty bin */
  fractionPositive: number[];
  /** mean predicted probability per non-empty bin */
  meanPredicted: number[];
  /** rows per non-empty bin */
  counts: number[];
}

/** Reliability diagram data; bins as scikit-learn's calibration_curve (a value on an inner edge goes to the left bin). */
export function calibrationCurve(
  yTrue: ArrayLike<number>,
  prob: ArrayLike<number>,
  options: { bins?: number; strategy?: 'uniform' | 'quantile' } = {},
): CalibrationCurve {
  const nBins = options.bins ?? 5;
  const n = yTrue.length;
  for (let i = 0; i < n; i++) {
    if (!(prob[i] >= 0 && prob[i] <= 1))
      throw new KeelError(EvaluateErrors.BAD_INPUT, `probability outside [0, 1] at row ${i}`);
  }
  let edges: number[];
  if ((options.strategy ?? 'uniform') === 'uniform')
    edges = Array.from({ length: nBins + 1 }, (_, k) => k / nBins);
  else {
    const sorted = Float64Array.from(prob).sort();
    // numpy's default (linear) percentile
    edges = Array.from({ length: nBins + 1 }, (_, k) => {
      const pos = (k / nBins) * (n - 1);
      const lo = Math.floor(pos);
      const hi = Math.min(lo + 1, n - 1);
      return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    });
  }
  const inner = edges.slice(1, -1);
  const sums = new Float64Array(edges.length);
  const trues = new Float64Array(edges.length);
  const totals = new Float64Array(edges.length);
  for (let i = 0; i < n; i++) {
    // first inner edge >= p (searchsorted, side left)
    let lo = 0;
    let hi = inner.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (inner[mid] < prob[i]) lo = mid + 1;
      else hi = mid;
    }
    sums[lo] += prob[i];
    trues[lo] += yTrue[i] === 1 ? 1 : 0;
    totals[lo]++;
  }
  const out: CalibrationCurve = { fractionPositive: [], meanPredicted: [], counts: [] };
  for (let b = 0; b < edges.length; b++) {
    if (totals[b] === 0) continue;
    out.fractionPositive.push(trues[b] / totals[b]);
    out.meanPredicted.push(sums[b] / totals[b]);
    out.counts.push(totals[b]);
  }
  return out;
}
