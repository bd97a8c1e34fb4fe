import { type Matrix, requireFinite } from '../../estimator/index.ts';
import { sigmoid } from './predict.ts';
import type { LogisticState, RidgeState } from './state.ts';

function finite(X: Matrix): void {
  requireFinite(X.data, X.cols, 'linear models');
}

/**
 * Minimises (1 / 2n) Σ sᵢ (yᵢ − xᵢβ − b)² + α ρ ‖β‖₁ + α (1 − ρ) / 2 ‖β‖², with sample weights s scaled to sum to n
 * and the intercept b unpenalised (as scikit-learn's ElasticNet; Lasso is ρ = 1).
 */
export function fitElasticNet(
  X: Matrix,
  y: Float64Array,
  p: { alpha: number; l1_ratio: number; max_iter: number; tol: number },
  weight?: Float64Array,
): RidgeState {
  finite(X);
  const { rows: n, cols: d, data } = X;
  const sw = new Float64Array(n);
  let wsum = 0;
  for (let i = 0; i < n; i++) wsum += weight ? weight[i] : 1;
  for (let i = 0; i < n; i++) sw[i] = ((weight ? weight[i] : 1) * n) / wsum;
  const xMean = new Float64Array(d);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += sw[i] * y[i];
    for (let j = 0; j < d; j++) xMean[j] += sw[i] * data[i * d + j];
  }
  yMean /= n;
  for (let j = 0; j < d; j++) xMean[j] /= n;
  // column-major centred copy for fast coordinate sweeps
  const Xc = new Float64Array(n * d);
  const z = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) {
      const v = data[i * d + j] - xMean[j];
      Xc[j * n + i] = v;
      z[j] += sw[i] * v * v;
    }
    z[j] /= n;
  }
  const r = Float64Array.from(y, (v) => v - yMean);
  const beta = new Float64Array(d);
  const l1 = p.alpha * p.l1_ratio;
  const l2 = p.alpha * (1 - p.l1_ratio);
  for (let iter = 0; iter < p.max_iter; iter++) {
    let maxDelta = 0;
    let maxBeta = 0;
    for (let j = 0; j < d; j++) {
      if (z[j] === 0) continue;
      const col = j * n;
      const old = beta[j];
      let rho = 0;
      for (let i = 0; i < n; i++) rho += sw[i] * Xc[col + i] * (r[i] + Xc[col + i] * old);
      rho /= n;
      const m = Math.abs(rho) - l1;
      const next = m > 0 ? (Math.sign(rho) * m) / (z[j] + l2) : 0;
      if (next !== old) {
        const delta = next - old;
        for (let i = 0; i < n; i++) r[i] -= delta * Xc[col + i];
        beta[j] = next;
        maxDelta = Math.max(maxDelta, Math.abs(delta));
      }
      maxBeta = Math.max(maxBeta, Math.abs(beta[j]));
    }
    if (maxDelta <= p.tol * Math.max(maxBeta, 1e-12)) break;
  }
  let intercept = yMean;
  for (let j = 0; j < d; j++) intercept -= beta[j] * xMean[j];
  return { features: d, coef: beta, intercept };
}

/**
 * Minimises (1 / W) Σ sᵢ lossᵢ + (1 / (C W)) [ρ ‖w‖₁ + (1 − ρ) / 2 ‖w‖²] (scikit-learn's penalty='l1' is ρ = 1,
 * 'elasticnet' any ρ), binary or multinomial, intercepts unpenalised, by FISTA with backtracking.
 */
export function fitSparseLogistic(
  X: Matrix,
  y: Float64Array,
  nClasses: number,
  p: { C: number; l1_ratio: number; max_iter: number; tol: number },
  weight?: Float64Array,
): LogisticState {
  finite(X);
  const { rows: n, cols: d, data } = X;
  const w = weight ?? new Float64Array(n).fill(1);
  let W = 0;
  for (let i = 0; i < n; i++) W += w[i];
  const K = nClasses === 2 ? 1 : nClasses;
  const dim = K * (d + 1);
  const lam1 = p.l1_ratio / (p.C * W);
  const lam2 = (1 - p.l1_ratio) / (p.C * W);
  const zbuf = new Float64Array(n * K);
  const smooth = (theta: Float64Array, grad: Float64Array | null): number => {
    grad?.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) {
        const off = k * (d + 1);
        let s = theta[off + d];
        for (let j = 0; j < d; j++) s += theta[off + j] * data[i * d + j];
        zbuf[i * K + k] = s;
      }
      const wi = w[i] / W;
      if (K === 1) {
        const s = zbuf[i];
        loss += wi * ((s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s))) - y[i] * s);
        if (grad) {
          const g = wi * (sigmoid(s) - y[i]);
          for (let j = 0; j < d; j++) grad[j] += g * data[i * d + j];
          grad[d] += g;
        }
      } else {
        let max = Number.NEGATIVE_INFINITY;
        for (let k = 0; k < K; k++) max = Math.max(max, zbuf[i * K + k]);
        let sum = 0;
        for (let k = 0; k < K; k++) sum += Math.exp(zbuf[i * K + k] - max);
        const lse = max + Math.log(sum);
        loss += wi * (lse - zbuf[i * K + y[i]]);
        if (grad) {
          for (let k = 0; k < K; k++) {
            const g = wi * (Math.exp(zbuf[i * K + k] - lse) - (k === y[i] ? 1 : 0));
            const off = k * (d + 1);
            for (let j = 0; j < d; j++) grad[off + j] += g * data[i * d + j];
            grad[off + d] += g;
          }
        }
      }
    }
    for (let k = 0; k < K; k++) {
      const off = k * (d + 1);
      for (let j = 0; j < d; j++) {
        loss += 0.5 * lam2 * theta[off + j] * theta[off + j];
        if (grad) grad[off + j] += lam2 * theta[off + j];
      }
    }
    return loss;
  };
  const prox = (v: Float64Array, step: number, out: Float64Array) => {
    for (let k = 0; k < K; k++) {
      const off = k * (d + 1);
      for (let j = 0; j < d; j++) {
        const a = v[off + j];
        const m = Math.abs(a) - step * lam1;
        out[off + j] = m > 0 ? Math.sign(a) * m : 0; // exact zeros, never -0
      }
      out[off + d] = v[off + d];
    }
  };
  let x = new Float64Array(dim);
  let yk = new Float64Array(dim);
  let t = 1;
  let L = 1;
  const g = new Float64Array(dim);
  const trial = new Float64Array(dim);
  const tmp = new Float64Array(dim);
  for (let iter = 0; iter < p.max_iter; iter++) {
    const fy = smooth(yk, g);
    // backtracking on the Lipschitz estimate
    for (;;) {
      for (let q = 0; q < dim; q++) tmp[q] = yk[q] - g[q] / L;
      prox(tmp, 1 / L, trial);
      let quad = fy;
      for (let q = 0; q < dim; q++) {
        const diff = trial[q] - yk[q];
        quad += g[q] * diff + 0.5 * L * diff * diff;
      }
      if (smooth(trial, null) <= quad + 1e-15) break;
      L *= 2;
    }
    let change = 0;
    let scale = 0;
    for (let q = 0; q < dim; q++) {
      change = Math.max(change, Math.abs(trial[q] - x[q]));
      scale = Math.max(scale, Math.abs(trial[q]));
    }
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const next = new Float64Array(dim);
    for (let q = 0; q < dim; q++) next[q] = trial[q] + ((t - 1) / tNext) * (trial[q] - x[q]);
    x = Float64Array.from(trial);
    yk = next;
    t = tNext;
    L = Math.max(L / 1.5, 1e-12);
    if (change <= p.tol * Math.max(scale, 1e-12) && iter > 10) break;
  }
  const coef = new Float64Array(K * d);
  const intercept = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < d; j++) coef[k * d + j] = x[k * (d + 1) + j];
    intercept[k] = x[k * (d + 1) + d];
  }
  return { classes: nClasses, features: d, coef, intercept };
}
