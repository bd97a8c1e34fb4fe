// The tuning job behind `keel tune`: read a CSV, hold out validation rows (or cross-validate), and let a study
// search one model family's space. Every trial is a tracked run; the study lives in the tracking store, so the same
// command after a crash resumes it (interrupted trials re-run once). Boosting reports the validation metric at the
// pruner's rungs, so ASHA / median pruning stop weak trials early.

import { availableParallelism } from 'node:os';
import path from 'node:path';
import { KeelError, siblingModule } from '../core/index.ts';
import type { CsvOptions } from '../data/index.ts';
import type { Task } from '../estimator/index.ts';
import type { RunStore } from '../track/index.ts';
import {
  type FrozenTrial,
  hyperbandPruner,
  INTERRUPTED,
  medianPruner,
  nopPruner,
  type OptimizeSummary,
  optimize,
  optimizeInWorkers,
  type Pruner,
  randomSampler,
  Study,
  successiveHalvingPruner,
  tpeSampler,
} from '../tune/index.ts';
import { FlowErrors } from './errors.ts';
import type { SplitSpec } from './imbalance.ts';
import { type ExtraObjective, setup, type TuneDataSpec, tuneObjective } from './tune-objective.ts';
import { RunStoreJournal } from './tune-store.ts';

export interface TuneJobOptions {
  /** how validation rows are chosen when not cross-validating */
  split?: SplitSpec;
  file: string;
  target: string;
  task?: Task;
  model: string;
  /** fixed params, not tuned */
  params?: Record<string, unknown>;
  /** the study's total of finished trials (a resumed study runs only what is missing) */
  trials: number;
  timeoutMs?: number;
  sampler?: 'tpe' | 'random';
  pruner?: 'asha' | 'median' | 'hyperband' | 'none';
  seed?: number;
  /** k-fold cross-validation instead of one held-out validation share */
  cvFolds?: number;
  validationSize?: number;
  /** more objectives after the metric (minimised): a Pareto front is returned */
  extraObjectives?: ExtraObjective[];
  /** trials side by side on this many worker threads (default 1: in this thread) */
  workers?: number;
  study?: string;
  experiment?: string;
  /** the project of the experiment (access is checked per project; default 'default') */
  project?: string;
  csv?: CsvOptions;
  store: RunStore;
  log?: (line: string) => void;
  onTrialEnd?: (trial: FrozenTrial, study: Study) => void;
}

export interface TuneJobResult {
  study: string;
  experiment: string;
  model: string;
  task: Task;
  metric: string;
  direction: 'maximize' | 'minimize';
  trials: { complete: number; pruned: number; failed: number; total: number };
  resumed_from: number;
  /** the best trial by the metric (with several objectives: the front's best by the metric) */
  best: { number: number; value: number; params: Record<string, unknown> } | null;
  /** with several objectives: the Pareto front, each trial with all its values */
  pareto: { number: number; values: Record<string, number>; params: Record<string, unknown> }[] | null;
  summary: OptimizeSummary;
  top: {
    number: number;
    state: string;
    value: number | null;
    seconds: number | null;
    params: Record<string, unknown>;
  }[];
}

export async function runTuneJob(o: TuneJobOptions): Promise<TuneJobResult> {
  const log = o.log ?? (() => {});
  const seed = o.seed ?? 42;
  const spec: TuneDataSpec = {
    file: o.file,
    target: o.target,
    task: o.task,
    model: o.model,
    params: o.params,
    seed,
    csv: o.csv,
    cvFolds: o.cvFolds,
    validationSize: o.validationSize,
    split: o.split,
    extraObjectives: o.extraObjectives,
    // trials side by side share the cores: one thread each instead of every core each
    threadsPerTrial:
      (o.workers ?? 1) > 1 ? Math.max(1, Math.floor(availableParallelism() / (o.workers ?? 1))) : undefined,
  };
  log(`reading ${o.file}`);
  const ctx = await setup(spec);
  for (const note of ctx.notes) log(note);
  const { kind: learnerKind, task, metric } = ctx;
  const direction = ctx.higherIsBetter ? 'maximize' : 'minimize';

  const studyName = o.study ?? `${path.basename(o.file).replace(/\.[^.]+$/, '')}-${learnerKind}`;
  const experiment = o.experiment ?? 'tune';
  const journal = new RunStoreJournal(o.store, experiment, studyName, o.project);
  const pruner = makePruner(o.pruner ?? 'asha', Boolean(o.cvFolds));
  const study = await Study.open({
    name: studyName,
    directions: [direction, ...(o.extraObjectives ?? []).map(() => 'minimize' as const)],
    objectives: [metric, ...(o.extraObjectives ?? [])],
    sampler: o.sampler === 'random' ? randomSampler({ seed }) : tpeSampler({ seed }),
    pruner,
    journal,
  });
  const resumedFrom = study.finishedCount;
  if (study.trials().length > 0) {
    const interrupted = study.trials().filter((t) => t.error === INTERRUPTED).length;
    log(`resuming study "${studyName}": ${resumedFrom} finished trials, ${interrupted} interrupted`);
  }
  const budget = o.trials;
  log(
    `study "${studyName}" (${experiment}): ${learnerKind}, ${direction} ${metric}, ${o.sampler ?? 'tpe'} sampler, ${pruner.name} pruner, ${budget} trials`,
  );
  const limits = {
    untilFinished: budget,
    timeoutMs: o.timeoutMs,
    onTrialEnd: (_s: Study, t: FrozenTrial) => o.onTrialEnd?.(t, study),
  };
  const workers = o.workers ?? 1;
  // with workers, each thread reads the data once and fits trials side by side
  const summary =
    workers > 1
      ? await optimizeInWorkers(
          study,
          {
            module: siblingModule(import.meta.url, 'tune-objective').href,
            exportName: 'tuneObjective',
            data: spec,
            workers,
          },
          limits,
        )
      : await optimize(study, (trial) => tuneObjective(trial, ctx), limits);
  await journal.endStudy('finished');
  const done = study.trials().filter((t) => t.state === 'complete');
  const sign = direction === 'maximize' ? -1 : 1;
  // ranked among finished trials only: a pruned trial's value is a partial score from an early step
  const top = [...done]
    .sort((a, b) => sign * ((a.values as number[])[0] - (b.values as number[])[0]))
    .slice(0, 10)
    .map((t) => ({
      number: t.number,
      state: t.state,
      value: t.values?.[0] ?? null,
      seconds: t.durationMs === null ? null : t.durationMs / 1000,
      params: t.params,
    }));
  const objectives = [metric, ...(o.extraObjectives ?? [])];
  const front = study.bestTrials;
  const best = done.length
    ? [...(objectives.length > 1 ? front : done)].sort(
        (a, b) => sign * ((a.values as number[])[0] - (b.values as number[])[0]),
      )[0]
    : null;
  const pareto =
    objectives.length > 1
      ? front.map((t) => ({
          number: t.number,
          values: Object.fromEntries(objectives.map((name, k) => [name, (t.values as number[])[k]])),
          params: t.params,
        }))
      : null;
  const count = (s: string) => study.trials().filter((t) => t.state === s).length;
  await study.close();
  return {
    study: studyName,
    experiment,
    model: learnerKind,
    task,
    metric,
    direction,
    trials: {
      complete: count('complete'),
      pruned: count('pruned'),
      failed: count('failed'),
      total: study.trials().length,
    },
    resumed_from: resumedFrom,
    best: best
      ? { number: best.number, value: (best.values as number[])[0], params: { ...best.params, ...o.params } }
      : null,
    pareto,
    summary,
    top,
  };
}

/**
 * Pruners sized to what the trials report: boosting rounds on a validation split, or folds of cross-validation.
 * ASHA's first rung sits at round 30 with halving (bench/tune.ts: earlier rungs judge slow learners before they have
 * learned, and the best found fell short of an unpruned study's).
 */
function makePruner(kind: string, cv: boolean): Pruner {
  switch (kind) {
    case 'asha':
      return successiveHalvingPruner(
        cv ? { minResource: 1, reductionFactor: 2 } : { minResource: 30, reductionFactor: 2 },
      );
    case 'median':
      return medianPruner(
        cv ? { nStartupTrials: 5, nWarmupSteps: 1 } : { nStartupTrials: 5, nWarmupSteps: 30 },
      );
    case 'hyperband':
      return cv
        ? hyperbandPruner({ minResource: 1, maxResource: 8, reductionFactor: 2 })
        : hyperbandPruner({ minResource: 10, maxResource: 810, reductionFactor: 3 });
    case 'none':
      return nopPruner();
    default:
      throw new KeelError(
        FlowErrors.BAD_OPTION,
        `--pruner must be asha, median, hyperband or none, got "${kind}"`,
      );
  }
}
