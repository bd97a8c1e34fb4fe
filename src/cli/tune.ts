// keel tune <source> --target <col> --model <family>: a hyperparameter study with a live progress line, a final
// table (or one JSON document), every trial tracked, and resume after a crash by running the same command again.

import path from 'node:path';
import { KeelError } from '../core/index.ts';
import type { Task } from '../estimator/index.ts';
import {
  EXTRA_OBJECTIVES,
  type ExtraObjective,
  FlowErrors,
  formatMetrics,
  runTrainJob,
  runTuneJob,
  type TrainJobResult,
  type TuneJobResult,
} from '../flow/index.ts';
import type { FrozenTrial, Study } from '../tune/index.ts';
import { bool, type FlagSpec, list, num, parseArgs, str } from './args.ts';
import type { CommandSpec } from './command.ts';
import { HOME_FLAGS, JSON_FLAG, QUIET_FLAG } from './common-flags.ts';
import { type Io, keelHome, openHome, progress } from './context.ts';
import { CliErrors } from './errors.ts';
import { renderHelp } from './help.ts';
import { tunableHelp } from './kinds.ts';
import { readingOptions, SOURCE_FLAGS, SOURCE_SPEC_HELP } from './source-args.ts';
import { imbalanceOptions, modelNameFromSource, modelSpecs } from './train.ts';

/** every flag the command takes, declared once: the parser and the help both come from here */
export const TUNE_FLAGS: Record<string, FlagSpec> = {
  target: { type: 'string', arg: 'COL', help: 'the column to predict (required)' },
  model: {
    type: 'string',
    arg: 'KIND',
    help: `${tunableHelp(0).replace(/\n/g, ' ')} (default: gradient_boosting)`,
  },
  trials: {
    type: 'string',
    arg: 'N',
    help: 'finished trials the study should reach (default 50); a resumed study runs the rest',
  },
  timeout: { type: 'string', arg: 'T', help: 'start no trial after T (90s, 10m, 1h)' },
  sampler: { type: 'string', arg: 'S', help: 'tpe | random (default tpe)' },
  pruner: { type: 'string', arg: 'P', help: 'asha | median | hyperband | none (default asha)' },
  workers: { type: 'string', arg: 'N', help: 'trials side by side on N worker threads (default 1)' },
  objectives: {
    type: 'string',
    arg: 'LIST',
    help: 'more objectives after the metric, minimised: fit_seconds, latency_ms (a Pareto front)',
  },
  cv: { type: 'string', arg: 'K', help: 'K-fold cross-validation instead of one held-out validation share' },
  'validation-size': {
    type: 'string',
    arg: 'F',
    help: 'held-out share when no --cv is given (default 0.25)',
  },
  split: {
    type: 'string',
    arg: 'S',
    help: "how validation rows are chosen without --cv: random | stratified | group:COL | time:COL[:GAP], as for keel train (--train-best's test rows are chosen the same way)",
  },
  test: {
    type: 'string',
    arg: 'SOURCE',
    help: 'with --train-best: measure the trained model on this source instead of a held-out share',
  },
  param: { type: 'string', arg: 'K=V', repeat: true, help: 'a fixed param, not tuned' },
  'train-best': {
    type: 'boolean',
    help: 'then train the best params on the source as keel train does (test metrics, a run, a registered version promoted through the gates); --name sets the registered name',
  },
  name: {
    type: 'string',
    arg: 'NAME',
    help: 'with --train-best: the registered name (default: the file or table name)',
  },
  study: {
    type: 'string',
    arg: 'NAME',
    help: 'study name (default <file>-<model>); the same name resumes the study',
  },
  experiment: { type: 'string', arg: 'NAME', help: 'experiment of the trial runs (default tune)' },
  project: { type: 'string', arg: 'P', help: "the experiment's project (default: default)" },
  task: { type: 'string', arg: 'T', help: 'binary | multiclass | regression (inferred when absent)' },
  seed: { type: 'string', arg: 'N', help: 'seed of the split, the sampler and the models (default 42)' },
  ...JSON_FLAG,
  ...QUIET_FLAG,
  ...HOME_FLAGS,
  ...SOURCE_FLAGS,
};

export const TUNE_HELP = renderHelp({
  usage: 'keel tune <source> --target <column> --model <family> [options]',
  about: `<source>: ${SOURCE_SPEC_HELP}.
Every trial is a tracked run; a live progress line per trial goes to stderr. Run the same command again after a
crash and the study carries on.`,
  flags: TUNE_FLAGS,
});

export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m)
    throw new KeelError(CliErrors.USAGE, `--timeout takes a duration such as 90s, 10m or 1h, got "${text}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] as number;
  return Number(m[1]) * unit;
}

const clock = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

export async function tuneCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, TUNE_FLAGS);
  const file = args.positionals[0];
  const target = str(args, 'target');
  if (!file || !target || args.positionals.length > 1)
    throw new KeelError(CliErrors.USAGE, `usage: ${TUNE_HELP.split('\n')[0]}`);
  const json = bool(args, 'json', false);
  const model = str(args, 'model') ?? 'gradient_boosting';
  const fixed = modelSpecs([model], list(args, 'param'))?.[0];
  const trials = num(args, 'trials', 50);
  if (!Number.isInteger(trials) || trials < 1)
    throw new KeelError(CliErrors.USAGE, `--trials must be a positive integer`);
  const sampler = str(args, 'sampler') ?? 'tpe';
  if (sampler !== 'tpe' && sampler !== 'random')
    throw new KeelError(CliErrors.USAGE, `--sampler must be tpe or random`);
  if (str(args, 'test') !== undefined && !bool(args, 'train-best', false))
    throw new KeelError(CliErrors.USAGE, '--test measures the model --train-best trains: give both');
  const timeout = str(args, 'timeout');
  const cv = str(args, 'cv');
  const csv = {
    ...(await readingOptions(args)),
    snapshotDir: path.join(keelHome(str(args, 'home')), 'snapshots'),
  };
  // progress goes to stderr in every mode (stdout holds only the result); --quiet turns it off
  const quiet = bool(args, 'quiet', false);
  const log = progress(io, !quiet);
  const live = !quiet;
  const { store, registry } = await openHome(keelHome(str(args, 'home')), str(args, 'store'));
  const t0 = Date.now();
  let baseFinished = -1;
  const onTrialEnd = (t: FrozenTrial, study: Study) => {
    if (!live) return;
    const finished = study.finishedCount;
    if (baseFinished < 0) baseFinished = finished - (t.state === 'failed' ? 0 : 1);
    const elapsed = Date.now() - t0;
    const doneHere = Math.max(1, finished - baseFinished);
    const eta = ((trials - finished) * elapsed) / doneHere;
    const best = bestSoFar(study);
    const value = t.values ? ` ${t.values[0].toFixed(4)}` : '';
    const why =
      t.state === 'failed'
        ? ` (${t.error})`
        : t.state === 'pruned'
          ? ` at step ${Math.max(...t.intermediate.keys())}`
          : '';
    io.err(
      `trial ${finished}/${trials} · #${t.number} ${t.state}${value}${why} · ${best} · ${clock(elapsed)} elapsed · ETA ${clock(eta)}\n`,
    );
  };
  try {
    const result = await runTuneJob({
      file,
      target,
      task: str(args, 'task') as Task | undefined,
      model,
      params: fixed?.params,
      trials,
      timeoutMs: timeout ? parseDuration(timeout) : undefined,
      sampler,
      pruner: (str(args, 'pruner') ?? 'asha') as 'asha',
      seed: num(args, 'seed', 42),
      cvFolds: cv ? num(args, 'cv', 5) : undefined,
      workers: num(args, 'workers', 1),
      extraObjectives: extraObjectives(str(args, 'objectives')),
      validationSize: num(args, 'validation-size', 0.25),
      split: imbalanceOptions(args).split,
      study: str(args, 'study'),
      experiment:
        str(args, 'experiment') ?? (str(args, 'project') ? `${str(args, 'project')}-tune` : undefined),
      project: str(args, 'project'),
      csv,
      store,
      log,
      onTrialEnd,
    });
    let trained: TrainJobResult | null = null;
    if (bool(args, 'train-best', false)) {
      if (!result.best) throw new KeelError(FlowErrors.NO_BEST, 'no trial completed: nothing to train');
      // the same path as keel train: held-out test metrics, a tracked run, a registered (and gated) version
      log(`training the best params (trial #${result.best.number}) on the whole file`);
      trained = await runTrainJob({
        file,
        target,
        task: result.task,
        seed: num(args, 'seed', 42),
        models: [{ kind: result.model, params: result.best.params }],
        split: imbalanceOptions(args).split,
        testFile: str(args, 'test'),
        modelName: str(args, 'name') ?? modelNameFromSource(file, csv.table),
        experiment: str(args, 'project') ? `${str(args, 'project')}-train` : 'train',
        project: str(args, 'project'),
        csv,
        promote: 'champion',
        store,
        registry,
        log,
      });
    }
    if (json) {
      const doc = trained
        ? {
            ...result,
            trained: {
              model_ref: trained.model_ref,
              metrics: trained.models[0].metrics,
              promotion: trained.promotion,
            },
          }
        : result;
      io.out(`${JSON.stringify(doc, null, 2)}\n`);
    } else {
      io.out(tuneProse(result, file, target));
      if (trained)
        io.out(
          `trained ${trained.model_ref}: ${formatMetrics(trained.models[0].metrics)}; ${trained.promotion}\n`,
        );
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** The progress line's summary of the best so far: the best value, or the Pareto front's size with several objectives. */
export function bestSoFar(study: Study): string {
  if (!study.trials().some((t) => t.state === 'complete')) return 'no completed trial yet';
  if (study.directions.length > 1) {
    const front = study.bestTrials;
    return `Pareto front ${front.length} trial${front.length === 1 ? '' : 's'} (#${front.map((t) => t.number).join(', #')})`;
  }
  const b = study.bestTrial;
  return `best ${(b.values as number[])[0].toFixed(4)} (#${b.number})`;
}

function extraObjectives(text: string | undefined): ExtraObjective[] | undefined {
  if (!text) return undefined;
  const names = text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!(EXTRA_OBJECTIVES as readonly string[]).includes(n)) {
      throw new KeelError(CliErrors.USAGE, `--objectives takes ${EXTRA_OBJECTIVES.join(', ')}; got "${n}"`);
    }
  }
  return names as ExtraObjective[];
}

function tuneProse(r: TuneJobResult, file: string, target: string): string {
  const lines = [
    `study "${r.study}" (${r.model}, ${r.direction} ${r.metric}): ${r.trials.complete} complete, ${r.trials.pruned} pruned, ${r.trials.failed} failed` +
      (r.resumed_from > 0 ? ` (resumed at ${r.resumed_from} finished)` : ''),
    `this run: ${r.summary.trials} trials in ${(r.summary.elapsedMs / 1000).toFixed(1)} s, ${r.summary.cpuSeconds.toFixed(1)} CPU-s (stopped by ${r.summary.stoppedBy})`,
    '',
    `  #     state      ${r.metric.padEnd(8)}  seconds  params`,
  ];
  for (const t of r.top) {
    const params = Object.entries(t.params)
      .map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : v}`)
      .join(' ');
    lines.push(
      `  ${String(t.number).padEnd(5)} ${t.state.padEnd(10)} ${(t.value?.toFixed(4) ?? '-').padEnd(8)}  ${(t.seconds?.toFixed(1) ?? '-').padStart(7)}  ${params}`,
    );
  }
  if (r.pareto) {
    lines.push('', `Pareto front (${r.pareto.length} trials):`);
    for (const t of r.pareto) {
      lines.push(
        `  #${t.number}  ${Object.entries(t.values)
          .map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`)
          .join('  ')}`,
      );
    }
  }
  if (r.best) {
    const params = Object.entries(r.best.params)
      .map(([k, v]) => `--param ${k}=${v}`)
      .join(' ');
    lines.push('', `best: trial #${r.best.number}, ${r.metric} ${r.best.value.toFixed(4)}`);
    lines.push(`train it: keel train ${file} --target ${target} --model ${r.model} ${params}`);
  }
  return `${lines.join('\n')}\n`;
}

/** the command as `keel` dispatches it */
export const command: CommandSpec = { help: TUNE_HELP, flags: TUNE_FLAGS, run: tuneCommand };
