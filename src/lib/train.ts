// train(): fit one model on any data in one call — the same read, split, pipeline and artifact as `keel train`, so
// the same data, model and seed give the same bytes either way.

import { KeelError } from '../core/index.ts';
import { profileFrame } from '../data/index.ts';
import type { Task } from '../estimator/index.ts';
import { classificationMetrics, regressionMetrics } from '../evaluate/index.ts';
import {
  alignTestLabels,
  defaultSteps,
  dropMissingTarget,
  FlowErrors,
  holdOut,
  type ModelSpec,
  modelArtifact,
  type ReadDataOptions,
} from '../flow/index.ts';
import { createLearner } from '../models/index.ts';
import { encodeTarget, inferTask, pipeline } from '../transform/index.ts';
import { type DataInput, readInput } from './data.ts';
import { Model } from './model.ts';

export interface TrainOptions {
  /** the data: a source spec (file or glob, sqlite:…, duckdb:…, postgres://…, http(s) API, snapshot:<id>) or rows */
  source: DataInput;
  /** the column to predict */
  target: string;
  /** inferred from the target when absent */
  task?: Task;
  /** a family name (`keel models families`) or { kind, params }; default gradient_boosting */
  model?: string | ModelSpec;
  /** params for the family (merged over a spec's own) */
  params?: Record<string, unknown>;
  /** held-out share the returned metrics are measured on (default 0.25) */
  testSize?: number;
  /** seed of the split and the model (default 42) */
  seed?: number;
  /** the model's name inside its artifact (default "model") */
  name?: string;
  /** how to read the source: delimiter, missing markers, zone, SQL query or table, HTTP options, snapshot store */
  read?: ReadDataOptions;
  /** progress lines for people */
  onProgress?: (line: string) => void;
}

/** Trains one model: read, leave out rows without a target, split (stratified for classes), fit, measure held out. */
export async function train(o: TrainOptions): Promise<Model> {
  const log = o.onProgress ?? (() => {});
  const seed = o.seed ?? 42;
  const testSize = o.testSize ?? 0.25;
  const spec: ModelSpec =
    typeof o.model === 'string' ? { kind: o.model } : (o.model ?? { kind: 'gradient_boosting' });
  const learner = createLearner(spec.kind, { ...spec.params, ...o.params });
  const data = await readInput(o.source, o.read);
  log(
    `read ${data.counts.read} rows: ${data.counts.accepted} accepted, ${data.counts.quarantined} quarantined`,
  );
  if (!data.frame.has(o.target))
    throw new KeelError(
      FlowErrors.BAD_TARGET,
      `target "${o.target}" is not a column; columns: ${data.frame.names.join(', ')}`,
    );
  const { frame: labelled } = dropMissingTarget(data.frame, o.target);
  if (labelled.nRows < 10)
    throw new KeelError(FlowErrors.TOO_FEW_ROWS, `only ${labelled.nRows} labelled rows`);
  const task = o.task ?? inferTask(labelled.column(o.target));
  const { train: trainPart, test } = holdOut(labelled, o.target, task, testSize, seed);
  log(`${task}: ${trainPart.nRows} train / ${test.nRows} test rows; fitting ${learner.kind}`);
  const fitted = pipeline(defaultSteps(), learner).fit(trainPart, o.target, { task, schema: data.schema });
  const out = fitted.predict(test.drop([o.target]));
  const y = alignTestLabels(
    encodeTarget(test.column(o.target), task),
    encodeTarget(trainPart.column(o.target), task).classes,
  );
  const metrics =
    task === 'regression'
      ? regressionMetrics(y, out.values as Float64Array)
      : classificationMetrics(y, out.probabilities as Float64Array, (fitted.state.classes ?? []).length);
  const bytes = modelArtifact({
    name: o.name ?? 'model',
    pipeline: fitted.state,
    metrics,
    task,
    trainRows: trainPart.nRows,
    dataSha256: data.dataId,
    seed,
    trainProfile: profileFrame(trainPart.drop([o.target])),
    reading: o.read,
  });
  return Model.fromBytes(bytes);
}
