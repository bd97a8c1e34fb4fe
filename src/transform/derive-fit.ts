// Derived columns and selectors (inference in derive-apply.ts): calendar parts of date-times, durations between
// date-time columns, and column selection by variance or by correlation with another kept column.

import { KeelError, moments } from '../core/index.ts';
import type { Frame } from '../data/index.ts';
import {
  DATE_PARTS,
  type DatePart,
  type DatePartsState,
  type DropState,
  type DurationState,
} from './derive-apply.ts';
import { TransformErrors } from './errors.ts';
import { numericColumns } from './numeric-fit.ts';
import type { Transformer } from './types.ts';

/** Replaces each date-time column by its calendar parts (UTC), as plain numbers or as sine / cosine pairs. */
export function dateFeatures(
  options: { columns?: string[]; parts?: DatePart[]; cyclic?: boolean } = {},
): Transformer {
  const parts = options.parts ?? ['year', 'month', 'day', 'weekday', 'hour'];
  for (const p of parts) {
    if (!(DATE_PARTS as readonly string[]).includes(p)) {
      throw new KeelError(
        TransformErrors.BAD_PARAM,
        `unknown date part "${p}" (known: ${DATE_PARTS.join(', ')})`,
      );
    }
  }
  return {
    kind: 'date_parts',
    fit(frame: Frame): DatePartsState {
      const columns =
        options.columns ?? frame.columns.filter((c) => c.type === 'datetime').map((c) => c.name);
      for (const n of columns) {
        if (frame.column(n).type !== 'datetime') {
          throw new KeelError(TransformErrors.NOT_NUMERIC, `column "${n}" is not a date-time`, { column: n });
        }
      }
      return { kind: 'date_parts', columns, parts: [...parts], cyclic: options.cyclic ?? false };
    },
  };
}

const UNITS = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/** Adds (end - start) in the given unit for each pair of date-time columns. */
export function durationBetween(
  pairs: { start: string; end: string; name?: string; unit?: keyof typeof UNITS }[],
): Transformer {
  return {
    kind: 'duration',
    fit(frame: Frame): DurationState {
      for (const p of pairs) {
        for (const n of [p.start, p.end]) {
          if (frame.column(n).type === 'categorical') {
            throw new KeelError(TransformErrors.NOT_NUMERIC, `column "${n}" is not a date-time`, {
              column: n,
            });
          }
        }
      }
      return {
        kind: 'duration',
        start: pairs.map((p) => p.start),
        end: pairs.map((p) => p.end),
        names: pairs.map((p) => p.name ?? `${p.end}_minus_${p.start}`),
        unitMs: Float64Array.from(pairs, (p) => UNITS[p.unit ?? 'days']),
      };
    },
  };
}

/** Drops numeric columns whose variance (missing values ignored) is at most `threshold` (default 0: constants). */
export function varianceThreshold(options: { threshold?: number; columns?: string[] } = {}): Transformer {
  const t = options.threshold ?? 0;
  return {
    kind: 'drop',
    fit(frame: Frame): DropState {
      const drop: string[] = [];
      const reasons: string[] = [];
      for (const { name, values } of numericColumns(frame, options.columns)) {
        const m = moments(values);
        const v = m.count === 0 ? 0 : m.variance;
        if (v <= t) {
          drop.push(name);
          reasons.push(`variance ${v} <= ${t}`);
        }
      }
      return { kind: 'drop', drop, reasons };
    },
  };
}

/** Pearson correlation over the rows where both values are present. */
export function pearson(a: Float64Array, b: Float64Array): number {
  let n = 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    n++;
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}

/** Drops the later column of every pair of numeric columns correlated beyond |r| > threshold (default 0.95). */
export function correlationFilter(options: { threshold?: number; columns?: string[] } = {}): Transformer {
  const t = options.threshold ?? 0.95;
  return {
    kind: 'drop',
    fit(frame: Frame): DropState {
      const cols = numericColumns(frame, options.columns);
      const drop: string[] = [];
      const reasons: string[] = [];
      const kept: typeof cols = [];
      for (const c of cols) {
        const twin = kept.find((k) => Math.abs(pearson(k.values, c.values)) > t);
        if (twin) {
          drop.push(c.name);
          reasons.push(
            `|r| with "${twin.name}" = ${Math.abs(pearson(twin.values, c.values)).toFixed(4)} > ${t}`,
          );
        } else kept.push(c);
      }
      return { kind: 'drop', drop, reasons };
    },
  };
}
