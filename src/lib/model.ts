// A trained model as the library hands it out: predict rows, evaluate on any data, save and load its bytes, register
// it in a Keel home (a tracked run and a gated version), load it back from the registry.

import fs from 'node:fs';
import path from 'node:path';
import { secureHome } from '../auth/index.ts';
import { KeelError, writeFileAtomic } from '../core/index.ts';
import { KEEL_VERSION } from '../core/version.ts';
import { type Frame, type Schema, ValueReader } from '../data/index.ts';
import { decodeArtifact, type Task } from '../estimator/index.ts';
import { classificationMetrics, type MetricSet, regressionMetrics } from '../evaluate/index.ts';
import {
  alignTestLabels,
  dropMissingTarget,
  type ReadDataOptions,
  registerAndPromote,
} from '../flow/index.ts';
import { predictorFor } from '../models/inference.ts';
import { type ModelRegistry, openHome as openRegistryHome } from '../registry/index.ts';
import { type ModelArtifact, resolveModelStep, ServeErrors, validatePredictBody } from '../serve/index.ts';
import { ActiveRun, type SqlRunStore } from '../track/index.ts';
import { encodeTarget } from '../transform/index.ts';
import { type PipelineOutput, requestSchema, scorePipeline } from '../transform/inference.ts';
import { type DataInput, readInput } from './data.ts';

/** One row's prediction: the label and each class's probability, or the predicted value. */
export type Prediction =
  | { label: string | number | boolean; probabilities: Record<string, number> }
  | { value: number };

/** Where a Keel home is: its folder (default $KEEL_HOME or ./.keel) and an optional postgres:// metadata store. */
export interface HomeOptions {
  home?: string;
  store?: string;
}

export interface RegisterOptions extends HomeOptions {
  /** the alias to move through its gates (default champion); null registers without moving one */
  alias?: string | null;
  /** the experiment of the run that records the model (default library) */
  experiment?: string;
}

export interface Registered {
  name: string;
  version: number;
  /** the alias now pointing at this version, or null (not asked, or the gates kept it where it was) */
  alias: string | null;
  /** what happened to the alias: moved, or why the gates kept it */
  promotion: string;
  run_id: string;
  /** name@alias where it moved, else name@version */
  ref: string;
}

/**
 * Opens a Keel home's store and registry (SQLite in the home unless a postgres:// store is given); versions are
 * signed with KEEL_SIGNING_KEY and checked against the home's trust list where those are set up.
 */
export async function openHome(
  o: HomeOptions = {},
): Promise<{ store: SqlRunStore; registry: ModelRegistry }> {
  const home = path.resolve(o.home ?? process.env.KEEL_HOME ?? '.keel');
  return secureHome(home, await openRegistryHome({ home, store: o.store }));
}

export class Model {
  /** the artifact's bytes (keel.model/1): what save writes and register stores */
  readonly bytes: Buffer;
  readonly artifact: ModelArtifact;
  private readonly reader: ValueReader;
  private readonly predictor;

  private constructor(bytes: Buffer) {
    this.bytes = bytes;
    const artifact = decodeArtifact<ModelArtifact>(bytes);
    if (artifact?.format !== 'keel.model/1' || artifact.pipeline?.format !== 'keel.pipeline/1')
      throw new KeelError(ServeErrors.BAD_ARTIFACT, 'these bytes are not a Keel model artifact');
    this.artifact = artifact;
    this.reader = new ValueReader(artifact.reading);
    this.predictor = predictorFor(artifact.pipeline.model.kind);
  }

  /** A model from artifact bytes (checked: a corrupt artifact is refused). */
  static fromBytes(bytes: Buffer | Uint8Array): Model {
    return new Model(Buffer.from(bytes));
  }

  /** Loads a model saved with save(). */
  static async load(file: string): Promise<Model> {
    return new Model(await fs.promises.readFile(file));
  }

  /** Loads a registered version: name@alias or name@version, its files verified against the version's manifest. */
  static async fromRegistry(ref: string, o: HomeOptions = {}): Promise<Model> {
    const { store, registry } = await openHome(o);
    try {
      return new Model(await registry.loadVerified(await registry.resolve(ref)));
    } finally {
      await store.close();
    }
  }

  get name(): string {
    return this.artifact.name;
  }
  get task(): Task {
    return this.artifact.pipeline.task as Task;
  }
  get target(): string {
    return this.artifact.pipeline.target;
  }
  /** the model family (gradient_boosting, logistic_regression, …) */
  get kind(): string {
    return this.artifact.pipeline.model.kind;
  }
  /** the classes, in the order of the probabilities (null for regression) */
  get classes(): (string | number | boolean)[] | null {
    return this.artifact.pipeline.classes ?? null;
  }
  /** the held-out metrics measured when it was trained */
  get metrics(): Record<string, number> {
    return this.artifact.metrics;
  }
  /** the input columns and their types (nullable: may be missing, as in training or filled by the pipeline) */
  get inputSchema(): Schema {
    return requestSchema(this.artifact.pipeline);
  }

  /**
   * Predicts rows given as plain objects, checked and read exactly as the model server reads a request (numbers
   * as numbers, the training data's missing markers, date-times in its zone). A row that does not fit is an error
   * listing every field problem.
   */
  predict(rows: readonly Record<string, unknown>[]): Prediction[] {
    if (rows.length === 0) return [];
    const v = validatePredictBody(
      { instances: rows },
      this.inputSchema,
      { maxInstances: rows.length },
      this.reader,
    );
    if (!v.ok)
      throw new KeelError(
        ServeErrors.SCHEMA_MISMATCH,
        `rows do not fit the model's input: ${v.errors
          .slice(0, 5)
          .map((e) => `${e.path}: ${e.message}`)
          .join('; ')}${v.errors.length > 5 ? ` (and ${v.errors.length - 5} more)` : ''}`,
        { errors: v.errors },
      );
    return toPredictions(this.predictFrame(v.frame), this.classes);
  }

  /** Scores a Frame of the input columns; the raw output (probabilities row-major, labels, or values). */
  predictFrame(frame: Frame): PipelineOutput {
    return scorePipeline(this.artifact.pipeline, frame, this.predictor, resolveModelStep);
  }

  /**
   * The model's metrics on labelled data (a source spec or rows holding the target column), read with the model's
   * reading rules and input types; rows without a target are left out.
   */
  async evaluate(data: DataInput, read: ReadDataOptions = {}): Promise<MetricSet> {
    const types = Object.fromEntries(this.inputSchema.columns.map((c) => [c.name, c.type]));
    const got = await readInput(data, {
      missing: this.artifact.reading?.missing,
      zone: this.artifact.reading?.zone,
      ...read,
      types: { ...types, ...read.types },
    });
    if (!got.frame.has(this.target))
      throw new KeelError(ServeErrors.BAD_REQUEST, `the data has no target column "${this.target}"`);
    const { frame } = dropMissingTarget(got.frame, this.target);
    const y = alignTestLabels(encodeTarget(frame.column(this.target), this.task), this.classes);
    const out = this.predictFrame(frame.select(this.inputSchema.columns.map((c) => c.name)));
    return this.task === 'regression'
      ? regressionMetrics(y, out.values as Float64Array)
      : classificationMetrics(y, out.probabilities as Float64Array, (this.classes ?? []).length);
  }

  /** Writes the artifact to a file (written in full, fsynced, then renamed into place). */
  async save(file: string): Promise<void> {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileAtomic(file, this.bytes);
  }

  /**
   * Registers the model in a Keel home: a tracked run (params, metrics, the artifact) in the experiment, a new
   * version of `name`, and the alias moved through its gates (the alias's policy, else "beat the holder").
   */
  async register(name: string, o: RegisterOptions = {}): Promise<Registered> {
    const { store, registry } = await openHome(o);
    try {
      const run = await ActiveRun.start(store, {
        experiment: o.experiment ?? 'library',
        name: this.kind,
        params: {
          model: this.kind,
          ...this.artifact.pipeline.model.params,
          target: this.target,
          task: this.task,
        },
        tags: {
          source: 'library',
          data_sha256: String(
            (this.artifact as { training?: { data_sha256?: string } }).training?.data_sha256 ?? '',
          ),
        },
        lineage: { keelVersion: KEEL_VERSION, seed: 0, dataIds: [] },
      });
      await run.within(async () => {
        await run.logMetrics(this.metrics);
        await run.logArtifact('model.keel', this.bytes);
      });
      const alias = o.alias === undefined ? 'champion' : o.alias;
      const r = await registerAndPromote({
        registry,
        name,
        runId: run.id,
        task: this.task,
        alias,
        reason: `registered from the library (experiment ${o.experiment ?? 'library'})`,
      });
      return {
        name,
        version: r.version,
        alias: r.promoted ? r.alias : null,
        promotion: r.promotion,
        run_id: run.id,
        ref: r.promoted ? `${name}@${r.alias}` : `${name}@${r.version}`,
      };
    } finally {
      await store.close();
    }
  }
}

/** A pipeline's output as one prediction per row. */
function toPredictions(out: PipelineOutput, classes: (string | number | boolean)[] | null): Prediction[] {
  if (out.values) return Array.from(out.values, (value) => ({ value }));
  const K = (classes ?? []).length;
  const probs = out.probabilities as Float64Array;
  return (out.labels ?? []).map((label, i) => ({
    label,
    probabilities: Object.fromEntries((classes ?? []).map((c, k) => [String(c), probs[i * K + k]])),
  }));
}
