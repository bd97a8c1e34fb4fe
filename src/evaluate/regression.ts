// Regression metrics beyond MSE / MAE / R² (metrics.ts), with scikit-learn's definitions and sample weights:
// RMSE, MAPE (|y| floored at float64 epsilon), median absolute error (the lower weighted median when weighted),
// mean Poisson deviance and mean pinball loss.

import { KeelError } from '../core/index.ts';
import { EvaluateErrors } from './errors.ts';
import { checkWeights, meanSquaredError } from './metrics.ts';

const EPS = 2.220446049250313e-16;

function check(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, w?: ArrayLike<number>): void {
  if (yTrue.length !== yPred.length) {
    throw new KeelError(EvaluateErrors.BAD_INPUT, `${yTrue.length} targets but ${yPred.length} predictions`);
  }
  checkWeights(yTrue.length, w);
}

function weightedMean(n: number, f: (i: number) => number, w?: ArrayLike<number>): number {
  let s = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    s += wi * f(i);
    total += wi;
  }
  return s / total;
}

export function rootMeanSquaredError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  w?: ArrayLike<number>,
): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred, w));
}

export function meanAbsolutePercentageError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  w?: ArrayLike<number>,
): number {
  check(yTrue, yPred, w);
  return weightedMean(
    yTrue.length,
    (i) => Math.abs(yPred[i] - yTrue[i]) / Math.max(Math.abs(yTrue[i]), EPS),
    w,
  );
}

export function medianAbsoluteError(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  w?: ArrayLike<number>,
): number {
  check(yTrue, yPred, w);
  const n = yTrue.length;
  const err = Float64Array.from({ length: n }, (_, i) => Math.abs(yPred[i] - yTrue[i]));
  if (!w) {
    const s = err.sort();
    return n % 2 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
  // the smallest error whose cumulative weight reaches half the total
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => err[a] - err[b]);
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i];
  const half = total / 2;
  let cum = 0;
  for (let k = 0; k < n; k++) {
    cum += w[order[k]];
    if (cum >= half) return err[order[k]];
  }
  return err[order[n - 1]];
}

/** Mean Poisson deviance; predictions must be positive and targets non-negative. */
export function meanPoissonDeviance(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  w?: ArrayLike<number>,
): number {
  check(yTrue, yPred, w);
  for (let i = 0; i < yTrue.length; i++) {
    if (!(yPred[i] > 0) || yTrue[i] < 0) {
      throw new KeelError(
        EvaluateErrors.BAD_INPUT,
        `Poisson deviance needs y >= 0 and predictions > 0 (row ${i})`,
      );
    }
  }
  return weightedMean(
    yTrue.length,
    (i) => {
      const y = yTrue[i];
      const mu = yPred[i];
      return 2 * ((y === 0 ? 0 : y * Math.log(y / mu)) - y + mu);
    },
    w,
  );
}

/** Mean pinball (quantile) loss at level alpha. */
export function meanPinballLoss(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  alpha = 0.5,
  w?: ArrayLike<number>,
): number {
  check(yTrue, yPred, w);
  if (!(alpha >= 0 && alpha <= 1))
    throw new KeelError(EvaluateErrors.BAD_INPUT, `pinball alpha must be in [0, 1], got ${alpha}`);
  return weightedMean(
    yTrue.length,
    (i) => {
      const d = yTrue[i] - yPred[i];
      return d >= 0 ? alpha * d : (alpha - 1) * d;
    },
    w,
  );
}
