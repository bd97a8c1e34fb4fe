// The boosting objectives: starting scores, gradients and hessians, and the loss that early stopping watches.
// Classification: logistic (binary), softmax (multi-class). Regression: squared, absolute, Huber, quantile, Poisson.

import { KeelError } from '../../core/index.ts';
import { EstimatorErrors, type Task } from '../../estimator/index.ts';
import { softmaxRows } from './predict.ts';

export type Objective = 'logistic' | 'softmax' | 'squared' | 'absolute' | 'huber' | 'quantile' | 'poisson';

export interface LossParams {
  huber_delta: number;
  quantile_alpha: number;
}

export function objectiveOf(task: Task, loss: string): Objective {
  if (task === 'binary') return 'logistic';
  if (task === 'multiclass') return 'softmax';
  if (loss === 'auto') return 'squared';
  if (['squared', 'absolute', 'huber', 'quantile', 'poisson'].includes(loss)) return loss as Objective;
  throw new KeelError(EstimatorErrors.BAD_PARAM, `loss "${loss}" does not apply to regression`, {
    param: 'loss',
  });
}

export function weightedQuantile(y: Float64Array, w: Float64Array, q: number): number {
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => y[a] - y[b]);
  let total = 0;
  for (let i = 0; i < y.length; i++) total += w[i];
  let acc = 0;
  for (const i of order) {
    acc += w[i];
    if (acc >= q * total) return y[i];
  }
  return y[order[order.length - 1]];
}

export function initialScores(
  o: Objective,
  y: Float64Array,
  w: Float64Array | null,
  K: number,
  lp: LossParams,
): Float64Array {
  let wSum = 0;
  if (w) for (let i = 0; i < y.length; i++) wSum += w[i];
  else wSum = y.length;
  const clip = (q: number) => Math.min(Math.max(q, 1e-12), 1 - 1e-12);
  switch (o) {
    case 'logistic': {
      let pos = 0;
      for (let i = 0; i < y.length; i++) pos += (w ? w[i] : 1) * y[i];
      const q = clip(pos / wSum);
      return Float64Array.of(Math.log(q / (1 - q)));
    }
    case 'softmax': {
      const freq = new Float64Array(K);
      for (let i = 0; i < y.length; i++) freq[y[i]] += w ? w[i] : 1;
      return Float64Array.from(freq, (c) => Math.log(clip(c / wSum)));
    }
    case 'absolute':
      return Float64Array.of(weightedQuantile(y, w ?? new Float64Array(y.length).fill(1), 0.5));
    case 'quantile':
      return Float64Array.of(weightedQuantile(y, w ?? new Float64Array(y.length).fill(1), lp.quantile_alpha));
    case 'poisson': {
      let s = 0;
      for (let i = 0; i < y.length; i++) s += (w ? w[i] : 1) * y[i];
      return Float64Array.of(Math.log(Math.max(s / wSum, 1e-12)));
    }
    default: {
      let s = 0;
      for (let i = 0; i < y.length; i++) s += (w ? w[i] : 1) * y[i];
      return Float64Array.of(s / wSum);
    }
  }
}

/**
 * Gradient and hessian of every row's raw scores (rows × T), interleaved: gh[2(iT + k)] and gh[2(iT + k) + 1]. With
 * one score per row that is the row store's own layout, so the kernel reads them where they are written. Weights
 * null: every row weighs 1 (the same products, without an array of ones).
 */
export function gradients(
  o: Objective,
  F: Float64Array,
  y: Float64Array,
  w: Float64Array | null,
  T: number,
  gh: Float64Array,
  lp: LossParams,
): void {
  const n = y.length;
  if (o === 'softmax') {
    const P = Float64Array.from(F);
    softmaxRows(P, n, T);
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      for (let k = 0; k < T; k++) {
        const q = P[i * T + k];
        gh[2 * (i * T + k)] = wi * (q - (y[i] === k ? 1 : 0));
        gh[2 * (i * T + k) + 1] = wi * Math.max(q * (1 - q), 1e-16);
      }
    }
    return;
  }
  if (o === 'logistic') {
    // its own loop (the hottest objective): one exp per row, e = exp(-|f|) giving the sigmoid on either side
    for (let i = 0; i < n; i++) {
      const f = F[i];
      const e = Math.exp(-Math.abs(f));
      const q = f >= 0 ? 1 / (1 + e) : e / (1 + e);
      const wi = w ? w[i] : 1;
      gh[2 * i] = wi * (q - y[i]);
      gh[2 * i + 1] = wi * Math.max(q * (1 - q), 1e-16);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const f = F[i];
    const r = f - y[i];
    let g: number;
    let h = 1;
    switch (o) {
      case 'absolute':
        g = Math.sign(r);
        break;
      case 'huber':
        g = Math.abs(r) <= lp.huber_delta ? r : lp.huber_delta * Math.sign(r);
        break;
      case 'quantile':
        g = y[i] > f ? -lp.quantile_alpha : 1 - lp.quantile_alpha;
        break;
      case 'poisson': {
        const mu = Math.exp(f);
        g = mu - y[i];
        h = Math.max(mu, 1e-16);
        break;
      }
      default:
        g = r;
    }
    const wi = w ? w[i] : 1;
    gh[2 * i] = wi * g;
    gh[2 * i + 1] = wi * h;
  }
}

/** Mean weighted loss of raw scores (rows × T): what early stopping minimises. */
export function lossValue(
  o: Objective,
  raw: Float64Array,
  y: Float64Array,
  w: Float64Array,
  T: number,
  lp: LossParams,
): number {
  let loss = 0;
  let total = 0;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    let e: number;
    const f = raw[i * T];
    switch (o) {
      case 'softmax': {
        let max = Number.NEGATIVE_INFINITY;
        for (let k = 0; k < T; k++) max = Math.max(max, raw[i * T + k]);
        let s = 0;
        for (let k = 0; k < T; k++) s += Math.exp(raw[i * T + k] - max);
        e = max + Math.log(s) - raw[i * T + y[i]];
        break;
      }
      case 'logistic':
        e = (f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f))) - y[i] * f;
        break;
      case 'absolute':
        e = Math.abs(f - y[i]);
        break;
      case 'huber': {
        const a = Math.abs(f - y[i]);
        e = a <= lp.huber_delta ? 0.5 * a * a : lp.huber_delta * (a - 0.5 * lp.huber_delta);
        break;
      }
      case 'quantile':
        e = y[i] >= f ? lp.quantile_alpha * (y[i] - f) : (1 - lp.quantile_alpha) * (f - y[i]);
        break;
      case 'poisson':
        e = Math.exp(f) - y[i] * f;
        break;
      default:
        e = 0.5 * (f - y[i]) ** 2;
    }
    loss += w[i] * e;
    total += w[i];
  }
  return loss / total;
}
