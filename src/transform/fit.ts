// Fitting of the transformers: median / most-frequent imputation, standard scaling, one-hot encoding.

import { median, moments } from '../core/index.ts';
import type { Frame } from '../data/index.ts';
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

/** One column per category seen in training (sorted); unseen categories and missing values encode as all zeros. */
export function oneHotEncoder(): Transformer {
  return {
    kind: 'one_hot',
    fit(frame: Frame): OneHotState {
      const columns: string[] = [];
      const categories: string[][] = [];
      for (const c of frame.columns) {
        if (c.type !== 'categorical') continue;
        const seen = new Set<number>();
        for (let i = 0; i < c.codes.length; i++) if (c.codes[i] >= 0) seen.add(c.codes[i]);
        columns.push(c.name);
        categories.push([...seen].map((k) => c.levels[k]).sort());
      }
      return { kind: 'one_hot', columns, categories };
    },
  };
}
