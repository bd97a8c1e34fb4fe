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
import { type ModelArtifact, resolveModelStep } from './model.ts';
import { recordsToFrame } from './validate.ts';

const { bytes, fault } = workerData as { bytes: Uint8Array; fault?: 'throw' | 'hang' };
const artifact = decodeArtifact<ModelArtifact>(bytes);
const pipeline: PipelineState = artifact.pipeline;
const predictor = predictorFor(pipeline.model.kind);
const compiled = compileScorer(pipeline, predictor);

// copies arrive in batches; all of a batch's rows are scored together and answered in one message
parentPort?.on('message', (m: { batch: { id: number; records: Record<string, RecordValue>[] }[] }) => {
  if (fault === 'hang') return; // never answers, like a stuck dependency
  const answers: { id: number; error?: string; labels?: unknown[]; values?: Float64Array }[] = [];
  try {
    if (fault === 'throw') throw new Error('injected shadow failure');
    const all = m.batch.flatMap((b) => b.records);
    const out = compiled
      ? compiled.scoreRecords(all)
      : scorePipeline(pipeline, recordsToFrame(all, pipeline.inputSchema), predictor, resolveModelStep);
    let off = 0;
    for (const b of m.batch) {
      const n = b.records.length;
      answers.push({
        id: b.id,
        labels: out.labels?.slice(off, off + n),
        values: out.values?.slice(off, off + n),
      });
      off += n;
    }
  } catch (err) {
    for (const b of m.batch) answers.push({ id: b.id, error: (err as Error).message });
  }
  parentPort?.postMessage({ answers });
});
