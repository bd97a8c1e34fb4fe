// Loading a served model: resolve the reference, verify every artifact of the version against its manifest, decode the
// model with inference code only, and warm it with one prediction.

import { KeelError } from '../core/index.ts';
import { type Frame, type ReadingRules, type Schema, ValueReader } from '../data/index.ts';
import { decodeArtifact, type Predictor } from '../estimator/index.ts';
import { appliers, predictorFor } from '../models/inference.ts';
import type { ModelRegistry, ModelVersion } from '../registry/index.ts';
import {
  compileScorer,
  type ModelStepResolver,
  type PipelineOutput,
  type PipelineState,
  type RecordValue,
  requestSchema,
  scorePipeline,
} from '../transform/inference.ts';
import { ServeErrors } from './errors.ts';
import { validatePredictBody } from './validate.ts';

export interface ModelArtifact {
  format: 'keel.model/1';
  keel_version: string;
  name: string;
  pipeline: PipelineState;
  metrics: Record<string, number>;
  /** what the model answers (artifacts from before it was recorded lack it) */
  output?: { task: string; kind: 'values' | 'probabilities'; classes: (string | number | boolean)[] | null };
  /** per-column statistics of the training features, the reference for drift checks */
  reference_profile?: unknown;
  /** how the training data's values were read (missing markers, zone of date-times without one); the defaults when absent */
  reading?: ReadingRules;
}

export interface LoadedModel {
  ref: string;
  name: string;
  version: number;
  artifactSha256: string;
  artifact: ModelArtifact;
  schema: Schema;
  /** reads request values with the training data's rules */
  reader: ValueReader;
  predict(frame: Frame): PipelineOutput;
  /** the compiled fast path (bit-identical to predict), when the pipeline's steps allow it */
  scoreRecords?: (records: readonly Record<string, RecordValue>[]) => PipelineOutput;
}

/** Model steps inside a pipeline (an isolation-forest outlier flag) are scored by their family's inference code. */
export const resolveModelStep: ModelStepResolver = (step) => {
  const apply = appliers[step.model.kind];
  if (!apply)
    throw new KeelError(ServeErrors.BAD_ARTIFACT, `no inference for a "${step.model.kind}" model step`);
  return (X) => apply(step.model.state, X);
};

export async function loadModel(registry: ModelRegistry, ref: string): Promise<LoadedModel> {
  const mv: ModelVersion = await registry.resolve(ref);
  // every file of the version's manifest is verified; the model's bytes are also checked by the codec
  const artifact = decodeArtifact<ModelArtifact>(await registry.loadVerified(mv));
  if (artifact?.format !== 'keel.model/1' || artifact.pipeline?.format !== 'keel.pipeline/1') {
    throw new KeelError(
      ServeErrors.BAD_ARTIFACT,
      `${ref} (version ${mv.version}) is not a Keel model artifact`,
    );
  }
  const predictor: Predictor = predictorFor(artifact.pipeline.model.kind);
  const model: LoadedModel = {
    ref,
    name: mv.name,
    version: mv.version,
    artifactSha256: mv.artifactSha256,
    artifact,
    // what a request may send: the training schema, with the columns the pipeline imputes taking a missing value
    schema: requestSchema(artifact.pipeline),
    reader: new ValueReader(artifact.reading),
    predict: (frame) => scorePipeline(artifact.pipeline, frame, predictor, resolveModelStep),
  };
  const compiled = compileScorer(artifact.pipeline, predictor);
  if (compiled) model.scoreRecords = (records) => compiled.scoreRecords(records);
  warm(model);
  return model;
}

/** One prediction on a made-up valid row, so the first real request is not the one that pays for cold code. */
function warm(model: LoadedModel): void {
  const row: Record<string, unknown> = {};
  for (const c of model.schema.columns) {
    if (c.type === 'numeric') row[c.name] = 0;
    else if (c.type === 'boolean') row[c.name] = false;
    else if (c.type === 'datetime') row[c.name] = '2000-01-01T00:00:00Z';
    else row[c.name] = c.levels?.[0] ?? '';
  }
  const v = validatePredictBody({ instance: row }, model.schema, { maxInstances: 1 }, model.reader);
  if (!v.ok)
    throw new KeelError(
      ServeErrors.BAD_ARTIFACT,
      `${model.ref}: warm-up row rejected: ${v.errors[0].message}`,
    );
  model.predict(v.frame);
}
