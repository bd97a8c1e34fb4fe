// A compiled scorer for the common pipelines (imputation, standard scaling, one-hot, in any order): each model feature
// is computed straight from a request's field values with the same arithmetic, in the same order, as the frame path —
// so outputs are bit-identical — without building intermediate frames. Other step kinds fall back to the frame path.

import type { Frame, Schema } from '../data/index.ts';
import type { Matrix, Predictor } from '../estimator/index.ts';
import type {
  ImputeState,
  OneHotState,
  PipelineOutput,
  PipelineState,
  StandardScaleState,
} from './inference.ts';

type Source =
  | { kind: 'num'; col: string; fill: number | null; affine: { mean: number; scale: number }[] }
  | { kind: 'cat'; col: string; fill: string | null; level: string };

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
  /** rows of validated field values (numbers, trimmed strings, booleans, epoch ms for date-times, null) */
  scoreRecords(records: readonly Record<string, RecordValue>[]): PipelineOutput;
}

export function compileScorer(state: PipelineState, predictor: Predictor): CompiledScorer | null {
  const sources = compileSources(state);
  if (!sources) return null;
  const p = sources.length;
  const classes = state.classes ?? [];
  return {
    scoreRecords(records) {
      const n = records.length;
      const data = new Float64Array(n * p);
      for (let i = 0; i < n; i++) {
        const r = records[i];
        for (let j = 0; j < p; j++) {
          const s = sources[j];
          const raw = r[s.col];
          if (s.kind === 'num') {
            let v =
              raw === null || raw === undefined
                ? Number.NaN
                : typeof raw === 'boolean'
                  ? raw
                    ? 1
                    : 0
                  : (raw as number);
            if (Number.isNaN(v) && s.fill !== null) v = s.fill;
            for (const a of s.affine) v = (v - a.mean) / a.scale;
            data[i * p + j] = v;
          } else {
            const v = raw === null || raw === undefined ? s.fill : (raw as string);
            data[i * p + j] = v === s.level ? 1 : 0;
          }
        }
      }
      const X: Matrix = { data, rows: n, cols: p };
      const out = predictor(state.model.state, X);
      if (out.kind === 'values') return { task: state.task, values: out.values };
      const K = out.classes;
      const labels: (string | number | boolean)[] = [];
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let k = 1; k < K; k++) if (out.values[i * K + k] > out.values[i * K + best]) best = k;
        labels.push(classes[best]);
      }
      return { task: state.task, probabilities: out.values, labels };
    },
  };
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
