// Inference side of derived and selected columns: calendar parts of date-times (with cyclic sine / cosine
// encodings), durations between two date-time columns, and dropping the columns a selector chose to remove.

import { KeelError } from '../core/index.ts';
import { type Column, Frame } from '../data/index.ts';
import { replaceColumns } from './columns.ts';
import { TransformErrors } from './errors.ts';
import type { TransformState } from './types.ts';

export const DATE_PARTS = ['year', 'month', 'day', 'weekday', 'hour', 'minute', 'dayofyear'] as const;
export type DatePart = (typeof DATE_PARTS)[number];

/** Cycle lengths of the parts that wrap around (sine / cosine keep December next to January). */
const CYCLE: Partial<Record<DatePart, number>> = {
  month: 12,
  weekday: 7,
  hour: 24,
  minute: 60,
  dayofyear: 366,
};

export interface DatePartsState extends TransformState {
  kind: 'date_parts';
  columns: string[];
  parts: string[];
  cyclic: boolean;
}

export interface DurationState extends TransformState {
  kind: 'duration';
  /** output = (end - start) / unitMs */
  start: string[];
  end: string[];
  names: string[];
  unitMs: Float64Array;
}

export interface DropState extends TransformState {
  kind: 'drop';
  /** what the selector found, kept for the record: column → reason */
  drop: string[];
  reasons: string[];
}

export const DERIVE_KINDS = new Set(['date_parts', 'duration', 'drop']);

function partOf(ms: number, part: DatePart): number {
  if (Number.isNaN(ms)) return Number.NaN;
  const d = new Date(ms);
  switch (part) {
    case 'year':
      return d.getUTCFullYear();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'day':
      return d.getUTCDate();
    case 'weekday':
      return d.getUTCDay();
    case 'hour':
      return d.getUTCHours();
    case 'minute':
      return d.getUTCMinutes();
    case 'dayofyear':
      return Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
  }
}

function numeric(frame: Frame, name: string): Float64Array {
  const c = frame.column(name);
  if (c.type === 'categorical')
    throw new KeelError(TransformErrors.NOT_NUMERIC, `column "${name}" is not a date-time`);
  return c.values;
}

export function applyDerive(state: TransformState, frame: Frame): Frame {
  switch (state.kind) {
    case 'date_parts': {
      const s = state as DatePartsState;
      return replaceColumns(frame, s.columns, (c) => {
        const ms = numeric(frame, c.name);
        const cols: Column[] = [];
        for (const p of s.parts as DatePart[]) {
          const v = Float64Array.from(ms, (t) => partOf(t, p));
          const cycle = CYCLE[p];
          if (s.cyclic && cycle) {
            cols.push({
              name: `${c.name}_${p}_sin`,
              type: 'numeric',
              values: v.map((x) => Math.sin((2 * Math.PI * x) / cycle)),
            });
            cols.push({
              name: `${c.name}_${p}_cos`,
              type: 'numeric',
              values: v.map((x) => Math.cos((2 * Math.PI * x) / cycle)),
            });
          } else cols.push({ name: `${c.name}_${p}`, type: 'numeric', values: v });
        }
        return cols;
      });
    }
    case 'duration': {
      const s = state as DurationState;
      const added: Column[] = s.names.map((name, j) => {
        const a = numeric(frame, s.start[j]);
        const b = numeric(frame, s.end[j]);
        return { name, type: 'numeric', values: Float64Array.from(a, (v, i) => (b[i] - v) / s.unitMs[j]) };
      });
      return new Frame([...frame.columns, ...added]);
    }
    case 'drop': {
      const s = state as DropState;
      return frame.drop(s.drop.filter((n) => frame.has(n)));
    }
    default:
      throw new KeelError(TransformErrors.UNKNOWN_KIND, `no inference for transform "${state.kind}"`);
  }
}
