// The training job: any source → checked data → split → one tracked run per model (pipeline fitted on the training part
// only, evaluated on held-out rows, encoded as one artifact) → the best registered as a new version.

import { isKeelError, KeelError } from '../core/index.ts';
import { KEEL_VERSION } from '../core/version.ts';
import { startMeter } from '../cost/index.ts';
import {
  type Frame,
  type FrameProfile,
  profileFrame,
  type QuarantineRecord,
  quarantineRecord,
  readingRules,
  schemaWithout,
  writeSnapshot,
} from '../data/index.ts';
import { EstimatorErrors, encodeArtifact, type Task } from '../estimator/index.ts';
import {
  classificationMetrics,
  type MetricSet,
  primaryMetric,
  regressionMetrics,
} from '../evaluate/index.ts';
import { createLearner, familyOf } from '../models/index.ts';
import type { ModelRegistry } from '../registry/index.ts';
import { RegistryErrors } from '../registry/index.ts';
import { ActiveRun, type SqlRunStore } from '../track/index.ts';
import {
  encodeTarget,
  inferTask,
  type PipelineState,
  pipeline,
  TransformErrors,
} from '../transform/index.ts';
import { FlowErrors } from './errors.ts';
import { evaluationReport } from './evaluation.ts';
import {
  balancedWeights,
  type Calibration,
  chooseDecision,
  type Resample,
  resampleRows,
  type SplitSpec,
  splitColumnToDrop,
  splitRows,
} from './imbalance.ts';
import { defaultSteps, dropMissingTarget, type ReadDataOptions, readData, readLabelled } from './prepare.ts';
import { sliceMetrics } from './slices.ts';

export interface ModelSpec {
  kind: string;
  params?: Record<string, unknown>;
}

export interface TrainJobOptions {
  /** the data: a CSV/TSV/Parquet/JSON file or glob, sqlite:…, duckdb:…, postgres://…, an http(s) API, snapshot:<id> */
  file: string;
  target: string;
  task?: Task;
  /** evaluate on this source instead of a held-out split */
  testFile?: string;
  testSize?: number;
  seed?: number;
  /** by default: a linear model for the task and gradient boosting */
  models?: ModelSpec[];
  modelName: string;
  experiment: string;
  /** the project of the experiment, and so of the runs and the registered model (default 'default') */
  project?: string;
  /** how to read the source: delimited-file options, reading rules, SQL query/table, HTTP options */
  csv?: ReadDataOptions;
  /** alias to point at the registered version; null to register without moving an alias */
  promote?: string | null;
  store: SqlRunStore;
  /** input columns whose values are personal or secret: redacted wherever predictions are logged */
  sensitive?: string[];
  /** nest the runs under this run (e.g. a tuning study) */
  parentRunId?: string;
  registry: ModelRegistry;
  /** progress lines for people */
  log?: (line: string) => void;
  /** called right after each run starts (tests use it to interrupt a run) */
  onRunStarted?: (runId: string, kind: string) => void;
  /** the snapshot store: the data read is written there (content-addressed) and its id is the runs' lineage */
  snapshotDir?: string;
  /** how the held-out rows are chosen (default: stratified for classes, random for regression) */
  split?: SplitSpec;
  /** balanced: every class weighs the same in the fit (per-row sample weights; families that take none are skipped) */
  classWeight?: 'balanced';
  /** resample the training rows only (the test rows stay as read) */
  resample?: Resample;
  /** binary: choose the decision threshold on held-out training rows: f1, youden or cost:FP,FN */
  threshold?: string;
  /** binary: calibrate the probabilities on held-out training rows */
  calibrate?: Calibration;
}

export interface TrainedModelResult {
  name: string;
  run_id: string;
  metrics: MetricSet;
  fit_seconds: number;
  cpu_seconds: number;
  artifact_sha256: string;
}

/** A model of the run that could not take the data: its failed run and why. */
export interface SkippedModel {
  name: string;
  run_id: string;
  code: string;
  reason: string;
}

/** The codes that mean "this family cannot fit this data", as opposed to a fault. */
const CANNOT_TAKE_DATA = new Set<string>([
  EstimatorErrors.BAD_INPUT,
  EstimatorErrors.BAD_TASK,
  TransformErrors.BAD_PIPELINE,
  TransformErrors.NOT_NUMERIC,
]);

export interface TrainJobResult {
  task: Task;
  target: string;
  /** the rows' content id: the same rows from any source give the same hash */
  data_sha256: string;
  /** the snapshot holding exactly these rows (keel train snapshot:<id> trains on them again), where one was written */
  snapshot: string | null;
  rows: {
    read: number;
    accepted: number;
    quarantined: number;
    missing_target: number;
    train: number;
    test: number;
  };
  quarantine_sample: QuarantineRecord[];
  models: TrainedModelResult[];
  /** models that could not take the data, each with its reason */
  skipped: SkippedModel[];
  best: string;
  primary_metric: string;
  model_ref: string;
  registered: { name: string; version: number; alias: string | null };
  /** what happened to the alias: moved, or why the gates kept it */
  promotion: string;
  /** a few held-out rows (features only), handy for trying the served model */
  example_rows: Record<string, number | string | boolean | null>[];
}

export async function runTrainJob(o: TrainJobOptions): Promise<TrainJobResult> {
  const log = o.log ?? (() => {});
  const seed = o.seed ?? 42;
  const testSize = o.testSize ?? 0.25;
  log(`reading ${o.file}`);
  const {
    data,
    frame: labelled,
    dropped,
  } = await readLabelled(o.file, o.target, {
    snapshotDir: o.snapshotDir,
    ...o.csv,
  });
  log(
    `read ${data.counts.read} rows: ${data.counts.accepted} accepted, ${data.counts.quarantined} quarantined` +
      ` (${data.frame.columns.length} columns` +
      `${data.dialect ? `, delimiter ${JSON.stringify(data.dialect.delimiter)}` : `, ${data.source.kind}`})`,
  );
  if (dropped > 0)
    log(`${dropped} rows have no value for "${o.target}" and are left out of training and testing`);
  if (labelled.nRows < 10)
    throw new KeelError(FlowErrors.TOO_FEW_ROWS, `only ${labelled.nRows} labelled rows in ${o.file}`);
  const task = o.task ?? inferTask(labelled.column(o.target));
  log(`task: ${task}${o.task ? '' : ' (inferred from the target)'}`);

  let train: Frame;
  let test: Frame;
  if (o.testFile) {
    const types = Object.fromEntries(data.schema.columns.map((c) => [c.name, c.type]));
    const t = await readData(o.testFile, { snapshotDir: o.snapshotDir, ...o.csv, types });
    log(`test file ${o.testFile}: ${t.counts.accepted} accepted, ${t.counts.quarantined} quarantined`);
    train = labelled;
    test = dropMissingTarget(t.frame.select(labelled.names), o.target).frame;
  } else {
    let how: string;
    ({ train, test, how } = splitRows(labelled, o.target, task, testSize, seed, o.split));
    log(`split: ${train.nRows} train / ${test.nRows} test (${how}, seed ${seed})`);
  }
  const splitColumn = splitColumnToDrop(o.split);
  if (splitColumn.length > 0) {
    train = train.drop(splitColumn);
    test = test.drop(splitColumn);
  }
  const binaryOnly = o.threshold ?? o.calibrate;
  if (binaryOnly && task !== 'binary')
    throw new KeelError(
      FlowErrors.BAD_OPTION,
      `thresholds and calibration are for binary tasks; this one is ${task}`,
    );
  if (o.classWeight && task === 'regression')
    throw new KeelError(FlowErrors.BAD_OPTION, 'class weights need classes; this task is regression');
  // a threshold or a calibrator is chosen on training rows the model does not fit (a fifth, stratified)
  let fitPart = train;
  let decisionPart: Frame | null = null;
  if (binaryOnly) {
    const cut = splitRows(train, o.target, task, 0.2, seed + 1);
    fitPart = cut.train;
    decisionPart = cut.test;
    log(`decision rows: ${decisionPart.nRows} training rows held out to choose the threshold / calibration`);
  }
  if (o.resample) {
    const before = fitPart.nRows;
    fitPart = resampleRows(fitPart, o.target, o.resample, seed);
    log(`resampled the training rows (${o.resample}): ${before} → ${fitPart.nRows}`);
  }

  for (const name of o.sensitive ?? []) {
    const col = data.schema.columns.find((c) => c.name === name);
    if (!col)
      throw new KeelError(
        FlowErrors.BAD_COLUMN,
        `--sensitive names "${name}", which is not a column of ${o.file}`,
      );
    col.sensitive = true;
  }
  // the data hash is the rows' content id: the same rows from a CSV, Parquet, SQL or a snapshot give the same hash
  const dataSha256 = data.dataId;
  const dataIds = [`sha256:${dataSha256}`];
  let snapshotId: string | undefined = data.snapshot;
  if (o.snapshotDir && !snapshotId) {
    const snap = await writeSnapshot(
      { frame: data.frame, source: data.source, counts: data.counts },
      { dir: o.snapshotDir, target: o.target, id: data.dataId },
    );
    snapshotId = snap.id;
    log(`data snapshot ${snap.id.slice(0, 12)}… (${snap.created ? 'written' : 'already stored'})`);
  }
  if (snapshotId) dataIds.unshift(`snapshot:${snapshotId}`);
  const profile = profileFrame(labelled);
  // the reference the model carries: its training rows' features only
  const trainProfile = profileFrame(train.drop([o.target]));
  log(`profiled ${labelled.nRows} rows (the run's profile and the model's drift reference)`);
  const testTarget = encodeTarget(test.column(o.target), task);
  const trainClasses = encodeTarget(train.column(o.target), task).classes;
  const testY = alignTestLabels(testTarget, trainClasses);
  const results: TrainedModelResult[] = [];
  const skipped: SkippedModel[] = [];
  const specs = o.models ?? defaultModels(task);
  for (const spec of specs) {
    const learner = createLearner(spec.kind, spec.params);
    const run = await ActiveRun.start(o.store, {
      experiment: o.experiment,
      project: o.project,
      name: learner.kind,
      parentId: o.parentRunId,
      params: {
        model: learner.kind,
        ...learner.params,
        target: o.target,
        task,
        seed,
        test_size: o.testFile ? null : testSize,
        ...(o.split ? { split: splitText(o.split) } : {}),
        ...(o.classWeight ? { class_weight: o.classWeight } : {}),
        ...(o.resample ? { resample: o.resample } : {}),
        ...(o.threshold ? { threshold_rule: o.threshold } : {}),
        ...(o.calibrate ? { calibrate: o.calibrate } : {}),
      },
      tags: {
        data_file: o.file,
        data_sha256: dataSha256,
        ...(snapshotId ? { data_snapshot: snapshotId } : {}),
      },
      lineage: { keelVersion: KEEL_VERSION, seed, dataIds },
    });
    o.onRunStarted?.(run.id, learner.kind);
    log(`run ${run.id}: fitting ${learner.kind}`);
    let result: TrainedModelResult;
    try {
      result = await run.within(async () => {
        const meter = startMeter();
        let lastQuarter = 0;
        let sampleWeight: Float64Array | undefined;
        if (o.classWeight) {
          if (!familyOf(learner.kind).weights)
            throw new KeelError(
              EstimatorErrors.BAD_INPUT,
              `${learner.kind} takes no sample weights (class weights)`,
            );
          const enc = encodeTarget(fitPart.column(o.target), task);
          sampleWeight = balancedWeights(enc.y, (enc.classes ?? []).length);
        }
        const fitted = pipeline(defaultSteps(), learner).fit(fitPart, o.target, {
          task,
          // the schema as read (with --sensitive marks), less the split's own column
          schema: splitColumn.length > 0 ? schemaWithout(data.schema, splitColumn) : data.schema,
          sampleWeight,
          onProgress: (done, total) => {
            run.log('progress', done / total, done);
            const quarter = Math.floor((4 * done) / total);
            if (quarter > lastQuarter) {
              lastQuarter = quarter;
              log(`  ${learner.kind}: ${done}/${total} (${25 * quarter}%)`);
            }
          },
        });
        if (decisionPart) {
          const held = fitted.predict(decisionPart.drop([o.target]));
          const probs = held.probabilities as Float64Array;
          const p1 = Float64Array.from({ length: decisionPart.nRows }, (_, i) => probs[2 * i + 1]);
          const yHeld = alignTestLabels(encodeTarget(decisionPart.column(o.target), task), trainClasses);
          fitted.state.decision = chooseDecision(yHeld, p1, {
            calibrate: o.calibrate,
            threshold: o.threshold,
          });
          if (fitted.state.decision.threshold !== undefined)
            log(
              `  ${learner.kind}: threshold ${fitted.state.decision.threshold.toFixed(4)} (${o.threshold})`,
            );
        }
        const usage = meter.stop();
        run.countRows(fitPart.nRows);
        const testFeatures = test.drop([o.target]);
        const t0 = process.hrtime.bigint();
        const out = fitted.predict(testFeatures);
        const predictMs = Number(process.hrtime.bigint() - t0) / 1e6;
        const K = (fitted.state.classes ?? []).length;
        const metrics =
          task === 'regression'
            ? regressionMetrics(testY, out.values as Float64Array)
            : classificationMetrics(
                testY,
                out.probabilities as Float64Array,
                K,
                fitted.state.decision?.threshold,
              );
        const artifact = modelArtifact({
          name: o.modelName,
          pipeline: fitted.state,
          metrics,
          task,
          trainRows: train.nRows,
          dataSha256,
          seed,
          trainProfile,
          reading: o.csv,
        });
        await run.logMetrics({
          ...metrics,
          fit_seconds: usage.wall_seconds,
          fit_cpu_seconds: usage.cpu_seconds,
          predict_ms_per_1k_rows: (1000 * predictMs) / Math.max(1, test.nRows),
          train_rows: train.nRows,
          test_rows: test.nRows,
        });
        const ref = await run.logArtifact('model.keel', artifact);
        await run.logArtifact('profile.json', Buffer.from(JSON.stringify(profile, null, 2)));
        const evaluation = evaluationReport({
          task,
          classes: fitted.state.classes,
          features: testFeatures,
          y: testY,
          out,
          predict: (f) => fitted.predict(f),
          threshold: fitted.state.decision?.threshold,
          seed,
        });
        await run.logArtifact('evaluation.json', Buffer.from(JSON.stringify(evaluation)));
        const slices = sliceMetrics(test, o.target, task, testY, out, K);
        await run.logArtifact('slices.json', Buffer.from(JSON.stringify(slices, null, 2)));
        if (data.quarantine.length > 0)
          await run.logArtifact(
            'quarantine.json',
            Buffer.from(JSON.stringify(data.quarantine.map(quarantineRecord), null, 2)),
          );
        log(`run ${run.id}: ${formatMetrics(metrics)} (fit ${usage.wall_seconds.toFixed(1)} s)`);
        return {
          name: learner.kind,
          run_id: run.id,
          metrics,
          fit_seconds: usage.wall_seconds,
          cpu_seconds: usage.cpu_seconds,
          artifact_sha256: ref.sha256,
        };
      });
    } catch (err) {
      // a family that cannot take this data (categorical naive Bayes on numeric columns, a task it lacks) is
      // reported and skipped; the other models of the run go on
      if (!isKeelError(err) || !CANNOT_TAKE_DATA.has(err.code)) throw err;
      log(`run ${run.id}: ${learner.kind} skipped: ${err.message}`);
      skipped.push({ name: learner.kind, run_id: run.id, code: err.code, reason: err.message });
      continue;
    }
    results.push(result);
  }
  if (results.length === 0)
    throw new KeelError(
      FlowErrors.NO_MODEL,
      `no model could be trained on this data: ${skipped.map((k) => `${k.name} (${k.reason})`).join('; ')}`,
    );

  const primary = primaryMetric(task);
  const best = results.reduce((a, b) => {
    const better = primary.higherIsBetter
      ? b.metrics[primary.name] > a.metrics[primary.name]
      : b.metrics[primary.name] < a.metrics[primary.name];
    return better ? b : a;
  });
  const { version, promoted, alias, promotion } = await registerAndPromote({
    registry: o.registry,
    name: o.modelName,
    runId: best.run_id,
    task,
    alias: o.promote === undefined ? 'champion' : o.promote,
    reason: `best ${primary.name} (${best.metrics[primary.name].toFixed(4)}) of ${results.length} model(s) in experiment ${o.experiment}`,
  });
  const mv = { version };
  log(`registered ${o.modelName} version ${mv.version} (${best.name}); ${promotion}`);
  const holder = alias ? await o.registry.resolve({ name: o.modelName, alias }).catch(() => null) : null;
  return {
    task,
    target: o.target,
    data_sha256: dataSha256,
    snapshot: snapshotId ?? null,
    rows: {
      read: data.counts.read,
      accepted: data.counts.accepted,
      quarantined: data.counts.quarantined,
      missing_target: dropped,
      train: train.nRows,
      test: test.nRows,
    },
    quarantine_sample: data.quarantine.slice(0, 20).map(quarantineRecord),
    models: results,
    skipped,
    best: best.name,
    primary_metric: primary.name,
    model_ref: holder && alias ? `${o.modelName}@${alias}` : `${o.modelName}@${mv.version}`,
    registered: { name: o.modelName, version: mv.version, alias: promoted ? alias : null },
    promotion,
    example_rows: test.drop([o.target]).toRecords(3),
  };
}

/** What a model artifact holds, besides its fitted pipeline. */
export interface ModelArtifactParts {
  name: string;
  pipeline: PipelineState;
  metrics: MetricSet;
  task: Task;
  trainRows: number;
  dataSha256: string;
  seed: number;
  /** the training rows' features, the reference drift monitoring compares with */
  trainProfile: FrameProfile;
  /** the reading rules the training data was read with */
  reading?: { missing?: readonly string[]; zone?: string };
}

/** A model artifact's bytes (keel.model/1): the same parts always give the same bytes. */
export function modelArtifact(p: ModelArtifactParts): Buffer {
  return encodeArtifact({
    format: 'keel.model/1',
    keel_version: KEEL_VERSION,
    name: p.name,
    pipeline: p.pipeline,
    metrics: p.metrics,
    training: { rows: p.trainRows, data_sha256: p.dataSha256, seed: p.seed },
    // what a caller gets back, and what the training inputs looked like (drift monitoring compares with it)
    output: {
      task: p.task,
      kind: p.task === 'regression' ? 'values' : 'probabilities',
      classes: p.pipeline.classes,
    },
    reference_profile: JSON.parse(JSON.stringify(p.trainProfile)),
    // the server and batch scoring read values with the rules the training data was read with
    reading: readingRules({
      missing: p.reading?.missing ? [...p.reading.missing] : undefined,
      zone: p.reading?.zone,
    }),
  } as never);
}

export interface RegisterOptions {
  registry: ModelRegistry;
  name: string;
  runId: string;
  task: Task;
  /** the alias to move (through its gates); null registers without moving one */
  alias: string | null;
  /** why, as the promotion history will say */
  reason: string;
}

/**
 * Registers a run's model.keel as a new version and moves the alias through its gates: the alias's stored policy,
 * else "beat the current holder on the primary metric". A gate that says no is an outcome, not an error.
 */
export async function registerAndPromote(
  o: RegisterOptions,
): Promise<{ version: number; alias: string | null; promoted: boolean; promotion: string }> {
  const mv = await o.registry.register({
    name: o.name,
    runId: o.runId,
    artifact: 'model.keel',
    task: o.task,
  });
  if (!o.alias) return { version: mv.version, alias: null, promoted: false, promotion: 'not requested' };
  const policy = await o.registry.policy(o.name, o.alias);
  const gates = policy.length > 0 ? policy : [`beats:${primaryMetric(o.task).name}`];
  try {
    await o.registry.promote({ name: o.name, version: mv.version, alias: o.alias, gates, reason: o.reason });
    return {
      version: mv.version,
      alias: o.alias,
      promoted: true,
      promotion: `@${o.alias} → v${mv.version} (gates: ${gates.join(', ')})`,
    };
  } catch (err) {
    if (!isKeelError(err, RegistryErrors.GATE_FAILED)) throw err;
    return { version: mv.version, alias: o.alias, promoted: false, promotion: err.message };
  }
}

/** A split spec as the command line writes it. */
function splitText(s: SplitSpec): string {
  return s.kind === 'group'
    ? `group:${s.column}`
    : s.kind === 'time'
      ? `time:${s.column}:${s.gap ?? 0}`
      : s.kind;
}

export function defaultModels(task: Task): ModelSpec[] {
  return [{ kind: task === 'regression' ? 'ridge' : 'logistic_regression' }, { kind: 'gradient_boosting' }];
}

/** Test labels as indices into the training classes; a class the training part never saw is an error. */
export function alignTestLabels(
  test: { y: Float64Array; classes: (string | number | boolean)[] | null },
  trainClasses: (string | number | boolean)[] | null,
): Float64Array {
  if (!test.classes || !trainClasses) return test.y;
  const index = new Map(trainClasses.map((c, k) => [String(c), k]));
  return Float64Array.from(test.y, (k) => {
    const label = (test.classes as (string | number | boolean)[])[k];
    const idx = index.get(String(label));
    if (idx === undefined)
      throw new KeelError(FlowErrors.UNSEEN_CLASS, `test rows have class "${label}" that training rows lack`);
    return idx;
  });
}

export function formatMetrics(m: MetricSet): string {
  return Object.entries(m)
    .map(([k, v]) => `${k}=${v.toFixed(4)}`)
    .join(' ');
}
