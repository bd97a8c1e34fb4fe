// Parzen estimators for TPE: mixtures of truncated normals (numeric params, on the log scale where asked) and of
// smoothed one-hot kernels (categorical params), with a prior component so unexplored regions keep some mass.

import type { Rng } from '../../core/index.ts';
import type { Distribution } from '../distributions.ts';

/** The continuous box a numeric param is modelled in (discrete values widened by half a step each side). */
export interface NumericSpace {
  lo: number;
  hi: number;
  log: boolean;
  /** half a grid step in model space for discrete params (0 for continuous floats) */
  half: number;
}

export function numericSpace(d: Exclude<Distribution, { type: 'categorical' }>): NumericSpace {
  const step = d.type === 'int' ? d.step : d.step;
  if (d.log) {
    const lo = d.type === 'int' ? Math.max(d.low - 0.5, 1e-12) : d.low;
    const hi = d.type === 'int' ? d.high + 0.5 : d.high;
    return { lo: Math.log(lo), hi: Math.log(hi), log: true, half: 0 };
  }
  if (step !== undefined) return { lo: d.low - step / 2, hi: d.high + step / 2, log: false, half: step / 2 };
  return { lo: d.low, hi: d.high, log: false, half: 0 };
}

export function toModel(space: NumericSpace, x: number): number {
  return space.log ? Math.log(x) : x;
}

export function fromModel(space: NumericSpace, m: number): number {
  return space.log ? Math.exp(m) : m;
}

const SQRT2 = Math.SQRT2;

/** erf with |error| < 1.2e-7 (Numerical Recipes' erfc Chebyshev fit), plenty for ranking candidates. */
const ERFC_FIT = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
  -0.82215223, 0.17087277,
];

function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  let poly = 0;
  for (let i = ERFC_FIT.length - 1; i >= 0; i--) poly = ERFC_FIT[i] + t * poly;
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? 1 - r : r - 1;
}

function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / SQRT2));
}

/** One dimension of a mixture: per-component centre and width (numeric) or probability row (categorical). */
export type Kernels =
  | { kind: 'numeric'; space: NumericSpace; mu: Float64Array; sigma: Float64Array }
  | { kind: 'categorical'; probs: Float64Array[] };

export interface Mixture {
  weights: Float64Array;
  dims: Kernels[];
}

/**
 * Numeric kernels. `gaps`: each point as wide as its larger gap to a neighbour along this dimension (also in a joint
 * model, where a point's widths then differ by dimension and shrink where good points crowd); `scott`: in a joint
 * model every point as wide as Scott's rule for the dimension count gives from the range (Optuna's multivariate
 * rule), the gap rule otherwise. Both are clipped to a sane range.
 */
export function numericKernels(
  space: NumericSpace,
  obs: readonly number[],
  multivariateDims: number,
  bandwidth: 'gaps' | 'scott' = 'gaps',
): Kernels {
  const n = obs.length;
  const range = space.hi - space.lo;
  const mu = new Float64Array(n + 1);
  const sigma = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) mu[i] = obs[i];
  mu[n] = (space.lo + space.hi) / 2; // the prior: centred, as wide as the range
  const minSigma = range / Math.min(100, 1 + n);
  if (multivariateDims > 0 && bandwidth === 'scott') {
    const s = 0.2 * Math.max(n, 1) ** (-1 / (multivariateDims + 4)) * range;
    for (let i = 0; i < n; i++) sigma[i] = Math.min(Math.max(s, minSigma), range);
  } else {
    const order = Array.from({ length: n + 1 }, (_, i) => i).sort((a, b) => mu[a] - mu[b]);
    const m = order.length;
    for (let k = 0; k < m; k++) {
      const i = order[k];
      if (i === n) continue;
      const left = k > 0 ? mu[i] - mu[order[k - 1]] : mu[i] - space.lo;
      const right = k < m - 1 ? mu[order[k + 1]] - mu[i] : space.hi - mu[i];
      // the outermost points take their inner gap only: a far-away bound must not make them wide
      let s = Math.max(left, right);
      if (m >= 2 && k === 0) s = right;
      else if (m >= 2 && k === m - 1) s = left;
      sigma[i] = Math.min(Math.max(s, minSigma), range);
    }
  }
  sigma[n] = range;
  return { kind: 'numeric', space, mu, sigma };
}

/** Categorical kernels: each observation's row puts 1 + priorWeight/K on its choice and priorWeight/K elsewhere. */
export function categoricalKernels(K: number, obs: readonly number[], priorWeight: number): Kernels {
  const probs: Float64Array[] = [];
  const base = priorWeight / K;
  for (const c of obs) {
    const row = new Float64Array(K).fill(base / (1 + priorWeight));
    row[c] = (1 + base) / (1 + priorWeight);
    probs.push(row);
  }
  probs.push(new Float64Array(K).fill(1 / K)); // the prior
  return { kind: 'categorical', probs };
}

/** Draws one point (model space for numerics, choice index for categoricals) from the mixture. */
export function drawFrom(m: Mixture, rng: Rng): number[] {
  let total = 0;
  for (const w of m.weights) total += w;
  let u = rng.next() * total;
  let k = 0;
  while (k < m.weights.length - 1 && u >= m.weights[k]) u -= m.weights[k++];
  return m.dims.map((d) => {
    if (d.kind === 'categorical') {
      const row = d.probs[k];
      let v = rng.next();
      let j = 0;
      while (j < row.length - 1 && v >= row[j]) v -= row[j++];
      return j;
    }
    const { lo, hi } = d.space;
    for (let tries = 0; tries < 100; tries++) {
      const x = d.mu[k] + d.sigma[k] * rng.normal();
      if (x >= lo && x <= hi) return x;
    }
    return lo + rng.next() * (hi - lo);
  });
}

/** log of the mixture's density (mass, for discrete dimensions) at a point. */
export function logDensity(m: Mixture, x: readonly number[]): number {
  let total = 0;
  for (const w of m.weights) total += w;
  const terms = new Float64Array(m.weights.length);
  let best = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < m.weights.length; k++) {
    let lp = Math.log(m.weights[k] / total);
    for (let d = 0; d < m.dims.length; d++) lp += logKernel(m.dims[d], k, x[d]);
    terms[k] = lp;
    if (lp > best) best = lp;
  }
  if (best === Number.NEGATIVE_INFINITY) return best;
  let s = 0;
  for (const t of terms) s += Math.exp(t - best);
  return best + Math.log(s);
}

function logKernel(d: Kernels, k: number, x: number): number {
  if (d.kind === 'categorical') return Math.log(d.probs[k][x]);
  const { lo, hi, half } = d.space;
  const mu = d.mu[k];
  const s = d.sigma[k];
  const z = normalCdf((hi - mu) / s) - normalCdf((lo - mu) / s);
  const norm = Math.max(z, 1e-300);
  if (half > 0) {
    const mass = normalCdf((x + half - mu) / s) - normalCdf((x - half - mu) / s);
    return Math.log(Math.max(mass, 1e-300) / norm);
  }
  const t = (x - mu) / s;
  return -0.5 * t * t - Math.log(s * Math.sqrt(2 * Math.PI) * norm);
}
