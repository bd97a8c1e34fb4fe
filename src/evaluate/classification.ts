// Classification metrics built on a (weighted) confusion matrix, with scikit-learn's definitions: averaged
// precision / recall / F1 (binary, macro, micro, weighted; zero_division = 0), balanced accuracy, Matthews
// correlation, Cohen's kappa (plain, linear, quadratic) and the Brier score. Labels are integer class codes.

import { KeelError } from '../core/index.ts';
import { EvaluateErrors } from './errors.ts';
import { checkWeights } from './metrics.ts';

function weightsOf(n: number, w?: ArrayLike<number>): (i: number) => number {
  checkWeights(n, w);
  return w ? (i) => w[i] : () => 1;
}

function checkLengths(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length)
    throw new KeelError(EvaluateErrors.BAD_INPUT, `${a.length} labels but ${b.length} predictions`);
}

export interface ConfusionMatrix {
  /** the class codes, ascending: those present in either the truth or the predictions unless given */
  labels: number[];
  /** rows = true class, columns = predicted class, row-major labels.length² (weighted counts) */
  counts: Float64Array;
}

export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: { labels?: number[]; sampleWeight?: ArrayLike<number> } = {},
): ConfusionMatrix {
  checkLengths(yTrue, yPred);
  const w = weightsOf(yTrue.length, options.sampleWeight);
  let labels = options.labels;
  if (!labels) {
    const seen = new Set<number>();
    for (let i = 0; i < yTrue.length; i++) {
      seen.add(yTrue[i]);
      seen.add(yPred[i]);
    }
    labels = [...seen].sort((a, b) => a - b);
  }
  const index = new Map(labels.map((l, k) => [l, k]));
  const K = labels.length;
  const counts = new Float64Array(K * K);
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]);
    const p = index.get(yPred[i]);
    if (t !== undefined && p !== undefined) counts[t * K + p] += w(i);
  }
  return { labels, counts };
}

/** Row sums (true class), column sums (predicted class), the diagonal and the total of a confusion matrix. */
export function margins(cm: ConfusionMatrix): {
  actual: number[];
  predicted: number[];
  hits: number[];
  total: number;
} {
  const K = cm.labels.length;
  const actual = new Array<number>(K).fill(0);
  const predicted = new Array<number>(K).fill(0);
  const hits = new Array<number>(K).fill(0);
  let total = 0;
  for (let i = 0; i < K; i++) {
    hits[i] = cm.counts[i * K + i];
    for (let j = 0; j < K; j++) {
      const c = cm.counts[i * K + j];
      actual[i] += c;
      predicted[j] += c;
      total += c;
    }
  }
  return { actual, predicted, hits, total };
}

export type Average = 'binary' | 'macro' | 'micro' | 'weighted';

export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
  /** F-beta when beta was given (equals f1 for beta = 1) */
  fbeta: number;
}

const safeDiv = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Precision, recall and F-beta averaged as scikit-learn's precision_recall_fscore_support (zero_division = 0). */
export function precisionRecallFscore(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: { average?: Average; positive?: number; beta?: number; sampleWeight?: ArrayLike<number> } = {},
): AveragedScores {
  const average = options.average ?? 'binary';
  const beta2 = (options.beta ?? 1) ** 2;
  const cm = confusionMatrix(yTrue, yPred, { sampleWeight: options.sampleWeight });
  const K = cm.labels.length;
  const { actual, predicted, hits: tp } = margins(cm);
  const score = (t: number, p: number, a: number): AveragedScores => {
    const precision = safeDiv(t, p);
    const recall = safeDiv(t, a);
    const fb = safeDiv((1 + beta2) * t, (1 + beta2) * t + beta2 * (a - t) + (p - t));
    const f1 = safeDiv(2 * t, 2 * t + (a - t) + (p - t));
    return { precision, recall, f1, fbeta: fb };
  };
  if (average === 'binary') {
    const k = cm.labels.indexOf(options.positive ?? 1);
    if (k < 0) return { precision: 0, recall: 0, f1: 0, fbeta: 0 };
    return score(tp[k], predicted[k], actual[k]);
  }
  if (average === 'micro') {
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    return score(sum(tp), sum(predicted), sum(actual));
  }
  const per = cm.labels.map((_, k) => score(tp[k], predicted[k], actual[k]));
  const totalSupport = actual.reduce((a, b) => a + b, 0);
  const wts = per.map((_, k) => (average === 'weighted' ? safeDiv(actual[k], totalSupport) : 1 / K));
  const avg = (f: (s: AveragedScores) => number) => per.reduce((s, p, k) => s + wts[k] * f(p), 0);
  return {
    precision: avg((s) => s.precision),
    recall: avg((s) => s.recall),
    f1: avg((s) => s.f1),
    fbeta: avg((s) => s.fbeta),
  };
}

/** Mean recall over the classes present in the truth. */
export function balancedAccuracy(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  w?: ArrayLike<number>,
): number {
  const { actual, hits } = margins(confusionMatrix(yTrue, yPred, { sampleWeight: w }));
  let sum = 0;
  let classes = 0;
  for (let k = 0; k < actual.length; k++) {
    if (actual[k] === 0) continue;
    sum += hits[k] / actual[k];
    classes++;
  }
  return sum / classes;
}

/** Matthews correlation coefficient (the multi-class R_K form; 0 when undefined). */
export function matthewsCorrcoef(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  w?: ArrayLike<number>,
): number {
  const { actual, predicted, hits, total: s } = margins(confusionMatrix(yTrue, yPred, { sampleWeight: w }));
  let c = 0;
  let tp = 0;
  let tt = 0;
  let pp = 0;
  for (let k = 0; k < actual.length; k++) {
    c += hits[k];
    tp += actual[k] * predicted[k];
    tt += actual[k] * actual[k];
    pp += predicted[k] * predicted[k];
  }
  const den = Math.sqrt((s * s - pp) * (s * s - tt));
  return den === 0 ? 0 : (c * s - tp) / den;
}

/** Cohen's kappa between two labelings, optionally with linear or quadratic disagreement weights. */
export function cohenKappa(
  y1: ArrayLike<number>,
  y2: ArrayLike<number>,
  options: { weights?: 'linear' | 'quadratic'; sampleWeight?: ArrayLike<number> } = {},
): number {
  const cm = confusionMatrix(y1, y2, { sampleWeight: options.sampleWeight });
  const K = cm.labels.length;
  const { actual: rows, predicted: cols, total } = margins(cm);
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      const d =
        options.weights === 'linear'
          ? Math.abs(i - j)
          : options.weights === 'quadratic'
            ? (i - j) ** 2
            : i === j
              ? 0
              : 1;
      observed += d * cm.counts[i * K + j];
      expected += (d * rows[i] * cols[j]) / total;
    }
  }
  return 1 - observed / expected;
}

/** Brier score of the probability of the positive class (1). */
export function brierScore(yTrue: ArrayLike<number>, p1: ArrayLike<number>, w?: ArrayLike<number>): number {
  checkLengths(yTrue, p1);
  const wi = weightsOf(yTrue.length, w);
  let s = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    s += wi(i) * ((yTrue[i] === 1 ? 1 : 0) - p1[i]) ** 2;
    total += wi(i);
  }
  return s / total;
}
