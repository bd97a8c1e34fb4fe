// Summary statistics on typed arrays; NaN marks a missing value and is skipped everywhere.

/** Sorted copy of the finite values. */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) out[k++] = v;
  }
  out.sort();
  return out;
}

/** Quantile of sorted data with linear interpolation (NumPy's default "linear" method). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

/**
 * numpy.percentile's default ("linear") arithmetic, operation for operation, so edges computed from it equal
 * numpy's bit for bit: q = percent / 100, index (n - 1) q, and the interpolation from the nearer end.
 */
export function percentileNumpy(sorted: ArrayLike<number>, percent: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const q = percent / 100;
  const virtual = (n - 1) * q;
  const lo = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
  const hi = Math.min(lo + 1, n - 1);
  const t = virtual - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** numpy.linspace(start, stop, count): i * step + start, the last point exactly stop. */
export function linspaceNumpy(start: number, stop: number, count: number): number[] {
  const step = (stop - start) / (count - 1);
  const out = Array.from({ length: count }, (_, i) => i * step + start);
  if (count > 1) out[count - 1] = stop;
  return out;
}

export function median(values: ArrayLike<number>): number {
  return quantileSorted(sortedFinite(values), 0.5);
}

export interface Moments {
  count: number;
  mean: number;
  /** population variance (ddof = 0), as scikit-learn's StandardScaler uses */
  variance: number;
  min: number;
  max: number;
}

/** Count, mean, variance (Welford), min and max over non-missing values. */
export function moments(values: ArrayLike<number>): Moments {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return { count, mean: Number.NaN, variance: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { count, mean, variance: m2 / count, min, max };
}

/** log Γ(x) for x > 0 (Lanczos approximation, |error| < 1e-13 over the range used here). */
export function logGamma(x: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xx = x - 1;
  let a = c[0];
  const t = xx + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i] / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X >= k) for X ~ Binomial(n, p), summed in log space. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lnp = Math.log(p);
  const lnq = Math.log1p(-p);
  const lnN = logGamma(n + 1);
  let sum = 0;
  for (let i = k; i <= n; i++) {
    const term = Math.exp(lnN - logGamma(i + 1) - logGamma(n - i + 1) + i * lnp + (n - i) * lnq);
    sum += term;
    if (term < sum * 1e-17 && i > n * p) break;
  }
  return Math.min(1, sum);
}
