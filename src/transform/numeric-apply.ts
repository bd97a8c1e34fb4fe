// Inference side of the numeric transformers: min-max, robust and max-abs scaling, power transforms (Yeo-Johnson,
// Box-Cox) with standardisation, clipping, binning and polynomial features. Each replays fitted state with the same
// arithmetic, in the same order, as scikit-learn's transform, so outputs match it to the last bit where it has one.

import { KeelError } from '../core/index.ts';
import { type Column, Frame } from '../data/index.ts';
import { replaceColumns } from './columns.ts';
import { TransformErrors } from './errors.ts';
import type { TransformState } from './types.ts';

export interface MinMaxState extends TransformState {
  kind: 'min_max';
  columns: string[];
  /** x * scale + min, as scikit-learn's MinMaxScaler */
  scale: Float64Array;
  min: Float64Array;
}

export interface RobustState extends TransformState {
  kind: 'robust';
  columns: string[];
  center: Float64Array;
  scale: Float64Array;
}

export interface MaxAbsState extends TransformState {
  kind: 'max_abs';
  columns: string[];
  scale: Float64Array;
}

export interface PowerState extends TransformState {
  kind: 'power';
  columns: string[];
  method: 'yeo-johnson' | 'box-cox';
  lambdas: Float64Array;
  /** standardisation after the transform (empty when off) */
  mean: Float64Array;
  scale: Float64Array;
}

export interface ClipState extends TransformState {
  kind: 'clip';
  columns: string[];
  lower: Float64Array;
  upper: Float64Array;
}

export interface BinState extends TransformState {
  kind: 'bins';
  columns: string[];
  /** each column's edges, first and last included (typed: a constant column's edges are infinite) */
  edges: Float64Array[];
}

export interface PolynomialState extends TransformState {
  kind: 'polynomial';
  columns: string[];
  /** each output feature as the list of input column indices multiplied (empty = the bias) */
  terms: number[][];
  names: string[];
}

export interface LogState extends TransformState {
  kind: 'log';
  columns: string[];
  /** log(x + offset); the offset is fitted so the smallest training value maps to log(1) unless given */
  offset: Float64Array;
}

export interface PcaState extends TransformState {
  kind: 'pca';
  columns: string[];
  mean: Float64Array;
  /** k × p, row-major: each row a component */
  components: Float64Array;
  names: string[];
}

export type NumericState =
  | LogState
  | PcaState
  | MinMaxState
  | RobustState
  | MaxAbsState
  | PowerState
  | ClipState
  | BinState
  | PolynomialState;

export const NUMERIC_KINDS = new Set([
  'log',
  'pca',
  'min_max',
  'robust',
  'max_abs',
  'power',
  'clip',
  'bins',
  'polynomial',
]);

function values(
  frame: Frame,
  name: string,
): { type: 'numeric' | 'boolean' | 'datetime'; values: Float64Array } {
  const c = frame.column(name);
  if (c.type === 'categorical') {
    throw new KeelError(
      TransformErrors.NOT_NUMERIC,
      `column "${name}" is categorical; this step needs numbers`,
    );
  }
  return c;
}

function mapColumns(frame: Frame, names: string[], f: (x: Float64Array, j: number) => Float64Array): Frame {
  return replaceColumns(frame, names, (c, j) => [
    { name: c.name, type: 'numeric', values: f(values(frame, c.name).values, j) },
  ]);
}

/** Yeo-Johnson of one value (NaN stays NaN), with scikit-learn's branches at lambda 0 and 2. */
export function yeoJohnson(x: number, lambda: number): number {
  if (x >= 0) return Math.abs(lambda) < Number.EPSILON ? Math.log1p(x) : ((x + 1) ** lambda - 1) / lambda;
  if (x < 0)
    return Math.abs(lambda - 2) > Number.EPSILON
      ? -((-x + 1) ** (2 - lambda) - 1) / (2 - lambda)
      : -Math.log1p(-x);
  return Number.NaN;
}

/** Box-Cox of one positive value (SciPy's boxcox: log at lambda 0). */
export function boxCox(x: number, lambda: number): number {
  if (Number.isNaN(x)) return x;
  return lambda === 0 ? Math.log(x) : (x ** lambda - 1) / lambda;
}

export function applyNumeric(state: TransformState, frame: Frame): Frame {
  const s = state as NumericState;
  switch (s.kind) {
    case 'min_max':
      return mapColumns(frame, s.columns, (x, j) => Float64Array.from(x, (v) => v * s.scale[j] + s.min[j]));
    case 'robust':
      return mapColumns(frame, s.columns, (x, j) =>
        Float64Array.from(x, (v) => (v - s.center[j]) / s.scale[j]),
      );
    case 'max_abs':
      return mapColumns(frame, s.columns, (x, j) => Float64Array.from(x, (v) => v / s.scale[j]));
    case 'power':
      return mapColumns(frame, s.columns, (x, j) => {
        const f = s.method === 'box-cox' ? boxCox : yeoJohnson;
        const out = Float64Array.from(x, (v) => f(v, s.lambdas[j]));
        if (s.mean.length) for (let i = 0; i < out.length; i++) out[i] = (out[i] - s.mean[j]) / s.scale[j];
        return out;
      });
    case 'clip':
      return mapColumns(frame, s.columns, (x, j) =>
        Float64Array.from(x, (v) => Math.min(Math.max(v, s.lower[j]), s.upper[j])),
      );
    case 'bins':
      return mapColumns(frame, s.columns, (x, j) => {
        const inner = Array.from(s.edges[j].subarray(1, s.edges[j].length - 1));
        return Float64Array.from(x, (v) => (Number.isNaN(v) ? v : searchRight(inner, v)));
      });
    case 'polynomial':
      return applyPolynomial(s, frame);
    case 'pca':
      return applyPca(s, frame);
    case 'log':
      return mapColumns(frame, s.columns, (x, j) => Float64Array.from(x, (v) => Math.log(v + s.offset[j])));
  }
}

/** numpy.searchsorted(edges, v, side="right"): how many edges are <= v. */
function searchRight(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function applyPolynomial(s: PolynomialState, frame: Frame): Frame {
  const inputs = s.columns.map((n) => values(frame, n).values);
  const n = frame.nRows;
  const produced: Column[] = s.terms.map((term, k) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v = 1;
      for (const j of term) v *= inputs[j][i];
      out[i] = v;
    }
    return { name: s.names[k], type: 'numeric', values: out };
  });
  // the expansion takes the place of the first input column; the other inputs are consumed
  const used = new Set(s.columns);
  const cols: Column[] = [];
  let placed = false;
  for (const c of frame.columns) {
    if (!used.has(c.name)) cols.push(c);
    else if (!placed) {
      cols.push(...produced);
      placed = true;
    }
  }
  return new Frame(cols);
}

function applyPca(s: PcaState, frame: Frame): Frame {
  const inputs = s.columns.map((n) => values(frame, n).values);
  const p = s.columns.length;
  const n = frame.nRows;
  const produced: Column[] = s.names.map((name, k) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < p; j++) v += (inputs[j][i] - s.mean[j]) * s.components[k * p + j];
      out[i] = v;
    }
    return { name, type: 'numeric', values: out };
  });
  const used = new Set(s.columns);
  return new Frame([...frame.columns.filter((c) => !used.has(c.name)), ...produced]);
}
