// Inference side of the imputer with strategies and missing-value indicators, the ordinal encoder and the frequency
// encoder. Categories are matched by their string, so a frame whose level list differs from training still maps.

import { KeelError } from '../core/index.ts';
import { type CategoricalColumn, type Column, Frame } from '../data/index.ts';
import { replaceColumns } from './columns.ts';
import { TransformErrors } from './errors.ts';
import { murmur3 } from './text-apply.ts';
import type { TransformState } from './types.ts';

export interface ImputerState extends TransformState {
  kind: 'imputer';
  numeric: string[];
  numericFill: Float64Array;
  categorical: string[];
  categoricalFill: string[];
  /** columns that get a 0/1 "was missing" column (those that had missing values when fitted) */
  indicators: string[];
}

export interface OrdinalState extends TransformState {
  kind: 'ordinal';
  columns: string[];
  /** each column's categories, sorted; a category's code is its index */
  categories: string[][];
  /** the code of a category not seen when fitting (typed, so NaN survives the artifact's JSON) */
  unknownValue: Float64Array;
}

export interface FrequencyState extends TransformState {
  kind: 'frequency';
  columns: string[];
  categories: string[][];
  /** the share of training rows of each category (an unseen one gets 0) */
  shares: number[][];
}

export interface TargetEncodingState extends TransformState {
  kind: 'target';
  columns: string[];
  categories: string[][];
  /** outputs per column: 1 (binary: share of class 1; regression: mean), or K for K classes (column_<k>) */
  outputs: number;
  /** per column, category-major: encoded[c * outputs + o] */
  encoded: Float64Array[];
  /** the overall mean per output: unseen and missing categories get it */
  prior: Float64Array;
}

export interface HashState extends TransformState {
  kind: 'hash';
  columns: string[];
  /** outputs per column: <column>#0 … <column>#(n-1) */
  nFeatures: number;
}

export interface KnnImputerState extends TransformState {
  kind: 'knn_impute';
  columns: string[];
  k: number;
  /** the training rows (rows × columns, row-major, NaN where missing): the donors */
  donors: Float64Array;
  /** column means of the training rows, for a row with no comparable donor */
  means: Float64Array;
}

export const ENCODING_KINDS = new Set(['imputer', 'ordinal', 'frequency', 'target', 'hash', 'knn_impute']);

/** scikit-learn's nan_euclidean: over the coordinates both rows have, scaled up by all / present; NaN if none. */
function nanEuclidean(a: Float64Array, ai: number, b: Float64Array, bi: number, p: number): number {
  let s = 0;
  let present = 0;
  for (let j = 0; j < p; j++) {
    const x = a[ai + j];
    const y = b[bi + j];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    s += (x - y) * (x - y);
    present++;
  }
  return present === 0 ? Number.NaN : Math.sqrt((p / present) * s);
}

function applyKnnImpute(s: KnnImputerState, frame: Frame): Frame {
  const p = s.columns.length;
  const n = frame.nRows;
  const m = s.donors.length / p;
  const cols = s.columns.map((name) => {
    const c = frame.column(name);
    if (c.type === 'categorical')
      throw new KeelError(TransformErrors.NOT_NUMERIC, `column "${name}" is categorical`);
    return Float64Array.from(c.values);
  });
  const row = new Float64Array(p);
  const dist = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    let missing = false;
    for (let j = 0; j < p; j++) {
      row[j] = cols[j][i];
      if (Number.isNaN(row[j])) missing = true;
    }
    if (!missing) continue;
    for (let r = 0; r < m; r++) dist[r] = nanEuclidean(row, 0, s.donors, r * p, p);
    for (let j = 0; j < p; j++) {
      if (!Number.isNaN(row[j])) continue;
      // donors: training rows that have this column, nearest first (no comparable coordinate = never a donor)
      const donors: number[] = [];
      for (let r = 0; r < m; r++)
        if (!Number.isNaN(s.donors[r * p + j]) && !Number.isNaN(dist[r])) donors.push(r);
      if (donors.length === 0) {
        cols[j][i] = s.means[j];
        continue;
      }
      donors.sort((a, b) => dist[a] - dist[b] || a - b);
      const take = donors.slice(0, Math.min(s.k, donors.length));
      let sum = 0;
      for (const r of take) sum += s.donors[r * p + j];
      cols[j][i] = sum / take.length;
    }
  }
  const at = new Map(s.columns.map((nm, j) => [nm, j]));
  return new Frame(
    frame.columns.map((c): Column => {
      const j = at.get(c.name);
      return j === undefined || c.type === 'categorical'
        ? c
        : { name: c.name, type: c.type, values: cols[j] };
    }),
  );
}

/** The columns a target encoding puts in place of one categorical column. */
export function targetColumns(
  name: string,
  c: CategoricalColumn,
  categories: string[],
  outputs: number,
  perRow: (row: number, slot: number, o: number) => number,
): Column[] {
  const slot = new Map(categories.map((v, k) => [v, k]));
  const levelSlot = Int32Array.from(c.levels, (lv) => slot.get(lv) ?? -1);
  return Array.from({ length: outputs }, (_, o) => ({
    name: outputs === 1 ? name : `${name}_${o}`,
    type: 'numeric' as const,
    values: Float64Array.from(c.codes, (code, i) => perRow(i, code < 0 ? -1 : levelSlot[code], o)),
  }));
}

function categorical(frame: Frame, name: string): CategoricalColumn {
  const c = frame.column(name);
  if (c.type !== 'categorical')
    throw new KeelError(TransformErrors.BAD_PIPELINE, `column "${name}" is not categorical`);
  return c;
}

/** Per level of this frame's column, the value its category maps to (fallback when the category is unknown). */
function byLevel(
  c: CategoricalColumn,
  categories: string[],
  mapped: (k: number) => number,
  fallback: number,
): Float64Array {
  const slot = new Map(categories.map((v, k) => [v, k]));
  return Float64Array.from(c.levels, (lv) => {
    const k = slot.get(lv);
    return k === undefined ? fallback : mapped(k);
  });
}

function encodeColumns(
  frame: Frame,
  names: string[],
  f: (c: CategoricalColumn, j: number) => Float64Array,
): Frame {
  return replaceColumns(frame, names, (c, j) => {
    const cat = categorical(frame, c.name);
    const perLevel = f(cat, j);
    const values = Float64Array.from(cat.codes, (code) => (code < 0 ? Number.NaN : perLevel[code]));
    return [{ name: c.name, type: 'numeric', values }];
  });
}

export function applyEncoding(state: TransformState, frame: Frame): Frame {
  switch (state.kind) {
    case 'imputer':
      return applyImputer(state as ImputerState, frame);
    case 'ordinal': {
      const s = state as OrdinalState;
      return encodeColumns(frame, s.columns, (c, j) =>
        byLevel(c, s.categories[j], (k) => k, s.unknownValue[0]),
      );
    }
    case 'frequency': {
      const s = state as FrequencyState;
      return encodeColumns(frame, s.columns, (c, j) => byLevel(c, s.categories[j], (k) => s.shares[j][k], 0));
    }
    case 'knn_impute':
      return applyKnnImpute(state as KnnImputerState, frame);
    case 'hash': {
      const s = state as HashState;
      return replaceColumns(frame, s.columns, (c) => {
        const cat = categorical(frame, c.name);
        // each category lands in bucket |h| mod n with the sign of h (MurmurHash3), as FeatureHasher
        const slotOf = cat.levels.map((lv) => murmur3(lv));
        const blocks = Array.from({ length: s.nFeatures }, () => new Float64Array(cat.codes.length));
        cat.codes.forEach((code, i) => {
          if (code < 0) return;
          const h = slotOf[code];
          blocks[Math.abs(h) % s.nFeatures][i] += h >= 0 ? 1 : -1;
        });
        return blocks.map((values, k): Column => ({ name: `${c.name}#${k}`, type: 'numeric', values }));
      });
    }
    case 'target': {
      const s = state as TargetEncodingState;
      return replaceColumns(frame, s.columns, (c, j) =>
        targetColumns(c.name, categorical(frame, c.name), s.categories[j], s.outputs, (_i, k, o) =>
          k < 0 ? s.prior[o] : s.encoded[j][k * s.outputs + o],
        ),
      );
    }
    default:
      throw new KeelError(TransformErrors.UNKNOWN_KIND, `no inference for transform "${state.kind}"`);
  }
}

function applyImputer(s: ImputerState, frame: Frame): Frame {
  const out: Column[] = [];
  const numeric = new Map(s.numeric.map((n, j) => [n, j]));
  const cats = new Map(s.categorical.map((n, j) => [n, j]));
  for (const c of frame.columns) {
    const nj = numeric.get(c.name);
    const cj = cats.get(c.name);
    if (nj !== undefined) {
      if (c.type === 'categorical')
        throw new KeelError(TransformErrors.NOT_NUMERIC, `column "${c.name}" is categorical`);
      const fill = s.numericFill[nj];
      out.push({
        name: c.name,
        type: c.type,
        values: Float64Array.from(c.values, (v) => (Number.isNaN(v) ? fill : v)),
      });
    } else if (cj !== undefined) {
      const cat = categorical(frame, c.name);
      const fill = s.categoricalFill[cj];
      let code = cat.levels.indexOf(fill);
      const levels = code < 0 ? [...cat.levels, fill] : cat.levels;
      if (code < 0) code = levels.length - 1;
      out.push({
        name: c.name,
        type: 'categorical',
        codes: Int32Array.from(cat.codes, (k) => (k < 0 ? code : k)),
        levels,
      });
    } else out.push(c);
  }
  // indicators go last, in the fitted order, as scikit-learn appends them
  for (const name of s.indicators) {
    const c = frame.column(name);
    const values =
      c.type === 'categorical'
        ? Float64Array.from(c.codes, (k) => (k < 0 ? 1 : 0))
        : Float64Array.from(c.values, (v) => (Number.isNaN(v) ? 1 : 0));
    out.push({ name: `missingindicator_${name}`, type: 'numeric', values });
  }
  return new Frame(out);
}
