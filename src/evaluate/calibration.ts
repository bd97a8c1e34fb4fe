// Decision thresholds and probability calibration for binary classifiers, fitted on held-out predictions:
// the threshold that maximises F1 (or minimises a cost matrix), Platt scaling and isotonic regression.
// Calibrators are plain JSON state plus a pure apply function, so they travel with a model.

import { KeelError } from '../core/index.ts';
import { EvaluateErrors } from './errors.ts';

export interface ThresholdChoice {
  threshold: number;
  /** F1 at the threshold, or the mean cost per row for a cost matrix */
  value: number;
}

/**
 * Scans every distinct score as a threshold (predict 1 when score >= threshold). With `cost` ({ fp, fn, tp?, tn? },
 * the cost of each outcome) the mean cost is minimised; otherwise F1 is maximised.
 */
export function tuneThreshold(
  yTrue: ArrayLike<number>,
  score: ArrayLike<number>,
  options: {
    cost?: { fp: number; fn: number; tp?: number; tn?: number };
    sampleWeight?: ArrayLike<number>;
  } = {},
): ThresholdChoice {
  const n = yTrue.length;
  if (score.length !== n || n === 0)
    throw new KeelError(EvaluateErrors.BAD_INPUT, `${n} labels but ${score.length} scores`);
  const w = (i: number) => (options.sampleWeight ? options.sampleWeight[i] : 1);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a]);
  let P = 0;
  let N = 0;
  for (let i = 0; i < n; i++) yTrue[i] === 1 ? (P += w(i)) : (N += w(i));
  const c = options.cost;
  // start above every score: everything predicted 0
  let tp = 0;
  let fp = 0;
  const evaluate = (): number => {
    if (c) return (fp * c.fp + (P - tp) * c.fn + tp * (c.tp ?? 0) + (N - fp) * (c.tn ?? 0)) / (P + N);
    const fn = P - tp;
    return 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  };
  const better = (v: number, best: number) => (c ? v < best : v > best);
  let best: ThresholdChoice = { threshold: Number.POSITIVE_INFINITY, value: evaluate() };
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (yTrue[i] === 1) tp += w(i);
    else fp += w(i);
    if (k < n - 1 && score[order[k + 1]] === score[i]) continue;
    const v = evaluate();
    if (better(v, best.value)) best = { threshold: score[i], value: v };
  }
  return best;
}

export { applyCalibrator, type CalibratorState } from '../estimator/index.ts';

import type { CalibratorState } from '../estimator/index.ts';

/**
 * Platt scaling: p = 1 / (1 + exp(a s + b)), fitted by Newton's method on the log loss with Platt's smoothed
 * targets ((N+ + 1)/(N+ + 2) and 1/(N- + 2)) so it does not overfit small sets.
 */
export function fitPlatt(score: ArrayLike<number>, yTrue: ArrayLike<number>): CalibratorState {
  const n = score.length;
  let pos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === 1) pos++;
  const neg = n - pos;
  if (pos === 0 || neg === 0)
    throw new KeelError(EvaluateErrors.BAD_INPUT, 'Platt scaling needs both classes');
  const hiT = (pos + 1) / (pos + 2);
  const loT = 1 / (neg + 2);
  let a = 0;
  let b = Math.log((neg + 1) / (pos + 1));
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i++) {
      const t = yTrue[i] === 1 ? hiT : loT;
      const p = 1 / (1 + Math.exp(a * score[i] + b));
      // d(loss)/d(a s + b) = t - p for this parameterisation
      const g = t - p;
      const h = p * (1 - p);
      ga += g * score[i];
      gb += g;
      haa += h * score[i] * score[i];
      hab += h * score[i];
      hbb += h;
    }
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) break;
  }
  return { kind: 'platt', a, b };
}

/** Isotonic regression (pool adjacent violators) of y on the score: a non-decreasing step map. */
export function fitIsotonic(
  score: ArrayLike<number>,
  yTrue: ArrayLike<number>,
  w?: ArrayLike<number>,
): CalibratorState {
  const n = score.length;
  if (n === 0) throw new KeelError(EvaluateErrors.BAD_INPUT, 'isotonic calibration needs rows');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  // blocks of tied scores first, then pooled while they violate the order
  const xs: number[] = [];
  const sums: number[] = [];
  const weights: number[] = [];
  for (const i of order) {
    const wi = w ? w[i] : 1;
    const yi = yTrue[i] === 1 ? 1 : 0;
    if (xs.length && xs[xs.length - 1] === score[i]) {
      sums[sums.length - 1] += wi * yi;
      weights[weights.length - 1] += wi;
    } else {
      xs.push(score[i]);
      sums.push(wi * yi);
      weights.push(wi);
    }
  }
  const blockStart: number[] = [];
  const bSum: number[] = [];
  const bW: number[] = [];
  for (let j = 0; j < xs.length; j++) {
    blockStart.push(j);
    bSum.push(sums[j]);
    bW.push(weights[j]);
    while (
      bSum.length > 1 &&
      bSum[bSum.length - 2] / bW[bW.length - 2] >= bSum[bSum.length - 1] / bW[bW.length - 1]
    ) {
      const s = bSum.pop() as number;
      const ww = bW.pop() as number;
      blockStart.pop();
      bSum[bSum.length - 1] += s;
      bW[bW.length - 1] += ww;
    }
  }
  // each block keeps its first and last score so interpolation is flat inside a block
  const x: number[] = [];
  const y: number[] = [];
  for (let b = 0; b < blockStart.length; b++) {
    const first = blockStart[b];
    const last = b + 1 < blockStart.length ? blockStart[b + 1] - 1 : xs.length - 1;
    const v = bSum[b] / bW[b];
    x.push(xs[first]);
    y.push(v);
    if (last !== first) {
      x.push(xs[last]);
      y.push(v);
    }
  }
  return { kind: 'isotonic', x, y };
}
