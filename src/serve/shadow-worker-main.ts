// Inside a shadow worker thread: decode the model from its verified artifact bytes (inference code only) and score
// the copies the main thread posts. A fault can be injected for resilience tests.

import { parentPort, workerData } from 'node:worker_threads';
import { decodeArtifact } from '../estimator/index.ts';
import { predictorFor } from '../models/inference.ts';
import {
  compileScorer,
  type PipelineState,
  type RecordValue,
  scorePipeline,
} from '../transform/inference.ts';
import type { ModelArtifact } from './model.ts';
import { recordsToFrame } from './validate.ts';

const { bytes, fault } = workerData as { bytes: Uint8Array; fault?: 'throw' | 'hang' };
const artifact = decodeArtifact<ModelArtifact>(bytes);
const pipeline: PipelineState = artifact.pipeline;
const predictor = predictorFor(pipeline.model.kind);
const compiled = compileScorer(pipeline, predictor);

parentPort?.on('message', (m: { id: number; records: Record<string, RecordValue>[] }) => {
  if (fault === 'hang') return; // never answers, like a stuck dependency
  try {
    if (fault === 'throw') throw new Error('injected shadow failure');
    const out = compiled
      ? compiled.scoreRecords(m.records)
      : scorePipeline(pipeline, recordsToFrame(m.records, pipeline.inputSchema), predictor);
    parentPort?.postMessage({ id: m.id, labels: out.labels, values: out.values });
  } catch (err) {
    parentPort?.postMessage({ id: m.id, error: (err as Error).message });
  }
});
