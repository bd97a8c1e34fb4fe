// The tuning job behind `keel tune`: read a CSV, hold out validation rows (or cross-validate), and let a study
// search one model family's space. Every trial is a tracked run; the study lives in the tracking store, so the same
// command after a crash resumes it (interrupted trials re-run once). Boosting reports the validation metric at the
// pruner's rungs, so ASHA / median pruning stop weak trials early.

import path from 'node:path';
import { KeelError } from '../core/index.ts';
import { type CsvOptions, readCsv } from '../data/index.ts';
import type { Task } from '../estimator/index.ts';
import {
  crossValidate,
  kFold,
  primaryMetric,
  randomSplit,
  rocAuc,
  scoreModel,
  stratifiedKFold,
  stratifiedSplit,
} from '../evaluate/index.ts';
import { createLearner } from '../models/index.ts';
import type { RunStore } from '../track/index.ts';
import {
  encodeTarget,
  inferTask,
  oneHotEncoder,
  pipeline,
  simpleImputer,
  standardScaler,
} from '../transform/index.ts';
import {
  type FrozenTrial,
  hyperbandPruner,
  medianPruner,
  nopPruner,
  type OptimizeSummary,
  optimize,
  type Pruner,
  randomSampler,
  Study,
  successiveHalvingPruner,
  type Trial,
  tpeSampler,
} from '../tune/index.ts';
import { searchSpaceOf } from './search-spaces.ts';
import { dropMissingTarget } from './train.ts';
import { RunStoreJournal } from './tune-store.ts';

export interface TuneJobOptions {
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
  study?: string;
  experiment?: string;
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
  best: { number: number; value: number; params: Record<string, unknown> } | null;
  summary: OptimizeSummary;
  top: {
    number: number;
    state: string;
    value: number | null;
    seconds: number | null;
    params: Record<string, unknown>;
  }[];
}

/** Rounds at which boosting reports: dense early (where ASHA decides), then every 10th. */
const reportAt = (round: number) => round <= 10 || round % 10 === 0;

export async function runTuneJob(o: TuneJobOptions): Promise<TuneJobResult> {
  const log = o.log ?? (() => {});
  const seed = o.seed ?? 42;
  const learnerKind = createLearner(o.model).kind;
  const space = searchSpaceOf(learnerKind);
  log(`reading ${o.file}`);
  const data = await readCsv(o.file, o.csv);
  if (!data.frame.has(o.target)) {
    throw new KeelError(
      'FLOW_BAD_TARGET',
      `target "${o.target}" is not a column of ${o.file}; columns: ${data.frame.names.join(', ')}`,
    );
  }
  const { frame, dropped } = dropMissingTarget(data.frame, o.target);
  if (dropped > 0) log(`${dropped} rows have no value for "${o.target}" and are left out`);
  const task = o.task ?? inferTask(frame.column(o.target));
  const { name: metric, higherIsBetter } = primaryMetric(task);
  const direction = higherIsBetter ? 'maximize' : 'minimize';
  const { y } = encodeTarget(frame.column(o.target), task);

  const studyName = o.study ?? `${path.basename(o.file).replace(/\.[^.]+$/, '')}-${learnerKind}`;
  const experiment = o.experiment ?? 'tune';
  const journal = new RunStoreJournal(o.store, experiment, studyName);
  const pruner = makePruner(o.pruner ?? 'asha');
  const study = await Study.open({
    name: studyName,
    directions: [direction],
    objectives: [metric],
    sampler: o.sampler === 'random' ? randomSampler({ seed }) : tpeSampler({ seed }),
    pruner,
    journal,
  });
  const resumedFrom = study.finishedCount;
  if (study.trials().length > 0) {
    log(
      `resuming study "${studyName}": ${resumedFrom} finished trials, ${study.trials().filter((t) => t.error === 'interrupted').length} interrupted`,
    );
  }

  const fit = (params: Record<string, unknown>) =>
    pipeline(
      [simpleImputer(), standardScaler(), oneHotEncoder()],
      createLearner(learnerKind, { seed, ...params, ...o.params }),
    );

  let objective: (trial: Trial) => Promise<number>;
  if (o.cvFolds) {
    const folds =
      task === 'regression'
        ? kFold(frame.nRows, o.cvFolds, { seed })
        : stratifiedKFold(y, o.cvFolds, { seed });
    log(`validation: ${o.cvFolds}-fold cross-validation on ${frame.nRows} rows`);
    objective = async (trial) => {
      const learner = fit(space(trial));
      await trial.flush(); // params stored before the long synchronous fit: a crash then re-runs them
      let sum = 0;
      const cv = crossValidate(learner, frame, o.target, folds, {
        task,
        onFold: (r, done) => {
          sum += r.metrics[metric];
          trial.report(done, sum / done);
          trial.pruneIfNeeded();
        },
      });
      return cv.mean[metric];
    };
  } else {
    const share = o.validationSize ?? 0.25;
    const split =
      task === 'regression' ? randomSplit(frame.nRows, share, seed) : stratifiedSplit(y, share, seed);
    const train = frame.take(split.train);
    const validation = frame.take(split.test);
    const yVal = Float64Array.from(split.test, (i) => y[i]);
    log(`validation: ${train.nRows} training rows, ${validation.nRows} validation rows (seed ${seed})`);
    objective = async (trial) => {
      const learner = fit(space(trial));
      await trial.flush();
      const model = learner.fit(train, o.target, {
        task,
        validation,
        onIteration: (round, info) => {
          const v = intermediate(task, metric, info.validationScores, yVal);
          if (v === null || !reportAt(round)) return;
          trial.report(round, v);
          trial.pruneIfNeeded();
        },
      });
      return scoreModel(model, validation, o.target)[metric];
    };
  }

  const budget = o.trials;
  log(
    `study "${studyName}" (${experiment}): ${learnerKind}, ${direction} ${metric}, ${o.sampler ?? 'tpe'} sampler, ${pruner.name} pruner, ${budget} trials`,
  );
  const summary = await optimize(study, objective, {
    untilFinished: budget,
    timeoutMs: o.timeoutMs,
    onTrialEnd: (_s, t) => o.onTrialEnd?.(t, study),
  });
  await journal.endStudy('finished');
  const done = study.trials().filter((t) => t.state === 'complete');
  const sign = direction === 'maximize' ? -1 : 1;
  const top = [...study.trials()]
    .filter((t) => t.values)
    .sort((a, b) => {
      const rank = (t: FrozenTrial) => (t.state === 'complete' ? 0 : 1);
      return rank(a) - rank(b) || sign * ((a.values as number[])[0] - (b.values as number[])[0]);
    })
    .slice(0, 10)
    .map((t) => ({
      number: t.number,
      state: t.state,
      value: t.values?.[0] ?? null,
      seconds: t.durationMs === null ? null : t.durationMs / 1000,
      params: t.params,
    }));
  const best = done.length ? study.bestTrial : null;
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
    summary,
    top,
  };
}

function makePruner(kind: string): Pruner {
  switch (kind) {
    case 'asha':
      return successiveHalvingPruner({ minResource: 3, reductionFactor: 3 });
    case 'median':
      return medianPruner({ nStartupTrials: 5, nWarmupSteps: 5 });
    case 'hyperband':
      return hyperbandPruner({ minResource: 3, maxResource: 243, reductionFactor: 3 });
    case 'none':
      return nopPruner();
    default:
      throw new KeelError('CLI_USAGE', `--pruner must be asha, median, hyperband or none, got "${kind}"`);
  }
}

/** The tuned metric from the validation margins where it can be computed cheaply (binary ROC-AUC, regression RMSE). */
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
