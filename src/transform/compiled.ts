// A compiled scorer for the common pipelines (imputation, standard scaling, one-hot, in any order): each model feature
// is computed straight from a request's field values with the same arithmetic, in the same order, as the frame path —
// so outputs are bit-identical — without building intermediate frames. Other step kinds fall back to the frame path.

import { KeelError } from '../core/index.ts';
import type { Frame, Schema } from '../data/index.ts';
import { decide, type Matrix, type Predictor } from '../estimator/index.ts';
import {
  type ImputeState,
  type OneHotState,
  type PipelineOutput,
  type PipelineState,
  type StandardScaleState,
  TransformErrors,
} from './inference.ts';

type Source =
  | { kind: 'num'; col: string; fill: number | null; affine: { mean: number; scale: number }[] }
  | { kind: 'cat'; col: string; fill: string | null; level: string };

/**
 * A field value after validation (the data room's value layer): numbers (date-times as epoch ms), strings
 * (categories), booleans, null for missing.
 */
export type RecordValue = number | string | boolean | null;

/** Feature sources for each model input, or null when the pipeline uses a step this compiler does not know. */
function compileSources(state: PipelineState): Source[] | null {
  // follow each input column through the steps: which fill, which affine maps, which one-hot expansion
  const num = new Map<string, { fill: number | null; affine: { mean: number; scale: number }[] }>();
  const cat = new Map<string, { fill: string | null; onehot: string[] | null }>();
  for (const c of state.inputSchema.columns) {
    if (c.type === 'categorical') cat.set(c.name, { fill: null, onehot: null });
    else num.set(c.name, { fill: null, affine: [] });
  }
  for (const step of state.steps) {
    if (step.kind === 'impute') {
      const s = step as ImputeState;
      for (const [j, name] of s.numeric.entries()) {
        const n = num.get(name);
        if (!n || n.affine.length > 0) return null; // imputing after scaling: not compiled
        n.fill = s.numericFill[j];
      }
      for (const [j, name] of s.categorical.entries()) {
        const c = cat.get(name);
        if (!c || c.onehot) return null;
        c.fill = s.categoricalFill[j];
      }
    } else if (step.kind === 'standard_scale') {
      const s = step as StandardScaleState;
      for (const [j, name] of s.columns.entries()) {
        const n = num.get(name);
        if (!n) return null;
        n.affine.push({ mean: s.mean[j], scale: s.scale[j] });
      }
    } else if (step.kind === 'one_hot') {
      const s = step as OneHotState;
      if (s.other?.some(Boolean)) return null; // a pooled "(other)" output: the frame path handles it
      for (const [j, name] of s.columns.entries()) {
        const c = cat.get(name);
        if (!c || c.onehot) return null;
        c.onehot = s.categories[j];
      }
    } else return null;
  }
  const sources: Source[] = [];
  for (const f of state.featureNames) {
    const n = num.get(f);
    if (n) {
      sources.push({ kind: 'num', col: f, fill: n.fill, affine: n.affine });
      continue;
    }
    const eq = f.indexOf('=');
    const col = eq > 0 ? f.slice(0, eq) : '';
    const c = cat.get(col);
    if (!c?.onehot) return null;
    sources.push({ kind: 'cat', col, fill: c.fill, level: f.slice(eq + 1) });
  }
  return sources;
}

export interface CompiledScorer {
  /** rows of validated field values (numbers, trimmed strings, booleans, epoch ms for date-times, null); text in a
   * numeric, boolean or date-time field is refused: the value layer reads it, with the model's reading rules */
  scoreRecords(records: readonly Record<string, RecordValue>[]): PipelineOutput;
}

interface NumPlan {
  col: string;
  feature: number;
  fill: number | null;
  /** mean, scale pairs applied in order */
  affine: Float64Array;
}

interface CatPlan {
  col: string;
  fill: string | null;
  /** category → its one-hot feature */
  slot: Map<string, number>;
  /** untrimmed spellings seen in requests → the feature of their trimmed category (bounded) */
  aliases: Map<string, number>;
  /** a category with spaces around it (the frame path trims requests, so such a level never matches) */
  paddedLevels: boolean;
}

/** How many untrimmed spellings a categorical column remembers. */
const MAX_ALIASES = 4096;

export function compileScorer(state: PipelineState, predictor: Predictor): CompiledScorer | null {
  const sources = compileSources(state);
  if (!sources) return null;
  const p = sources.length;
  const classes = state.classes ?? [];
  // one plan per input column, so each field of a request is read once
  const nums: NumPlan[] = [];
  const cats = new Map<string, CatPlan>();
  sources.forEach((s, j) => {
    if (s.kind === 'num')
      nums.push({
        col: s.col,
        feature: j,
        fill: s.fill,
        affine: Float64Array.from(s.affine.flatMap((a) => [a.mean, a.scale])),
      });
    else {
      let c = cats.get(s.col);
      if (!c)
        cats.set(
          s.col,
          (c = { col: s.col, fill: s.fill, slot: new Map(), aliases: new Map(), paddedLevels: false }),
        );
      if (trimmed(s.level) !== s.level) c.paddedLevels = true;
      c.slot.set(s.level, j);
    }
  });
  const catPlans = [...cats.values()];
  return {
    scoreRecords(records) {
      const n = records.length;
      const data = new Float64Array(n * p); // one-hot features start at 0, as the frame path computes them
      for (let i = 0; i < n; i++) {
        const r = records[i];
        const base = i * p;
        for (const s of nums) {
          const raw = r[s.col];
          let v: number;
          if (typeof raw === 'number') v = raw;
          else if (raw === null || raw === undefined) v = Number.NaN;
          else if (typeof raw === 'boolean') v = raw ? 1 : 0;
          else throw notNormalised(s.col, raw);
          if (Number.isNaN(v) && s.fill !== null) v = s.fill;
          for (let a = 0; a < s.affine.length; a += 2) v = (v - s.affine[a]) / s.affine[a + 1];
          data[base + s.feature] = v;
        }
        for (const c of catPlans) {
          const raw = r[c.col];
          let j: number | undefined;
          if (raw === null || raw === undefined) {
            if (c.fill === null) continue;
            j = c.slot.get(c.fill);
          } else {
            // a category as trained, or a spelling with spaces around it seen before: no trim, no new string
            j = c.paddedLevels ? undefined : (c.slot.get(raw as string) ?? c.aliases.get(raw as string));
            if (j === undefined) {
              j = c.slot.get(trimmed(raw as string));
              if (j !== undefined && c.aliases.size < MAX_ALIASES) c.aliases.set(raw as string, j);
            }
          }
          if (j !== undefined) data[base + j] = 1;
        }
      }
      const X: Matrix = { data, rows: n, cols: p };
      const out = predictor(state.model.state, X);
      if (out.kind === 'values') return { task: state.task, values: out.values };
      const K = out.classes;
      const labels: (string | number | boolean)[] = [];
      if (state.decision && K === 2) {
        const chosen = decide(state.decision, out.values, n);
        for (let i = 0; i < n; i++) labels.push(classes[chosen[i]]);
        return { task: state.task, probabilities: out.values, labels };
      }
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let k = 1; k < K; k++) if (out.values[i * K + k] > out.values[i * K + best]) best = k;
        labels.push(classes[best]);
      }
      return { task: state.task, probabilities: out.values, labels };
    },
  };
}

function notNormalised(col: string, raw: unknown): KeelError {
  return new KeelError(
    TransformErrors.NOT_NUMERIC,
    `field "${col}" holds text ${JSON.stringify(String(raw).slice(0, 40))}: records must be validated (read by the value layer) before scoring`,
  );
}

/** The string without surrounding whitespace (the common untouched case allocates nothing). */
function trimmed(s: string): string {
  const n = s.length;
  return n > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(n - 1) <= 32 || /^\s|\s$/.test(s)) ? s.trim() : s;
}

/** Field values of a frame's rows in the form compiled scorers take (for tests and batch paths). */
export function frameRecords(frame: Frame, schema: Schema): Record<string, RecordValue>[] {
  const out: Record<string, RecordValue>[] = [];
  for (let i = 0; i < frame.nRows; i++) {
    const r: Record<string, RecordValue> = {};
    for (const c of schema.columns) {
      const col = frame.column(c.name);
      if (col.type === 'categorical') r[c.name] = col.codes[i] < 0 ? null : col.levels[col.codes[i]];
      else r[c.name] = Number.isNaN(col.values[i]) ? null : col.values[i];
    }
    out.push(r);
  }
  return out;
}
