// Fitting of the numeric transformers (inference in numeric-apply.ts). Each works on the numeric columns it is given,
// or on every numeric / boolean / date-time column; missing values (NaN) are ignored when fitting and stay missing.

import {
  KeelError,
  linspaceNumpy,
  moments,
  percentileNumpy,
  sortedFinite,
  symmetricEigen,
} from '../core/index.ts';
import type { Frame } from '../data/index.ts';
import { TransformErrors } from './errors.ts';
import {
  type BinState,
  boxCox,
  type ClipState,
  type LogState,
  type MaxAbsState,
  type MinMaxState,
  type PcaState,
  type PolynomialState,
  type PowerState,
  type RobustState,
  yeoJohnson,
} from './numeric-apply.ts';
import type { Transformer } from './types.ts';

export interface ColumnChoice {
  /** the columns to transform (default: every numeric column) */
  columns?: string[];
}

export function numericColumns(frame: Frame, chosen?: string[]): { name: string; values: Float64Array }[] {
  const names = chosen ?? frame.columns.filter((c) => c.type !== 'categorical').map((c) => c.name);
  return names.map((name) => {
    const c = frame.column(name);
    if (c.type === 'categorical') {
      throw new KeelError(
        TransformErrors.NOT_NUMERIC,
        `column "${name}" is categorical; this step needs numbers`,
      );
    }
    return { name, values: c.values };
  });
}

/** Min-max scaling into [min, max] (default [0, 1]); a constant column maps to min. */
export function minMaxScaler(options: ColumnChoice & { range?: [number, number] } = {}): Transformer {
  const [a, b] = options.range ?? [0, 1];
  if (!(a < b))
    throw new KeelError(TransformErrors.BAD_PARAM, `min-max range must be increasing, got [${a}, ${b}]`);
  return {
    kind: 'min_max',
    fit(frame: Frame): MinMaxState {
      const cols = numericColumns(frame, options.columns);
      const scale = new Float64Array(cols.length);
      const min = new Float64Array(cols.length);
      cols.forEach(({ values }, j) => {
        const m = moments(values);
        const lo = m.count ? m.min : 0;
        const range = m.count ? m.max - lo : 0;
        scale[j] = (b - a) / (range === 0 ? 1 : range);
        min[j] = a - lo * scale[j];
      });
      return { kind: 'min_max', columns: cols.map((c) => c.name), scale, min };
    },
  };
}

/** (x - median) / IQR with numpy's percentiles (default 25th-75th); a zero IQR scales by 1. */
export function robustScaler(options: ColumnChoice & { quantileRange?: [number, number] } = {}): Transformer {
  const [qlo, qhi] = options.quantileRange ?? [25, 75];
  if (!(qlo >= 0 && qlo < qhi && qhi <= 100)) {
    throw new KeelError(
      TransformErrors.BAD_PARAM,
      `quantile range must satisfy 0 <= low < high <= 100, got [${qlo}, ${qhi}]`,
    );
  }
  return {
    kind: 'robust',
    fit(frame: Frame): RobustState {
      const cols = numericColumns(frame, options.columns);
      const center = new Float64Array(cols.length);
      const scale = new Float64Array(cols.length);
      cols.forEach(({ values }, j) => {
        const s = sortedFinite(values);
        center[j] = percentileNumpy(s, 50);
        const iqr = percentileNumpy(s, qhi) - percentileNumpy(s, qlo);
        scale[j] = iqr === 0 || Number.isNaN(iqr) ? 1 : iqr;
      });
      return { kind: 'robust', columns: cols.map((c) => c.name), center, scale };
    },
  };
}

/** x / max|x|; a zero column is left as it is. */
export function maxAbsScaler(options: ColumnChoice = {}): Transformer {
  return {
    kind: 'max_abs',
    fit(frame: Frame): MaxAbsState {
      const cols = numericColumns(frame, options.columns);
      const scale = Float64Array.from(cols, ({ values }) => {
        let m = 0;
        for (const v of values) if (Math.abs(v) > m) m = Math.abs(v);
        return m === 0 ? 1 : m;
      });
      return { kind: 'max_abs', columns: cols.map((c) => c.name), scale };
    },
  };
}

/** Brent's minimiser on [a, c] around b (golden section with parabolic steps), to ~1.5e-8 relative. */
function brent(f: (x: number) => number, a0: number, c0: number): number {
  const golden = 0.381966011250105;
  let a = Math.min(a0, c0);
  let b = Math.max(a0, c0);
  let x = a + golden * (b - a);
  let w = x;
  let v = x;
  let fx = f(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  for (let iter = 0; iter < 500; iter++) {
    const m = (a + b) / 2;
    const tol = 1.48e-8 * Math.abs(x) + 1e-11;
    if (Math.abs(x - m) <= 2 * tol - (b - a) / 2) break;
    let u: number;
    let parabolic = false;
    if (Math.abs(e) > tol) {
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = Math.abs(q);
      if (Math.abs(p) < Math.abs(0.5 * q * e) && p > q * (a - x) && p < q * (b - x)) {
        e = d;
        d = p / q;
        parabolic = true;
      }
    }
    if (!parabolic) {
      e = (x < m ? b : a) - x;
      d = golden * e;
    }
    u = Math.abs(d) >= tol ? x + d : x + (d > 0 ? tol : -tol);
    const fu = f(u);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return x;
}

/**
 * Walks downhill from (a, b) in growing golden steps until the function rises again, as SciPy's brent does before it
 * minimises; returns an interval holding a minimum (lambdas far outside [-2, 2] happen: longitude's is about -39).
 */
function bracketMinimum(f: (x: number) => number, a0: number, b0: number): [number, number] {
  let a = a0;
  let b = b0;
  let fa = f(a);
  let fb = f(b);
  if (fb > fa) {
    [a, b] = [b, a];
    [fa, fb] = [fb, fa];
  }
  let c = b + 1.618034 * (b - a);
  let fc = f(c);
  for (let i = 0; i < 200 && fc < fb; i++) {
    a = b;
    fa = fb;
    b = c;
    fb = fc;
    c = b + 1.618034 * (b - a);
    fc = f(c);
  }
  return a < c ? [a, c] : [c, a];
}

function variance(x: Float64Array): number {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  return s / x.length;
}

/**
 * The lambda of maximum likelihood (as scikit-learn's PowerTransformer and SciPy's boxcox): bracketed from
 * [-2, 2] outwards, then Brent's method; then, by default, the transformed column is standardised.
 */
export function powerTransformer(
  options: ColumnChoice & { method?: 'yeo-johnson' | 'box-cox'; standardize?: boolean } = {},
): Transformer {
  const method = options.method ?? 'yeo-johnson';
  return {
    kind: 'power',
    fit(frame: Frame): PowerState {
      const cols = numericColumns(frame, options.columns);
      const lambdas = new Float64Array(cols.length);
      const mean = new Float64Array(options.standardize === false ? 0 : cols.length);
      const scale = new Float64Array(mean.length);
      cols.forEach(({ name, values }, j) => {
        const x = Float64Array.from(values).filter((v) => !Number.isNaN(v));
        if (method === 'box-cox' && x.some((v) => v <= 0)) {
          throw new KeelError(
            TransformErrors.BAD_PARAM,
            `Box-Cox needs strictly positive values; "${name}" has some <= 0`,
          );
        }
        let logSum = 0;
        for (const v of x)
          logSum += method === 'box-cox' ? Math.log(v) : Math.sign(v) * Math.log1p(Math.abs(v));
        const f = method === 'box-cox' ? boxCox : yeoJohnson;
        const nll = (lambda: number): number => {
          const t = Float64Array.from(x, (v) => f(v, lambda));
          const varT = variance(t);
          if (!(varT > 0)) return Number.POSITIVE_INFINITY;
          return (x.length / 2) * Math.log(varT) - (lambda - 1) * logSum;
        };
        const [lo, hi] = bracketMinimum(nll, -2, 2);
        lambdas[j] = brent(nll, lo, hi);
        if (mean.length) {
          const t = Float64Array.from(x, (v) => f(v, lambdas[j]));
          let m = 0;
          for (const v of t) m += v;
          m /= t.length;
          mean[j] = m;
          const sd = Math.sqrt(variance(t));
          scale[j] = sd === 0 ? 1 : sd;
        }
      });
      return { kind: 'power', columns: cols.map((c) => c.name), method, lambdas, mean, scale };
    },
  };
}

/** Clips (winsorises) each column to its [lower, upper] percentiles, or to the Tukey fences Q1 - k IQR, Q3 + k IQR. */
export function clipper(
  options: ColumnChoice & { percentiles?: [number, number]; iqrFactor?: number } = {},
): Transformer {
  return {
    kind: 'clip',
    fit(frame: Frame): ClipState {
      const cols = numericColumns(frame, options.columns);
      const lower = new Float64Array(cols.length);
      const upper = new Float64Array(cols.length);
      cols.forEach(({ values }, j) => {
        const s = sortedFinite(values);
        if (options.iqrFactor !== undefined) {
          const q1 = percentileNumpy(s, 25);
          const q3 = percentileNumpy(s, 75);
          lower[j] = q1 - options.iqrFactor * (q3 - q1);
          upper[j] = q3 + options.iqrFactor * (q3 - q1);
        } else {
          const [lo, hi] = options.percentiles ?? [1, 99];
          lower[j] = percentileNumpy(s, lo);
          upper[j] = percentileNumpy(s, hi);
        }
      });
      return { kind: 'clip', columns: cols.map((c) => c.name), lower, upper };
    },
  };
}

/**
 * Bins each column into `bins` ordinal codes 0..k-1 by uniform widths or by quantiles (numpy's percentiles), as
 * scikit-learn's KBinsDiscretizer(encode="ordinal"); edges closer than 1e-8 are merged.
 */
export function binner(
  options: ColumnChoice & { bins?: number; strategy?: 'uniform' | 'quantile' } = {},
): Transformer {
  const k = options.bins ?? 5;
  if (!(Number.isInteger(k) && k >= 2))
    throw new KeelError(TransformErrors.BAD_PARAM, `bins must be an integer >= 2, got ${k}`);
  return {
    kind: 'bins',
    fit(frame: Frame): BinState {
      const cols = numericColumns(frame, options.columns);
      const edges = cols.map(({ values }) => {
        const s = sortedFinite(values);
        const lo = s[0];
        const hi = s[s.length - 1];
        if (lo === hi) return Float64Array.of(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
        const e =
          (options.strategy ?? 'quantile') === 'uniform'
            ? linspaceNumpy(lo, hi, k + 1)
            : linspaceNumpy(0, 100, k + 1).map((p) => percentileNumpy(s, p));
        return Float64Array.from(e.filter((v, i) => i === 0 || v - e[i - 1] > 1e-8));
      });
      return { kind: 'bins', columns: cols.map((c) => c.name), edges };
    },
  };
}

/**
 * Polynomial features of degree 2 or 3 over the chosen columns, in scikit-learn's order (bias, degree 1, then each
 * combination with repetition in lexicographic order); `interactionOnly` drops powers of one column.
 */
export function polynomialFeatures(
  options: ColumnChoice & { degree?: number; interactionOnly?: boolean; includeBias?: boolean } = {},
): Transformer {
  const degree = options.degree ?? 2;
  if (!(Number.isInteger(degree) && degree >= 1 && degree <= 4)) {
    throw new KeelError(TransformErrors.BAD_PARAM, `degree must be 1 to 4, got ${degree}`);
  }
  return {
    kind: 'polynomial',
    fit(frame: Frame): PolynomialState {
      const names = numericColumns(frame, options.columns).map((c) => c.name);
      const terms: number[][] = options.includeBias ? [[]] : [];
      const grow = (prefix: number[], start: number, left: number): void => {
        if (left === 0) {
          terms.push(prefix);
          return;
        }
        for (let j = start; j < names.length; j++)
          grow([...prefix, j], options.interactionOnly ? j + 1 : j, left - 1);
      };
      for (let d = 1; d <= degree; d++) grow([], 0, d);
      const label = (term: number[]): string => {
        if (term.length === 0) return '1';
        const counts = new Map<number, number>();
        for (const j of term) counts.set(j, (counts.get(j) ?? 0) + 1);
        return [...counts].map(([j, c]) => (c === 1 ? names[j] : `${names[j]}^${c}`)).join(' ');
      };
      const out = terms.map(label);
      const others = new Set(frame.names.filter((n) => !names.includes(n)));
      const clash = out.find((n, i) => others.has(n) || out.indexOf(n) !== i);
      if (clash) {
        throw new KeelError(
          TransformErrors.BAD_PIPELINE,
          `polynomial feature "${clash}" would repeat an existing column`,
          {
            column: clash,
          },
        );
      }
      return { kind: 'polynomial', columns: names, terms, names: out };
    },
  };
}

/**
 * Principal components of the chosen numeric columns (centred, not scaled: put a scaler first when units differ),
 * replacing them with pc1 … pck. Signs follow scikit-learn's PCA: each component is flipped so that its largest
 * score on the training rows (in absolute value) is positive.
 */
export function pcaTransformer(
  options: ColumnChoice & { nComponents?: number; center?: boolean } = {},
): Transformer {
  // center: false is a truncated SVD (scikit-learn's TruncatedSVD): no mean is removed, as sparse / wide data wants
  const center = options.center ?? true;
  return {
    kind: 'pca',
    fit(frame: Frame): PcaState {
      const cols = numericColumns(frame, options.columns);
      const p = cols.length;
      const n = frame.nRows;
      const k = Math.min(options.nComponents ?? p, p, n);
      if (!(k >= 1))
        throw new KeelError(TransformErrors.BAD_PARAM, `PCA needs at least one component, got ${k}`);
      for (const c of cols) {
        if (c.values.some((v) => !Number.isFinite(v))) {
          throw new KeelError(
            TransformErrors.BAD_PIPELINE,
            `PCA needs complete values; impute "${c.name}" first`,
            {
              column: c.name,
            },
          );
        }
      }
      const mean = center
        ? Float64Array.from(cols, (c) => c.values.reduce((a, b) => a + b, 0) / n)
        : new Float64Array(p);
      const cov = new Float64Array(p * p);
      for (let a = 0; a < p; a++) {
        for (let b = a; b < p; b++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += (cols[a].values[i] - mean[a]) * (cols[b].values[i] - mean[b]);
          cov[a * p + b] = cov[b * p + a] = s / Math.max(n - 1, 1);
        }
      }
      const { vectors } = symmetricEigen(cov, p);
      const components = vectors.slice(0, k * p);
      for (let c = 0; c < k; c++) {
        // the sign scikit-learn picks: the training score of largest magnitude is positive
        let best = 0;
        let bestAbs = -1;
        for (let i = 0; i < n; i++) {
          let z = 0;
          for (let j = 0; j < p; j++) z += (cols[j].values[i] - mean[j]) * components[c * p + j];
          if (Math.abs(z) > bestAbs) {
            bestAbs = Math.abs(z);
            best = z;
          }
        }
        if (best < 0) for (let j = 0; j < p; j++) components[c * p + j] = -components[c * p + j];
      }
      const names = Array.from({ length: k }, (_, i) => `${center ? 'pc' : 'svd'}${i + 1}`);
      const inputs = new Set(cols.map((c) => c.name));
      const clash = names.find((nm) => frame.has(nm) && !inputs.has(nm));
      if (clash) {
        throw new KeelError(
          TransformErrors.BAD_PIPELINE,
          `PCA output "${clash}" would repeat an existing column`,
          {
            column: clash,
          },
        );
      }
      return { kind: 'pca', columns: cols.map((c) => c.name), mean, components, names };
    },
  };
}

/**
 * log(x + offset) in place: with `offset` given, that offset; otherwise 1 for columns whose training minimum is 0 or
 * more (log1p), and 1 - minimum for columns that go below 0, so every training value stays in the domain.
 */
export function logTransform(options: ColumnChoice & { offset?: number } = {}): Transformer {
  return {
    kind: 'log',
    fit(frame: Frame): LogState {
      const cols = numericColumns(frame, options.columns);
      const offset = Float64Array.from(cols, ({ values }) => {
        if (options.offset !== undefined) return options.offset;
        const s = sortedFinite(values);
        return s.length && s[0] < 0 ? 1 - s[0] : 1;
      });
      return { kind: 'log', columns: cols.map((c) => c.name), offset };
    },
  };
}
