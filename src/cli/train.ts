// keel train <source> --target <column>: the whole path for any source, printing test metrics (or one JSON document).

import path from 'node:path';
import { KeelError } from '../core/index.ts';
import type { Task } from '../estimator/index.ts';
import {
  type Calibration,
  formatMetrics,
  type ModelSpec,
  parseSplit,
  type Resample,
  runTrainJob,
  type SplitSpec,
  type TrainJobResult,
} from '../flow/index.ts';
import { createLearner } from '../models/index.ts';
import { bool, type FlagSpec, list, num, type ParsedArgs, parseArgs, str } from './args.ts';
import type { CommandSpec } from './command.ts';
import { HOME_FLAGS, JSON_FLAG, QUIET_FLAG } from './common-flags.ts';
import { EXIT, type Io, keelHome, openHome, progress } from './context.ts';
import { CliErrors } from './errors.ts';
import { renderHelp } from './help.ts';
import { kindsHelp } from './kinds.ts';
import { readingOptions, SOURCE_FLAGS, SOURCE_SPEC_HELP } from './source-args.ts';

/** every flag the command takes, declared once: the parser and the help both come from here */
export const TRAIN_FLAGS: Record<string, FlagSpec> = {
  target: { type: 'string', arg: 'COL', help: 'the column to predict (required)' },
  task: {
    type: 'string',
    arg: 'T',
    help: 'binary | multiclass | regression (inferred from the target when absent)',
  },
  test: {
    type: 'string',
    arg: 'SOURCE',
    help: 'evaluate on this source instead of a held-out split (read with the same options)',
  },
  'test-size': { type: 'string', arg: 'F', help: 'held-out share when no --test is given (default 0.25)' },
  split: {
    type: 'string',
    arg: 'S',
    help: 'how the held-out rows are chosen: random | stratified (the default for classes) | group:COL (whole groups on one side; COL leaves the features) | time:COL[:GAP] (the latest rows are the test, GAP rows before them left out)',
  },
  'class-weight': {
    type: 'string',
    arg: 'balanced',
    help: 'every class weighs the same in the fit (sample weights; a family that takes none is skipped and says so)',
  },
  resample: {
    type: 'string',
    arg: 'R',
    help: 'smote | undersample | oversample the training rows (never the test rows)',
  },
  threshold: {
    type: 'string',
    arg: 'T',
    help: 'binary: the decision threshold that maximises f1 | youden, or minimises cost:FP,FN — chosen on a fifth of the training rows, stored in the model and used by the server and keel score',
  },
  calibrate: {
    type: 'string',
    arg: 'C',
    help: 'binary: isotonic | sigmoid calibration of the probabilities, fitted on that fifth',
  },
  seed: { type: 'string', arg: 'N', help: 'seed of the split and the models (default 42)' },
  model: {
    type: 'string',
    arg: 'KIND[,KIND]',
    repeat: true,
    help: `${kindsHelp(0).replace(/\n/g, ' ')} (short names in brackets; keel models families lists them); default: a linear model and gradient boosting`,
  },
  param: {
    type: 'string',
    arg: 'K=V',
    repeat: true,
    help: 'a model param; scope it to one model with KIND.K=V',
  },
  name: { type: 'string', arg: 'NAME', help: 'registered model name (default: the file or table name)' },
  sensitive: {
    type: 'string',
    arg: 'LIST',
    help: 'comma-separated input columns to redact wherever predictions are logged',
  },
  promote: { type: 'boolean', negated: true, help: 'register the version without moving @champion' },
  'require-promotion': {
    type: 'boolean',
    help: 'exit 1 when the promotion gates keep @champion where it was (for CI); the outcome is printed either way',
  },
  experiment: {
    type: 'string',
    arg: 'NAME',
    help: 'experiment to record the runs in (default: train, or <project>-train)',
  },
  project: {
    type: 'string',
    arg: 'P',
    help: "the experiment's project, and so the model's: who may see and promote it (default: default)",
  },
  ...JSON_FLAG,
  ...QUIET_FLAG,
  ...HOME_FLAGS,
  ...SOURCE_FLAGS,
};

export const TRAIN_HELP = renderHelp({
  usage: 'keel train <source> --target <column> [options]',
  about: `<source>: ${SOURCE_SPEC_HELP}.
keel train snapshot:<id> trains on exactly the rows of a snapshot (every run writes one; the run shows its id).
The model keeps the missing markers and the zone, so the server and keel score read values the same way.`,
  flags: TRAIN_FLAGS,
});

export async function trainCommand(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, TRAIN_FLAGS);
  const file = args.positionals[0];
  const target = str(args, 'target');
  if (!file || !target || args.positionals.length > 1) {
    throw new KeelError(CliErrors.USAGE, `usage: ${TRAIN_HELP.split('\n')[0]}`);
  }
  const task = str(args, 'task');
  if (task !== undefined && !['binary', 'multiclass', 'regression'].includes(task)) {
    throw new KeelError(CliErrors.USAGE, `--task must be binary, multiclass or regression, got "${task}"`);
  }
  const json = bool(args, 'json', false);
  const csv = await readingOptions(args);
  const requirePromotion = bool(args, 'require-promotion', false);
  if (requirePromotion && !bool(args, 'promote', true))
    throw new KeelError(CliErrors.USAGE, '--require-promotion and --no-promote contradict each other');
  const models = modelSpecs(list(args, 'model'), list(args, 'param'));
  const home = keelHome(str(args, 'home'));
  const { store, registry } = await openHome(home, str(args, 'store'));
  try {
    const result = await runTrainJob({
      file,
      target,
      task: task as Task | undefined,
      testFile: str(args, 'test'),
      testSize: num(args, 'test-size', 0.25),
      seed: num(args, 'seed', 42),
      models,
      modelName: str(args, 'name') ?? modelNameFromSource(file, csv.table),
      // experiment names are global: another project's runs go to an experiment of its own by default
      experiment:
        str(args, 'experiment') ?? (str(args, 'project') ? `${str(args, 'project')}-train` : 'train'),
      project: str(args, 'project'),
      csv,
      promote: bool(args, 'promote', true) ? 'champion' : null,
      sensitive: str(args, 'sensitive')
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      store,
      registry,
      snapshotDir: path.join(home, 'snapshots'),
      log: progress(io, !bool(args, 'quiet', false)),
      ...imbalanceOptions(args),
    });
    if (json) io.out(`${JSON.stringify(trainJson(result, home), null, 2)}\n`);
    else io.out(trainProse(result));
    if (requirePromotion && result.registered.alias === null) {
      io.err(
        `keel: --require-promotion: ${result.registered.name} v${result.registered.version} was not promoted\n`,
      );
      return EXIT.FAILED;
    }
    return EXIT.OK;
  } finally {
    await store.close();
  }
}

/** --split, --class-weight, --resample, --threshold and --calibrate as job options (checked here: usage errors). */
export function imbalanceOptions(args: ParsedArgs): {
  split?: SplitSpec;
  classWeight?: 'balanced';
  resample?: Resample;
  threshold?: string;
  calibrate?: Calibration;
} {
  const pick = <T extends string>(flag: string, allowed: readonly T[]): T | undefined => {
    const v = str(args, flag);
    if (v !== undefined && !(allowed as readonly string[]).includes(v))
      throw new KeelError(CliErrors.USAGE, `--${flag} takes ${allowed.join(', ')}; got "${v}"`);
    return v as T | undefined;
  };
  const split = str(args, 'split');
  const threshold = str(args, 'threshold');
  if (threshold !== undefined && !/^(f1|youden|cost:[0-9.]+,[0-9.]+)$/.test(threshold))
    throw new KeelError(CliErrors.USAGE, `--threshold takes f1, youden or cost:FP,FN; got "${threshold}"`);
  let spec: SplitSpec | undefined;
  try {
    spec = split === undefined ? undefined : parseSplit(split);
  } catch (err) {
    throw new KeelError(CliErrors.USAGE, (err as Error).message);
  }
  return {
    split: spec,
    classWeight: pick('class-weight', ['balanced'] as const),
    resample: pick('resample', ['smote', 'undersample', 'oversample'] as const),
    threshold,
    calibrate: pick('calibrate', ['isotonic', 'sigmoid'] as const),
  };
}

/** --model and --param into model specs; unscoped params go to every model. */
export function modelSpecs(kinds: string[], params: string[]): ModelSpec[] | undefined {
  const names = kinds
    .flatMap((k) => k.split(','))
    .map((k) => k.trim())
    .filter(Boolean);
  if (names.length === 0 && params.length === 0) return undefined;
  if (names.length === 0)
    throw new KeelError(CliErrors.USAGE, '--param needs --model to say which model it is for');
  const chosen = names.map((k) => ({
    kind: createLearner(k).kind,
    alias: k,
    params: {} as Record<string, unknown>,
  }));
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new KeelError(CliErrors.USAGE, `--param takes key=value, got "${p}"`);
    const key = p.slice(0, eq);
    const value = parseValue(p.slice(eq + 1));
    const dot = key.indexOf('.');
    if (dot > 0) {
      const scope = key.slice(0, dot);
      const target = chosen.find((c) => c.kind === scope || c.alias === scope);
      if (!target)
        throw new KeelError(
          CliErrors.USAGE,
          `--param ${key}: no model "${scope}" among --model ${names.join(',')}`,
        );
      target.params[key.slice(dot + 1)] = value;
    } else {
      for (const c of chosen) c.params[key] = value;
    }
  }
  // validate now, so a bad param fails before any data is read
  for (const c of chosen) createLearner(c.kind, c.params);
  return chosen.map(({ kind, params: ps }) => ({ kind, params: ps }));
}

function parseValue(v: string): unknown {
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return v;
}

/** A model's default name: the table's, or the file's (snapshot:<id> and URLs give their last word). */
export function modelNameFromSource(spec: string, table?: string): string {
  if (table) return modelNameFromFile(table);
  if (spec.startsWith('snapshot:')) return `snapshot_${spec.slice(9, 21)}`;
  const tail = spec.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return modelNameFromFile(tail.slice(tail.lastIndexOf('/') + 1) || tail);
}

export function modelNameFromFile(file: string): string {
  const base = path
    .basename(file)
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z]/.test(base) ? base.slice(0, 64) : `m_${base}`.slice(0, 64);
}

export function trainJson(r: TrainJobResult, home: string): Record<string, unknown> {
  const best = r.models.find((m) => m.name === r.best);
  return {
    task: r.task,
    target: r.target,
    data_sha256: r.data_sha256,
    snapshot: r.snapshot,
    run_id: best?.run_id,
    model_ref: r.model_ref,
    registered: r.registered,
    promotion: r.promotion,
    metrics: best?.metrics,
    best_model: r.best,
    primary_metric: r.primary_metric,
    models: r.models,
    skipped: r.skipped,
    rows: r.rows,
    quarantine_sample: r.quarantine_sample,
    home,
  };
}

function trainProse(r: TrainJobResult): string {
  const lines = [
    '',
    `task ${r.task}, target "${r.target}": ${r.rows.train} training rows, ${r.rows.test} test rows` +
      (r.rows.quarantined ? `, ${r.rows.quarantined} quarantined` : '') +
      (r.rows.missing_target ? `, ${r.rows.missing_target} without a target` : ''),
    '',
    'test metrics:',
    ...r.models.map((m) => `  ${m.name.padEnd(20)} ${formatMetrics(m.metrics)}   run ${m.run_id}`),
    ...r.skipped.map((k) => `  ${k.name.padEnd(20)} skipped: ${k.reason}   run ${k.run_id}`),
    '',
    `best by ${r.primary_metric}: ${r.best}; registered as ${r.registered.name} version ${r.registered.version}`,
    `promotion: ${r.promotion}`,
    `serve it: npx keel serve ${r.model_ref}`,
    '',
  ];
  return lines.join('\n');
}

/** the command as `keel` dispatches it */
export const command: CommandSpec = { help: TRAIN_HELP, flags: TRAIN_FLAGS, run: trainCommand };
