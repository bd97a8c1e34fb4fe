// Fitting of the transformers: median / most-frequent imputation, standard scaling, one-hot encoding.

import { KeelError, median, moments } from '../core/index.ts';
import type { Frame } from '../data/index.ts';
import { TransformErrors } from './errors.ts';
import type { ImputeState, OneHotState, StandardScaleState } from './inference.ts';
import type { Transformer } from './types.ts';

/** Numeric columns get their median, categorical columns their most frequent value (ties: smallest string). */
export function simpleImputer(): Transformer {
  return {
    kind: 'impute',
    fit(frame: Frame): ImputeState {
      const numeric: string[] = [];
      const numericFill: number[] = [];
      const categorical: string[] = [];
      const categoricalFill: string[] = [];
      for (const c of frame.columns) {
        if (c.type === 'categorical') {
          const counts = new Float64Array(c.levels.length);
          for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) counts[c.codes[i]]++;
          let best = -1;
          for (let k = 0; k < counts.length; k++) {
            if (counts[k] === 0) continue;
            if (
              best < 0 ||
              counts[k] > counts[best] ||
              (counts[k] === counts[best] && c.levels[k] < c.levels[best])
            )
              best = k;
          }
          categorical.push(c.name);
          categoricalFill.push(best < 0 ? 'missing' : c.levels[best]);
        } else {
          const m = median(c.values);
          numeric.push(c.name);
          numericFill.push(Number.isNaN(m) ? 0 : m);
        }
      }
      return {
        kind: 'impute',
        numeric,
        numericFill: Float64Array.from(numericFill),
        categorical,
        categoricalFill,
      };
    },
  };
}

/** (x - mean) / std over numeric columns; population std, and 1 where it is 0 (as scikit-learn). */
export function standardScaler(): Transformer {
  return {
    kind: 'standard_scale',
    fit(frame: Frame): StandardScaleState {
      const columns: string[] = [];
      const mean: number[] = [];
      const scale: number[] = [];
      for (const c of frame.columns) {
        if (c.type === 'categorical') continue;
        const m = moments(c.values);
        columns.push(c.name);
        mean.push(Number.isNaN(m.mean) ? 0 : m.mean);
        const sd = Math.sqrt(m.variance);
        scale.push(sd > 0 && Number.isFinite(sd) ? sd : 1);
      }
      return {
        kind: 'standard_scale',
        columns,
        mean: Float64Array.from(mean),
        scale: Float64Array.from(scale),
      };
    },
  };
}

export interface OneHotOptions {
  /** the categorical columns to encode (default: every one) */
  columns?: string[];
  /**
   * categories seen in fewer training rows (a count, or a share of the rows when below 1) are pooled into one
   * `<column>=(other)` output, which also takes categories never seen in training
   */
  minFrequency?: number;
}

/**
 * One column per category seen in training (sorted); missing values encode as all zeros, and so do unseen categories
 * unless infrequent ones are pooled (`minFrequency`), in which case unseen ones join the pool.
 */
export function oneHotEncoder(options: OneHotOptions = {}): Transformer {
  const minFrequency = options.minFrequency ?? 0;
  if (!(minFrequency >= 0))
    throw new KeelError(TransformErrors.BAD_PARAM, `minFrequency must be >= 0, got ${minFrequency}`);
  return {
    kind: 'one_hot',
    fit(frame: Frame): OneHotState {
      const columns: string[] = [];
      const categories: string[][] = [];
      const other: boolean[] = [];
      const chosen = options.columns ? new Set(options.columns) : null;
      for (const c of frame.columns) {
        if (c.type !== 'categorical' || (chosen && !chosen.has(c.name))) continue;
        const counts = new Map<number, number>();
        let rows = 0;
        for (let i = 0; i < c.codes.length; i++) {
          if (c.codes[i] < 0) continue;
          counts.set(c.codes[i], (counts.get(c.codes[i]) ?? 0) + 1);
          rows++;
        }
        const floor = minFrequency > 0 && minFrequency < 1 ? minFrequency * rows : minFrequency;
        const frequent = [...counts].filter(([, n]) => n >= floor).map(([k]) => c.levels[k]);
        columns.push(c.name);
        categories.push(frequent.sort());
        other.push(frequent.length < counts.size);
      }
      if (chosen) {
        for (const name of chosen) {
          if (!columns.includes(name))
            throw new KeelError(TransformErrors.BAD_PIPELINE, `column "${name}" is not categorical`);
        }
      }
      return { kind: 'one_hot', columns, categories, other };
    },
  };
}
