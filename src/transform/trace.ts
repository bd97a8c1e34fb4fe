// Where each model feature comes from: replays a fitted pipeline's steps on column names only (no data), so every
// feature the model sees can be traced back to the input columns it was computed from.

import type { DatePartsState, DropState, DurationState } from './derive-apply.ts';
import type { HashState, ImputerState, TargetEncodingState } from './encode-apply.ts';
import { columnsOf, type ExpressionState } from './expression.ts';
import type { OneHotState, PipelineState } from './inference.ts';
import type { ModelStepState } from './model-step-apply.ts';
import type { PcaState, PolynomialState } from './numeric-apply.ts';
import type { TextState } from './text-apply.ts';
import type { TransformState } from './types.ts';

type Sources = Map<string, string[]>;

/** Replaces `name` by `outputs`, each derived from the sources of `from` (in place, keeping the column order). */
function expand(cur: Sources, name: string, outputs: string[], from: string[] = [name]): Sources {
  const srcs = [...new Set(from.flatMap((f) => cur.get(f) ?? [f]))];
  const next: Sources = new Map();
  for (const [k, v] of cur) {
    if (k !== name) next.set(k, v);
    else for (const o of outputs) next.set(o, srcs);
  }
  return next;
}

function step(cur: Sources, s: TransformState): Sources {
  switch (s.kind) {
    case 'imputer': {
      const st = s as ImputerState;
      const next = new Map(cur);
      for (const n of st.indicators) next.set(`missingindicator_${n}`, cur.get(n) ?? [n]);
      return next;
    }
    case 'one_hot': {
      const st = s as OneHotState;
      let next = cur;
      st.columns.forEach((col, j) => {
        const names = st.categories[j].map((c) => `${col}=${c}`);
        if (st.other?.[j]) names.push(`${col}=(other)`);
        next = expand(next, col, names);
      });
      return next;
    }
    case 'target': {
      const st = s as TargetEncodingState;
      let next = cur;
      for (const col of st.columns) {
        next = expand(
          next,
          col,
          st.outputs === 1 ? [col] : Array.from({ length: st.outputs }, (_, o) => `${col}_${o}`),
        );
      }
      return next;
    }
    case 'hash': {
      const st = s as HashState;
      let next = cur;
      for (const col of st.columns)
        next = expand(
          next,
          col,
          Array.from({ length: st.nFeatures }, (_, k) => `${col}#${k}`),
        );
      return next;
    }
    case 'text': {
      const st = s as TextState;
      let next = cur;
      st.columns.forEach((col, j) => {
        const names =
          st.mode === 'hashing'
            ? Array.from({ length: st.nFeatures }, (_, k) => `${col}#${k}`)
            : st.vocabulary[j].map((t) => `${col}[${t}]`);
        next = expand(next, col, names);
      });
      return next;
    }
    case 'polynomial': {
      const st = s as PolynomialState;
      // the expansion takes the place of the first input; the other inputs are consumed
      const next: Sources = new Map();
      for (const [k, v] of cur) {
        if (k === st.columns[0]) {
          st.names.forEach((name, t) => {
            next.set(name, [
              ...new Set(st.terms[t].flatMap((j) => cur.get(st.columns[j]) ?? [st.columns[j]])),
            ]);
          });
        } else if (!st.columns.includes(k)) next.set(k, v);
      }
      return next;
    }
    case 'pca': {
      const st = s as PcaState;
      const srcs = [...new Set(st.columns.flatMap((c) => cur.get(c) ?? [c]))];
      const next: Sources = new Map([...cur].filter(([k]) => !st.columns.includes(k)));
      for (const n of st.names) next.set(n, srcs);
      return next;
    }
    case 'date_parts': {
      const st = s as DatePartsState;
      let next = cur;
      for (const col of st.columns) {
        const names = st.parts.flatMap((p) =>
          st.cyclic && p !== 'year' && p !== 'day' ? [`${col}_${p}_sin`, `${col}_${p}_cos`] : [`${col}_${p}`],
        );
        next = expand(next, col, names);
      }
      return next;
    }
    case 'duration': {
      const st = s as DurationState;
      const next = new Map(cur);
      st.names.forEach((n, j) => {
        next.set(n, [...new Set([...(cur.get(st.start[j]) ?? []), ...(cur.get(st.end[j]) ?? [])])]);
      });
      return next;
    }
    case 'expression': {
      const st = s as ExpressionState;
      const next = new Map(cur);
      st.names.forEach((n, k) => {
        next.set(n, [...new Set(columnsOf(st.exprs[k]).flatMap((c) => cur.get(c) ?? [c]))]);
      });
      return next;
    }
    case 'model_step': {
      const st = s as ModelStepState;
      return new Map([...cur, [st.name, [...new Set(st.columns.flatMap((c) => cur.get(c) ?? [c]))]]]);
    }
    case 'drop': {
      const st = s as DropState;
      return new Map([...cur].filter(([k]) => !st.drop.includes(k)));
    }
    default:
      // imputation, scaling, power, clipping, binning, ordinal and frequency encoding keep the name
      return cur;
  }
}

/** For each model feature, the input columns it was computed from. */
export function featureSources(state: PipelineState): Record<string, string[]> {
  let cur: Sources = new Map(state.inputSchema.columns.map((c) => [c.name, [c.name]]));
  for (const s of state.steps) cur = step(cur, s);
  return Object.fromEntries(state.featureNames.map((f) => [f, cur.get(f) ?? []]));
}
