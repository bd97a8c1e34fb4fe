// Model validation over frames: cross-validation (the learner, typically a pipeline, is fitted on each training fold
// only, after an optional resampler such as SMOTE that also sees the training fold only), learning curves with
// the generalisation gap, validation curves over one param, and metrics by slice of a categorical column.

import { KeelError } from '../core/index.ts';
import type { Column, Frame } from '../data/index.ts';
import type { Task } from '../estimator/index.ts';
import type { Fold } from './cv.ts';
import { EvaluateErrors } from './errors.ts';
import { classificationMetrics, type MetricSet, regressionMetrics } from './report.ts';

/** What validation needs of a fitted model over frames (a fitted pipeline is one). */
export interface FrameModel {
  state: { task: Task; classes: (string | number | boolean)[] | null };
  predict(frame: Frame): { probabilities?: Float64Array; values?: Float64Array };
}

export interface FrameLearner {
  fit(frame: Frame, target: string, options?: { task?: Task; sampleWeight?: Float64Array }): FrameModel;
}

/** Resamples a training fold (over/under sampling, SMOTE); never called on test rows. */
export type Resampler = (train: Frame, target: string, seed: number) => Frame;

function labelAt(c: Column, i: number): string | number | boolean | null {
  if (c.type === 'categorical') return c.codes[i] < 0 ? null : c.levels[c.codes[i]];
  const v = c.values[i];
  if (Number.isNaN(v)) return null;
  return c.type === 'boolean' ? v === 1 : v;
}

/** Scores a fitted model on rows with the target: the task's metric set (classification or regression). */
export function scoreModel(model: FrameModel, frame: Frame, target: string): MetricSet {
  const out = model.predict(frame.drop([target]));
  const col = frame.column(target);
  const n = frame.nRows;
  const { task, classes } = model.state;
  if (task === 'regression') {
    const y = Float64Array.from({ length: n }, (_, i) => labelAt(col, i) as number);
    return regressionMetrics(y, out.values as Float64Array);
  }
  const K = (classes as unknown[]).length;
  const index = new Map((classes as (string | number | boolean)[]).map((c, k) => [c, k]));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = index.get(labelAt(col, i) as string);
    if (k === undefined) {
      throw new KeelError(
        EvaluateErrors.BAD_INPUT,
        `row ${i}: class ${String(labelAt(col, i))} was not in the training rows`,
      );
    }
    y[i] = k;
  }
  return classificationMetrics(y, out.probabilities as Float64Array, K);
}

export interface FoldResult {
  repeat: number;
  fold: number;
  trainRows: number;
  testRows: number;
  fitSeconds: number;
  metrics: MetricSet;
}

export interface CrossValidation {
  folds: FoldResult[];
  mean: MetricSet;
  std: MetricSet;
}

export interface CrossValidateOptions {
  task?: Task;
  resample?: Resampler;
  /** seed handed to the resampler (plus the fold number) */
  seed?: number;
  /**
   * one weight per row of the frame: each fold's fit gets its training rows' weights (test metrics stay
   * unweighted, as scikit-learn's cross_validate with a fit-time sample_weight); not with a resampler, whose new rows
   * have no weights
   */
  sampleWeight?: Float64Array;
  onFold?: (result: FoldResult, done: number, total: number) => void;
}

export function crossValidate(
  learner: FrameLearner,
  frame: Frame,
  target: string,
  folds: readonly Fold[],
  options: CrossValidateOptions = {},
): CrossValidation {
  if (folds.length === 0)
    throw new KeelError(EvaluateErrors.BAD_SPLIT, 'cross-validation needs at least one fold');
  const weights = options.sampleWeight;
  if (weights && weights.length !== frame.nRows)
    throw new KeelError(
      EvaluateErrors.BAD_INPUT,
      `sampleWeight has ${weights.length} weights for ${frame.nRows} rows: give one per row`,
    );
  if (weights && options.resample)
    throw new KeelError(
      EvaluateErrors.BAD_INPUT,
      'sampleWeight cannot be combined with resample: resampled rows have no weights (weight the classes instead)',
    );
  const results: FoldResult[] = [];
  for (const f of folds) {
    let train = frame.take(f.train);
    if (options.resample) train = options.resample(train, target, (options.seed ?? 0) + results.length);
    const sampleWeight = weights ? Float64Array.from(f.train, (i) => weights[i]) : undefined;
    const t0 = performance.now();
    const model = learner.fit(
      train,
      target,
      sampleWeight ? { task: options.task, sampleWeight } : { task: options.task },
    );
    const fitSeconds = (performance.now() - t0) / 1000;
    const result: FoldResult = {
      repeat: f.repeat,
      fold: f.fold,
      trainRows: train.nRows,
      testRows: f.test.length,
      fitSeconds,
      metrics: scoreModel(model, frame.take(f.test), target),
    };
    results.push(result);
    options.onFold?.(result, results.length, folds.length);
  }
  return { folds: results, ...summarise(results.map((r) => r.metrics)) };
}

export function summarise(sets: readonly MetricSet[]): { mean: MetricSet; std: MetricSet } {
  const mean: MetricSet = {};
  const std: MetricSet = {};
  for (const key of Object.keys(sets[0] ?? {})) {
    const xs = sets.map((s) => s[key]).filter((v) => v !== undefined);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    mean[key] = m;
    std[key] = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
  }
  return { mean, std };
}

export interface CurvePoint {
  /** the training size (learning curve) or the param value (validation curve) */
  x: number | string;
  train: MetricSet;
  validation: MetricSet;
  /** train minus validation of the chosen metric, averaged over folds: how much the model overfits */
  gap: number;
}

/**
 * Learning curve: for each training share, fit on that share of every training fold (seeded prefix of a shuffled
 * fold) and score on the fold's own training rows and on its test rows.
 */
export function learningCurve(
  learner: FrameLearner,
  frame: Frame,
  target: string,
  folds: readonly Fold[],
  options: { sizes?: number[]; metric: string; task?: Task },
): CurvePoint[] {
  const sizes = options.sizes ?? [0.1, 0.325, 0.55, 0.775, 1];
  return sizes.map((share) => {
    if (!(share > 0 && share <= 1))
      throw new KeelError(EvaluateErrors.BAD_SPLIT, `training share ${share} not in (0, 1]`);
    const tr: MetricSet[] = [];
    const va: MetricSet[] = [];
    let rows = 0;
    for (const f of folds) {
      const take = f.train.slice(0, Math.max(2, Math.round(f.train.length * share)));
      rows += take.length;
      const sub = frame.take(take);
      const model = learner.fit(sub, target, { task: options.task });
      tr.push(scoreModel(model, sub, target));
      va.push(scoreModel(model, frame.take(f.test), target));
    }
    const train = summarise(tr).mean;
    const validation = summarise(va).mean;
    return {
      x: Math.round(rows / folds.length),
      train,
      validation,
      gap: train[options.metric] - validation[options.metric],
    };
  });
}

/** Validation curve: cross-validated train and validation scores for each value of one param. */
export function validationCurve<V extends number | string>(
  makeLearner: (value: V) => FrameLearner,
  values: readonly V[],
  frame: Frame,
  target: string,
  folds: readonly Fold[],
  options: { metric: string; task?: Task },
): CurvePoint[] {
  return values.map((value) => {
    const learner = makeLearner(value);
    const tr: MetricSet[] = [];
    const va: MetricSet[] = [];
    for (const f of folds) {
      const train = frame.take(f.train);
      const model = learner.fit(train, target, { task: options.task });
      tr.push(scoreModel(model, train, target));
      va.push(scoreModel(model, frame.take(f.test), target));
    }
    const train = summarise(tr).mean;
    const validation = summarise(va).mean;
    return { x: value, train, validation, gap: train[options.metric] - validation[options.metric] };
  });
}

export interface SliceMetrics {
  slice: string;
  rows: number;
  metrics: MetricSet | null;
  /** why a slice has no metrics (one class only, too few rows) */
  note?: string;
}

/** Metrics of a fitted model for each level of a categorical column (missing values are their own slice). */
export function metricsBySlice(
  model: FrameModel,
  frame: Frame,
  target: string,
  column: string,
): SliceMetrics[] {
  const col = frame.column(column);
  if (col.type !== 'categorical') {
    throw new KeelError(
      EvaluateErrors.BAD_INPUT,
      `slices need a categorical column; "${column}" is ${col.type}`,
    );
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < frame.nRows; i++) {
    const rows = groups.get(col.codes[i]) ?? [];
    rows.push(i);
    groups.set(col.codes[i], rows);
  }
  return [...groups.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([code, rows]) => {
      const slice = code < 0 ? '(missing)' : col.levels[code];
      try {
        return { slice, rows: rows.length, metrics: scoreModel(model, frame.take(rows), target) };
      } catch (err) {
        return {
          slice,
          rows: rows.length,
          metrics: null,
          note: err instanceof Error ? err.message : String(err),
        };
      }
    });
}
