// Feature selection that looks at the target: permutation importance under a learner you pass in (optionally
// recursive elimination), and mutual information from quantile bins. Both only choose columns to drop, so inference
// is the plain `drop` step and the artifact holds no model of theirs.

import { createRng, KeelError, percentileNumpy, shuffleInPlace, sortedFinite } from '../core/index.ts';
import type { Frame } from '../data/index.ts';
import type { Learner } from '../estimator/index.ts';
import type { DropState } from './derive-apply.ts';
import { TransformErrors } from './errors.ts';
import { numericColumns } from './numeric-fit.ts';
import type { TargetInfo, Transformer } from './types.ts';

/** Mean loss of predictions: log loss (classification) or squared error (regression). */
function loss(out: { values: Float64Array }, y: Float64Array, info: TargetInfo): number {
  let s = 0;
  if (info.task === 'regression') {
    for (let i = 0; i < y.length; i++) s += (out.values[i] - y[i]) ** 2;
  } else {
    const K = info.classes;
    for (let i = 0; i < y.length; i++) s -= Math.log(Math.max(out.values[i * K + y[i]], 1e-15));
  }
  return s / y.length;
}

/** Importance of each column: the loss increase when its values are shuffled (mean over repeats), on the fit rows. */
function permutationImportance(
  learner: Learner,
  data: Float64Array[],
  info: TargetInfo,
  repeats: number,
  seed: number,
): number[] {
  const n = info.y.length;
  const p = data.length;
  const matrix = (cols: Float64Array[]) => {
    const d = new Float64Array(n * p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) d[i * p + j] = cols[j][i];
    return { data: d, rows: n, cols: p };
  };
  const model = learner.fit(matrix(data), info.y, info.task, info.classes);
  const base = loss(model.predict(matrix(data)), info.y, info);
  const rng = createRng(seed);
  return data.map((col, j) => {
    let sum = 0;
    for (let r = 0; r < repeats; r++) {
      const shuffled = Float64Array.from(col);
      shuffleInPlace(shuffled as unknown as number[], rng);
      const cols = data.slice();
      cols[j] = shuffled;
      sum += loss(model.predict(matrix(cols)), info.y, info) - base;
    }
    return sum / repeats;
  });
}

export interface ImportanceSelectorOptions {
  /** the model whose predictions the importances are measured on */
  learner: Learner;
  /** numeric columns to keep */
  keep: number;
  /** drop one at a time and re-measure (recursive elimination); default: measure once */
  recursive?: boolean;
  repeats?: number;
  seed?: number;
  columns?: string[];
}

/** Keeps the `keep` numeric columns that matter most to the learner's predictions; the others are dropped. */
export function importanceSelector(options: ImportanceSelectorOptions): Transformer {
  if (!(Number.isInteger(options.keep) && options.keep >= 1)) {
    throw new KeelError(TransformErrors.BAD_PARAM, `keep must be a positive integer, got ${options.keep}`);
  }
  return {
    kind: 'drop',
    fit(frame: Frame, target?: TargetInfo): DropState {
      if (!target)
        throw new KeelError(
          TransformErrors.BAD_PIPELINE,
          'importance selection needs the target: use it inside pipeline()',
        );
      let cols = numericColumns(frame, options.columns);
      const drop: string[] = [];
      const reasons: string[] = [];
      const repeats = options.repeats ?? 3;
      let round = 0;
      while (cols.length > options.keep) {
        const imp = permutationImportance(
          options.learner,
          cols.map((c) => c.values),
          target,
          repeats,
          (options.seed ?? 0) + round,
        );
        const order = cols
          .map((c, j) => ({ c, imp: imp[j] }))
          .sort((a, b) => a.imp - b.imp || (a.c.name < b.c.name ? -1 : 1));
        const cut = options.recursive ? 1 : cols.length - options.keep;
        for (const { c, imp: v } of order.slice(0, cut)) {
          drop.push(c.name);
          reasons.push(
            `permutation importance ${v.toPrecision(4)}${options.recursive ? ` (elimination round ${round + 1})` : ''}`,
          );
        }
        const gone = new Set(order.slice(0, cut).map((o) => o.c.name));
        cols = cols.filter((c) => !gone.has(c.name));
        round++;
      }
      return { kind: 'drop', drop, reasons };
    },
  };
}

/** Quantile bin codes (numpy percentiles as edges), NaN as its own bin. */
function binCodes(x: Float64Array, bins: number): Int32Array {
  const s = sortedFinite(x);
  const edges = Array.from({ length: bins - 1 }, (_, k) => percentileNumpy(s, ((k + 1) * 100) / bins));
  return Int32Array.from(x, (v) => {
    if (Number.isNaN(v)) return bins;
    let b = 0;
    while (b < edges.length && v > edges[b]) b++;
    return b;
  });
}

/** Mutual information (nats) of two code arrays, from their joint histogram. */
export function mutualInformation(a: Int32Array, b: Int32Array): number {
  const n = a.length;
  const joint = new Map<string, number>();
  const ca = new Map<number, number>();
  const cb = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]},${b[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    ca.set(a[i], (ca.get(a[i]) ?? 0) + 1);
    cb.set(b[i], (cb.get(b[i]) ?? 0) + 1);
  }
  let mi = 0;
  for (const [key, nab] of joint) {
    const [x, y] = key.split(',').map(Number);
    mi += (nab / n) * Math.log((nab * n) / ((ca.get(x) as number) * (cb.get(y) as number)));
  }
  return mi;
}

/** Keeps the `keep` numeric columns with the highest mutual information with the target (quantile-binned). */
export function mutualInfoSelector(options: {
  keep: number;
  bins?: number;
  columns?: string[];
}): Transformer {
  const bins = options.bins ?? 10;
  return {
    kind: 'drop',
    fit(frame: Frame, target?: TargetInfo): DropState {
      if (!target)
        throw new KeelError(
          TransformErrors.BAD_PIPELINE,
          'mutual information needs the target: use it inside pipeline()',
        );
      const yCodes = target.task === 'regression' ? binCodes(target.y, bins) : Int32Array.from(target.y);
      const scored = numericColumns(frame, options.columns)
        .map((c) => ({ name: c.name, mi: mutualInformation(binCodes(c.values, bins), yCodes) }))
        .sort((a, b) => b.mi - a.mi || (a.name < b.name ? -1 : 1));
      const dropped = scored.slice(options.keep);
      return {
        kind: 'drop',
        drop: dropped.map((d) => d.name),
        reasons: dropped.map((d) => `mutual information ${d.mi.toPrecision(4)} nats`),
      };
    },
  };
}
