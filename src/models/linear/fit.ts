// Training of the linear family: L2 logistic regression by L-BFGS (one fused pass per evaluation for two classes), ridge regression in closed form.

import { choleskySolve, minimizeLbfgs } from '../../core/index.ts';
import { type FeatureArray, type Matrix, requireFinite } from '../../estimator/index.ts';
import { instantiate, sharedMemory } from '../engine/wasm.ts';
import { linearPassesModule, type WasmLinearPass } from './kernels-wasm.ts';
import type { LogisticState, RidgeState } from './state.ts';

export function fitLogistic(
  X: Matrix,
  y: Float64Array,
  nClasses: number,
  params: { C: number; max_iter: number; tol: number },
  weight?: Float64Array,
  /** 'js' forces the JavaScript loops (tests compare the two engines) */
  engine: 'wasm' | 'js' = 'wasm',
): LogisticState {
  const { rows: n, cols: p, data } = X;
  checkFinite(X);
  const w = weight ?? new Float64Array(n).fill(1);
  let wSum = 0;
  for (let i = 0; i < n; i++) wSum += w[i];
  // objective scaled by 1 / sum(w) so the gradient tolerance means the same on any data size
  const l2 = 1 / (params.C * wSum);
  const rowsK = nClasses === 2 ? 1 : nClasses;
  const dim = rowsK * (p + 1);
  const z = new Float64Array(n * rowsK);
  const fg = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    if (rowsK === 1) return binaryPass(theta, grad) + penalty(theta, grad);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const base = i * p;
      for (let k = 0; k < rowsK; k++) {
        const off = k * (p + 1);
        let s = theta[off + p];
        for (let j = 0; j < p; j++) s += theta[off + j] * data[base + j];
        z[i * rowsK + k] = s;
      }
    }
    for (let i = 0; i < n; i++) {
      const base = i * p;
      const wi = w[i] / wSum;
      if (wi === 0) continue;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < rowsK; k++) max = Math.max(max, z[i * rowsK + k]);
      let sum = 0;
      for (let k = 0; k < rowsK; k++) sum += Math.exp(z[i * rowsK + k] - max);
      const lse = max + Math.log(sum);
      const yi = y[i];
      loss += wi * (lse - z[i * rowsK + yi]);
      for (let k = 0; k < rowsK; k++) {
        const r = wi * (Math.exp(z[i * rowsK + k] - lse) - (k === yi ? 1 : 0));
        const off = k * (p + 1);
        for (let j = 0; j < p; j++) grad[off + j] += r * data[base + j];
        grad[off + p] += r;
      }
    }
    return loss + penalty(theta, grad);
  };
  /** The L2 term: adds its gradient, returns its value. */
  const penalty = (theta: Float64Array, grad: Float64Array): number => {
    let loss = 0;
    for (let k = 0; k < rowsK; k++) {
      const off = k * (p + 1);
      for (let j = 0; j < p; j++) {
        loss += 0.5 * l2 * theta[off + j] * theta[off + j];
        grad[off + j] += l2 * theta[off + j];
      }
    }
    return loss;
  };
  const kernels = rowsK === 1 && engine === 'wasm' ? linearKernels(data, n, p) : null;
  /**
   * Two classes through the WebAssembly passes, a window of rows at a time: the rows are copied into a small reused
   * window (fresh memory for a whole copy of X costs ~1 s of page faults per 224 MB here), then margins, loss and
   * residuals here, then the gradient — both passes read the window from cache. Same order of additions as binaryPass.
   */
  const binaryKernelPass = (k: LinearKernels, theta: Float64Array, grad: Float64Array): number => {
    k.theta.set(theta);
    k.grad.fill(0);
    const r = k.r;
    let loss = 0;
    let g0 = 0;
    for (let from = 0; from < n; from += k.rows) {
      const m = Math.min(k.rows, n - from);
      k.margins(from, m);
      for (let q = 0; q < m; q++) {
        const i = from + q;
        const wi = w[i] / wSum;
        if (wi === 0) {
          r[q] = 0;
          continue;
        }
        const s = r[q];
        const yi = y[i];
        const e = Math.exp(-Math.abs(s));
        loss += wi * (Math.max(s, 0) + Math.log1p(e) - yi * s);
        const ri = wi * ((s >= 0 ? 1 / (1 + e) : e / (1 + e)) - yi);
        r[q] = ri;
        g0 += ri;
      }
      k.gradAccum(m);
    }
    for (let j = 0; j < p; j++) grad[j] += k.grad[j];
    grad[p] += g0;
    return loss;
  };
  /** Two classes: margin, loss and gradient in one pass over each row, one exp per row. */
  const binaryPass = (theta: Float64Array, grad: Float64Array): number => {
    if (kernels) return binaryKernelPass(kernels, theta, grad);
    let loss = 0;
    let g0 = 0;
    for (let i = 0; i < n; i++) {
      const wi = w[i] / wSum;
      if (wi === 0) continue;
      const base = i * p;
      let s = theta[p];
      for (let j = 0; j < p; j++) s += theta[j] * data[base + j];
      const yi = y[i];
      // e = exp(-|s|) gives both softplus(s) and sigmoid(s) without overflow
      const e = Math.exp(-Math.abs(s));
      loss += wi * (Math.max(s, 0) + Math.log1p(e) - yi * s);
      const r = wi * ((s >= 0 ? 1 / (1 + e) : e / (1 + e)) - yi);
      for (let j = 0; j < p; j++) grad[j] += r * data[base + j];
      g0 += r;
    }
    grad[p] += g0;
    return loss;
  };
  const res = minimizeLbfgs(fg, new Float64Array(dim), { maxIter: params.max_iter, gradTol: params.tol });
  const coef = new Float64Array(rowsK * p);
  const intercept = new Float64Array(rowsK);
  for (let k = 0; k < rowsK; k++) {
    for (let j = 0; j < p; j++) coef[k * p + j] = res.x[k * (p + 1) + j];
    intercept[k] = res.x[k * (p + 1) + p];
  }
  return { classes: nClasses, features: p, coef, intercept };
}

export function fitRidge(
  X: Matrix,
  y: Float64Array,
  params: { alpha: number },
  weight?: Float64Array,
): RidgeState {
  const { rows: n, cols: p, data } = X;
  checkFinite(X);
  const w = weight ?? new Float64Array(n).fill(1);
  let wSum = 0;
  const xMean = new Float64Array(p);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    wSum += w[i];
    yMean += w[i] * y[i];
    for (let j = 0; j < p; j++) xMean[j] += w[i] * data[i * p + j];
  }
  yMean /= wSum;
  for (let j = 0; j < p; j++) xMean[j] /= wSum;
  const A = new Float64Array(p * p);
  const b = new Float64Array(p);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) row[j] = data[i * p + j] - xMean[j];
    const wi = w[i];
    const yc = y[i] - yMean;
    for (let j = 0; j < p; j++) {
      const wr = wi * row[j];
      b[j] += wr * yc;
      for (let k = 0; k <= j; k++) A[j * p + k] += wr * row[k];
    }
  }
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < j; k++) A[k * p + j] = A[j * p + k];
    // a tiny jitter keeps constant (e.g. all-zero one-hot) columns solvable when alpha is 0
    A[j * p + j] += params.alpha + 1e-10;
  }
  const coef = choleskySolve(A, b, p);
  let intercept = yMean;
  for (let j = 0; j < p; j++) intercept -= coef[j] * xMean[j];
  return { features: p, coef, intercept };
}

function checkFinite(X: Matrix): void {
  requireFinite(X.data, X.cols, 'linear models');
}

interface LinearKernels {
  /** rows in the window */
  rows: number;
  /** p + 1 coefficients (intercept last) */
  theta: Float64Array;
  /** the window's margins after margins(), then the per-row residuals gradAccum() reads */
  r: Float64Array;
  /** p gradient sums gradAccum() adds into */
  grad: Float64Array;
  /** copies rows [from, from + m) into the window and writes their margins to r */
  margins: (from: number, m: number) => void;
  /** adds r[q] × the window's row q to grad, for q < m */
  gradAccum: (m: number) => void;
}

/** bytes of rows the window holds: small enough that both passes over it read from cache */
const WINDOW_BYTES = 1 << 19;

/** A window for rows of the design matrix in WebAssembly memory with the two passes over it, or null (JavaScript then). */
function linearKernels(data: FeatureArray, n: number, p: number): LinearKernels | null {
  const module = linearPassesModule();
  if (!module) return null;
  const rows = Math.max(1, Math.min(n, Math.floor(WINDOW_BYTES / (8 * p))));
  const align = (x: number) => Math.ceil(x / 16) * 16;
  const xAt = 0;
  const thetaAt = align(rows * p * 8);
  const rAt = align(thetaAt + (p + 1) * 8);
  const gradAt = align(rAt + rows * 8);
  const memory = sharedMemory(gradAt + p * 8);
  if (!memory) return null;
  const buffer = memory.buffer;
  const window = new Float64Array(buffer, xAt, rows * p);
  const ex = instantiate(module, memory);
  const margins = ex.margins as WasmLinearPass;
  const gradAccum = ex.gradAccum as WasmLinearPass;
  return {
    rows,
    theta: new Float64Array(buffer, thetaAt, p + 1),
    r: new Float64Array(buffer, rAt, rows),
    grad: new Float64Array(buffer, gradAt, p),
    margins: (from, m) => {
      window.set(data.subarray(from * p, (from + m) * p));
      margins(xAt, thetaAt, m, p, rAt);
    },
    gradAccum: (m) => gradAccum(xAt, rAt, m, p, gradAt),
  };
}
