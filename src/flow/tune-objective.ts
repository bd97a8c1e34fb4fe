// The objective of `keel tune`, in a module of its own so worker threads can load it: setup() reads the CSV and
// makes the validation split once per thread, tuneObjective() fits one trial's pipeline and returns its metric.

import { KeelError } from '../core/index.ts';
import type { Frame } from '../data/index.ts';
import type { Task } from '../estimator/index.ts';
import {
  crossValidate,
  type Fold,
  kFold,
  primaryMetric,
  rocAuc,
  scoreModel,
  stratifiedKFold,
} from '../evaluate/index.ts';
import { createLearner, familyOf } from '../models/index.ts';
import { encodeTarget, inferTask, pipeline } from '../transform/index.ts';
import type { Trial } from '../tune/index.ts';
import { FlowErrors } from './errors.ts';
import { type SplitSpec, splitColumnToDrop, splitRows } from './imbalance.ts';
import { defaultSteps, type ReadDataOptions, readLabelled } from './prepare.ts';
import { searchSpaceOf } from './search-spaces.ts';

/** Plain data (it crosses to worker threads). */
export interface TuneDataSpec {
  file: string;
  target: string;
  task?: Task;
  model: string;
  params?: Record<string, unknown>;
  seed: number;
  /** how to read the source (file, SQL, HTTP options; the snapshot store for snapshot:<id>) */
  csv?: ReadDataOptions;
  cvFolds?: number;
  validationSize?: number;
  /** how validation rows are chosen without cvFolds (default: stratified for classes, random for regression) */
  split?: SplitSpec;
  /** objectives after the metric, all minimised: wall seconds of the fit, median milliseconds of a one-row prediction */
  extraObjectives?: ExtraObjective[];
  /** n_threads for the families that have it, when trials already run side by side (unset: the family's default) */
  threadsPerTrial?: number;
}

export type ExtraObjective = 'fit_seconds' | 'latency_ms';
export const EXTRA_OBJECTIVES: readonly ExtraObjective[] = ['fit_seconds', 'latency_ms'];

export interface TuneContext {
  spec: TuneDataSpec;
  kind: string;
  task: Task;
  metric: string;
  higherIsBetter: boolean;
  frame: Frame;
  folds: Fold[] | null;
  train: Frame | null;
  validation: Frame | null;
  yValidation: Float64Array | null;
  /** lines for people, about the data and the split */
  notes: string[];
}

export async function setup(spec: TuneDataSpec): Promise<TuneContext> {
  searchSpaceOf(createLearner(spec.model).kind); // fail on an unknown family before reading data
  const { data, frame, dropped } = await readLabelled(spec.file, spec.target, spec.csv);
  const ctx = contextFromFrame(frame, spec);
  ctx.notes.unshift(
    `read ${data.counts.read} rows: ${data.counts.accepted} accepted, ${data.counts.quarantined} quarantined`,
  );
  if (dropped > 0)
    ctx.notes.splice(1, 0, `${dropped} rows have no value for "${spec.target}" and are left out`);
  return ctx;
}

/** The tuning context over rows already in memory (every row has a target): the split or folds are made here. */
export function contextFromFrame(frame: Frame, spec: TuneDataSpec): TuneContext {
  const kind = createLearner(spec.model).kind;
  searchSpaceOf(kind);
  const notes: string[] = [];
  const task = spec.task ?? inferTask(frame.column(spec.target));
  const { name: metric, higherIsBetter } = primaryMetric(task);
  const { y } = encodeTarget(frame.column(spec.target), task);
  const ctx: TuneContext = {
    spec,
    kind,
    task,
    metric,
    higherIsBetter,
    frame,
    folds: null,
    train: null,
    validation: null,
    yValidation: null,
    notes,
  };
  if (spec.cvFolds && spec.split && spec.split.kind !== 'random' && spec.split.kind !== 'stratified')
    throw new KeelError(
      FlowErrors.BAD_OPTION,
      `--cv folds are random or stratified; a ${spec.split.kind} split validates on one held-out share (--validation-size)`,
    );
  if (spec.cvFolds) {
    ctx.folds =
      task === 'regression'
        ? kFold(frame.nRows, spec.cvFolds, { seed: spec.seed })
        : stratifiedKFold(y, spec.cvFolds, { seed: spec.seed });
    notes.push(`validation: ${spec.cvFolds}-fold cross-validation on ${frame.nRows} rows`);
  } else {
    const split = splitRows(frame, spec.target, task, spec.validationSize ?? 0.25, spec.seed, spec.split);
    const drop = splitColumnToDrop(spec.split);
    ctx.train = drop.length ? split.train.drop(drop) : split.train;
    ctx.validation = drop.length ? split.test.drop(drop) : split.test;
    ctx.yValidation = Float64Array.from(split.testRows, (i) => y[i]);
    notes.push(
      `validation: ${ctx.train.nRows} training rows, ${ctx.validation.nRows} validation rows (${split.how}, seed ${spec.seed})`,
    );
  }
  return ctx;
}

/** Rounds at which boosting reports: dense early (where ASHA decides), then every 10th. */
const reportAt = (round: number) => round <= 10 || round % 10 === 0;

export async function tuneObjective(trial: Trial, ctx: TuneContext): Promise<number | number[]> {
  const { spec, task, metric } = ctx;
  const extra = spec.extraObjectives ?? [];
  const learner = pipeline(
    defaultSteps(),
    createLearner(ctx.kind, {
      ...seeded(ctx.kind, spec.seed),
      ...threads(ctx.kind, spec),
      ...searchSpaceOf(ctx.kind)(trial),
      ...spec.params,
    }),
  );
  // the params are stored before the long synchronous fit: a crash during it re-runs the trial with them
  await trial.flush();
  if (ctx.folds) {
    if (extra.length > 0)
      throw new KeelError(FlowErrors.BAD_OPTION, 'several objectives need a validation split, not --cv');
    let sum = 0;
    const cv = crossValidate(learner, ctx.frame, spec.target, ctx.folds, {
      task,
      onFold: (r, done) => {
        sum += r.metrics[metric];
        trial.report(done, sum / done);
        trial.pruneIfNeeded();
      },
    });
    return cv.mean[metric];
  }
  const validation = ctx.validation as Frame;
  const t0 = performance.now();
  const model = learner.fit(ctx.train as Frame, spec.target, {
    task,
    validation,
    onIteration: (round, info) => {
      const v = intermediate(task, metric, info.validationScores, ctx.yValidation as Float64Array);
      if (v === null || !reportAt(round)) return;
      // with several objectives the report is a vector: the metric, the fit time so far, and latency (not known yet)
      const so = (performance.now() - t0) / 1000;
      trial.report(round, extra.length ? [v, ...extra.map((e) => (e === 'fit_seconds' ? so : 0))] : v);
      trial.pruneIfNeeded();
    },
  });
  const fitSeconds = (performance.now() - t0) / 1000;
  const value = scoreModel(model, validation, spec.target)[metric];
  if (extra.length === 0) return value;
  return [
    value,
    ...extra.map((e) => (e === 'fit_seconds' ? fitSeconds : rowLatencyMs(model, validation, spec.target))),
  ];
}

/** Median milliseconds to predict one row at a time (as a server does), over up to 50 validation rows. */
function rowLatencyMs(model: { predict(f: Frame): unknown }, validation: Frame, target: string): number {
  const features = validation.drop([target]);
  const times: number[] = [];
  for (let i = 0; i < Math.min(50, features.nRows); i++) {
    const row = features.take([i]);
    const t = performance.now();
    model.predict(row);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** The seed param, for the families that take one. */
export function seeded(kind: string, seed: number): Record<string, number> {
  return 'seed' in createLearner(kind).params ? { seed } : {};
}

function threads(kind: string, spec: TuneDataSpec): Record<string, number> {
  return spec.threadsPerTrial !== undefined && familyOf(kind).threaded
    ? { n_threads: spec.threadsPerTrial }
    : {};
}

/** The tuned metric from the validation margins where it is cheap (binary ROC-AUC, squared-loss RMSE). */
function intermediate(
  task: Task,
  metric: string,
  scores: Float64Array | null,
  y: Float64Array,
): number | null {
  if (!scores || scores.length !== y.length) return null;
  if (task === 'binary' && metric === 'roc_auc') return rocAuc(y, scores);
  if (task === 'regression' && metric === 'rmse') {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += (y[i] - scores[i]) ** 2;
    return Math.sqrt(s / y.length);
  }
  return null;
}
