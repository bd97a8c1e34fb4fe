// Fitting of the imputer with strategies, the ordinal encoder and the frequency encoder (inference in
// encode-apply.ts).

import { createRng, KeelError, shuffleInPlace } from '../core/index.ts';
import { type CategoricalColumn, type Column, Frame } from '../data/index.ts';
import {
  type FrequencyState,
  type HashState,
  type ImputerState,
  type KnnImputerState,
  type OrdinalState,
  type TargetEncodingState,
  targetColumns,
} from './encode-apply.ts';
import { TransformErrors } from './errors.ts';
import { numericColumns } from './numeric-fit.ts';
import type { TargetInfo, Transformer } from './types.ts';

export interface ImputerOptions {
  /** numeric columns: mean, median, most frequent or a constant (categorical columns: most frequent or constant) */
  strategy?: 'mean' | 'median' | 'most_frequent' | 'constant';
  /** the constant for numeric columns (default 0) */
  fillValue?: number;
  /** the constant for categorical columns (default "missing") */
  fillCategory?: string;
  /** append a 0/1 missingindicator_<column> for every column that had missing values when fitted */
  addIndicator?: boolean;
  columns?: string[];
}

/** Counts of each category present in the rows, and the categories sorted as strings. */
function categoryCounts(c: CategoricalColumn): { categories: string[]; counts: number[]; rows: number } {
  const perLevel = new Float64Array(c.levels.length);
  let rows = 0;
  for (const code of c.codes) {
    if (code < 0) continue;
    perLevel[code]++;
    rows++;
  }
  const present = c.levels.map((lv, k) => [lv, perLevel[k]] as const).filter(([, n]) => n > 0);
  present.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { categories: present.map(([lv]) => lv), counts: present.map(([, n]) => n), rows };
}

function mostFrequent(values: number[] | string[], counts?: number[]): number | string | undefined {
  // ties go to the smallest value, as scikit-learn's SimpleImputer
  let best: number | string | undefined;
  let bestN = -1;
  if (counts) {
    values.forEach((v, k) => {
      if (counts[k] > bestN) {
        best = v;
        bestN = counts[k];
      }
    });
    return best;
  }
  const n = new Map<number | string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  for (const [v, c] of [...n].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (c > bestN) {
      best = v;
      bestN = c;
    }
  }
  return best;
}

export function imputer(options: ImputerOptions = {}): Transformer {
  const strategy = options.strategy ?? 'median';
  return {
    kind: 'imputer',
    fit(frame: Frame): ImputerState {
      const chosen = options.columns ? frame.select(options.columns) : frame;
      const numeric = numericColumns(chosen);
      const numericFill = Float64Array.from(numeric, ({ values }) => {
        const x = Array.from(values).filter((v) => !Number.isNaN(v));
        if (strategy === 'constant') return options.fillValue ?? 0;
        if (x.length === 0) return Number.NaN;
        if (strategy === 'mean') return x.reduce((a, b) => a + b, 0) / x.length;
        if (strategy === 'most_frequent') return mostFrequent(x) as number;
        x.sort((a, b) => a - b);
        const m = x.length >> 1;
        return x.length % 2 ? x[m] : (x[m - 1] + x[m]) / 2;
      });
      const cats = chosen.columns.filter((c): c is CategoricalColumn => c.type === 'categorical');
      const categoricalFill = cats.map((c) => {
        if (strategy === 'constant') return options.fillCategory ?? 'missing';
        const { categories, counts } = categoryCounts(c);
        return (mostFrequent(categories, counts) as string | undefined) ?? options.fillCategory ?? 'missing';
      });
      for (const [j, { name }] of numeric.entries()) {
        if (Number.isNaN(numericFill[j])) {
          throw new KeelError(TransformErrors.BAD_PARAM, `column "${name}" has no value to impute from`, {
            column: name,
          });
        }
      }
      const indicators = options.addIndicator
        ? chosen.columns
            .filter((c) =>
              c.type === 'categorical' ? c.codes.some((k) => k < 0) : c.values.some(Number.isNaN),
            )
            .map((c) => c.name)
        : [];
      return {
        kind: 'imputer',
        numeric: numeric.map((c) => c.name),
        numericFill,
        categorical: cats.map((c) => c.name),
        categoricalFill,
        indicators,
      };
    },
  };
}

function categoricalColumns(frame: Frame, chosen?: string[]): CategoricalColumn[] {
  const cols = chosen
    ? chosen.map((n) => frame.column(n))
    : frame.columns.filter((c) => c.type === 'categorical');
  return cols.map((c) => {
    if (c.type !== 'categorical')
      throw new KeelError(TransformErrors.BAD_PIPELINE, `column "${c.name}" is not categorical`);
    return c;
  });
}

/** Each category to its index among the sorted training categories; an unseen one to `unknownValue` (default -1). */
export function ordinalEncoder(options: { columns?: string[]; unknownValue?: number } = {}): Transformer {
  return {
    kind: 'ordinal',
    fit(frame: Frame): OrdinalState {
      const cols = categoricalColumns(frame, options.columns);
      return {
        kind: 'ordinal',
        columns: cols.map((c) => c.name),
        categories: cols.map((c) => categoryCounts(c).categories),
        unknownValue: Float64Array.of(options.unknownValue ?? -1),
      };
    },
  };
}

/** Each category to its share of the training rows (missing rows not counted); an unseen category to 0. */
export function frequencyEncoder(options: { columns?: string[] } = {}): Transformer {
  return {
    kind: 'frequency',
    fit(frame: Frame): FrequencyState {
      const cols = categoricalColumns(frame, options.columns);
      const stats = cols.map(categoryCounts);
      return {
        kind: 'frequency',
        columns: cols.map((c) => c.name),
        categories: stats.map((s) => s.categories),
        shares: stats.map((s) => s.counts.map((n) => n / s.rows)),
      };
    },
  };
}

export interface TargetEncoderOptions {
  columns?: string[];
  /** m-estimate weight of the prior: (sum + m · prior) / (count + m) (default 10) */
  smoothing?: number;
  /** folds for the out-of-fold encoding of the training rows (default 5) */
  folds?: number;
  seed?: number;
}

/**
 * Target encoding: each category becomes the smoothed mean of the target over its rows (the share of class 1 for
 * binary targets, one share per class for several). The state holds encodings from all training rows, for new rows;
 * the training rows themselves are encoded out of fold, so no row's own target reaches its feature (no leakage).
 */
export function targetEncoder(options: TargetEncoderOptions = {}): Transformer {
  const m = options.smoothing ?? 10;
  const k = options.folds ?? 5;
  if (!(m >= 0) || !(Number.isInteger(k) && k >= 2)) {
    throw new KeelError(
      TransformErrors.BAD_PARAM,
      `target encoder: smoothing >= 0 and folds >= 2, got ${m} and ${k}`,
    );
  }
  const outputsOf = (t: TargetInfo) => (t.task === 'multiclass' ? t.classes : 1);
  const targetValue = (t: TargetInfo, i: number, o: number) =>
    t.task === 'multiclass' ? (t.y[i] === o ? 1 : 0) : t.y[i];

  /** Smoothed means per category from the rows where `use` is true. */
  function encode(
    c: CategoricalColumn,
    slots: Int32Array,
    nCat: number,
    t: TargetInfo,
    use: (i: number) => boolean,
  ) {
    const outputs = outputsOf(t);
    const sums = new Float64Array(nCat * outputs);
    const counts = new Float64Array(nCat);
    const total = new Float64Array(outputs);
    let rows = 0;
    for (let i = 0; i < c.codes.length; i++) {
      if (!use(i)) continue;
      rows++;
      for (let o = 0; o < outputs; o++) total[o] += targetValue(t, i, o);
      const sl = slots[i];
      if (sl < 0) continue;
      counts[sl]++;
      for (let o = 0; o < outputs; o++) sums[sl * outputs + o] += targetValue(t, i, o);
    }
    const prior = Float64Array.from(total, (v) => v / Math.max(rows, 1));
    const encoded = new Float64Array(nCat * outputs);
    for (let q = 0; q < nCat; q++) {
      for (let o = 0; o < outputs; o++)
        encoded[q * outputs + o] = (sums[q * outputs + o] + m * prior[o]) / (counts[q] + m);
    }
    return { encoded, prior };
  }

  function run(frame: Frame, target?: TargetInfo): { state: TargetEncodingState; frame: Frame } {
    if (!target)
      throw new KeelError(
        TransformErrors.BAD_PIPELINE,
        'target encoding needs the target: use it inside pipeline()',
      );
    const cols = categoricalColumns(frame, options.columns);
    const outputs = outputsOf(target);
    const n = frame.nRows;
    const order = Array.from({ length: n }, (_, i) => i);
    shuffleInPlace(order, createRng(options.seed ?? 0));
    const fold = new Int32Array(n);
    order.forEach((row, pos) => {
      fold[row] = pos % k;
    });
    const state: TargetEncodingState = {
      kind: 'target',
      columns: cols.map((c) => c.name),
      categories: [],
      outputs,
      encoded: [],
      prior: new Float64Array(outputs),
    };
    const replaced = new Map<string, Column[]>();
    for (const c of cols) {
      const { categories } = categoryCounts(c);
      const slot = new Map(categories.map((v, q) => [v, q]));
      const levelSlot = Int32Array.from(c.levels, (lv) => slot.get(lv) ?? -1);
      const slots = Int32Array.from(c.codes, (code) => (code < 0 ? -1 : levelSlot[code]));
      const full = encode(c, slots, categories.length, target, () => true);
      state.categories.push(categories);
      state.encoded.push(full.encoded);
      state.prior = full.prior;
      const byFold = Array.from({ length: k }, (_, f) =>
        encode(c, slots, categories.length, target, (i) => fold[i] !== f),
      );
      replaced.set(
        c.name,
        targetColumns(c.name, c, categories, outputs, (i, q, o) => {
          const e = byFold[fold[i]];
          return q < 0 ? e.prior[o] : e.encoded[q * outputs + o];
        }),
      );
    }
    const out: Column[] = [];
    for (const c of frame.columns) out.push(...(replaced.get(c.name) ?? [c]));
    return { state, frame: new Frame(out) };
  }

  return {
    kind: 'target',
    fit: (frame, target) => run(frame, target).state,
    fitTransform: run,
  };
}

/** The hashing trick for high-cardinality categories: a fixed number of signed outputs, no vocabulary kept. */
export function hashEncoder(options: { columns?: string[]; nFeatures?: number } = {}): Transformer {
  const n = options.nFeatures ?? 32;
  if (!(Number.isInteger(n) && n >= 1))
    throw new KeelError(TransformErrors.BAD_PARAM, `nFeatures must be a positive integer, got ${n}`);
  return {
    kind: 'hash',
    fit(frame: Frame): HashState {
      return {
        kind: 'hash',
        columns: categoricalColumns(frame, options.columns).map((c) => c.name),
        nFeatures: n,
      };
    },
  };
}

/**
 * k-nearest-neighbour imputation of numeric columns (scikit-learn's KNNImputer with uniform weights): a missing value
 * is the mean of that column over the k training rows nearest by nan-Euclidean distance that have it. The training
 * rows travel in the artifact as the donors, so mind its size on large data.
 */
export function knnImputer(options: { columns?: string[]; k?: number } = {}): Transformer {
  const k = options.k ?? 5;
  if (!(Number.isInteger(k) && k >= 1))
    throw new KeelError(TransformErrors.BAD_PARAM, `k must be a positive integer, got ${k}`);
  return {
    kind: 'knn_impute',
    fit(frame: Frame): KnnImputerState {
      const cols = numericColumns(frame, options.columns);
      const p = cols.length;
      const n = frame.nRows;
      const donors = new Float64Array(n * p);
      const means = new Float64Array(p);
      cols.forEach(({ values }, j) => {
        let s = 0;
        let c = 0;
        for (let i = 0; i < n; i++) {
          donors[i * p + j] = values[i];
          if (!Number.isNaN(values[i])) {
            s += values[i];
            c++;
          }
        }
        means[j] = c ? s / c : 0;
      });
      return { kind: 'knn_impute', columns: cols.map((c) => c.name), k, donors, means };
    },
  };
}
