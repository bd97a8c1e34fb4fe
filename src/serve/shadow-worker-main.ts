// Inside a shadow worker thread: decode the model from its verified artifact bytes (inference code only) and score
// the copies the main thread posts — request bodies as JSON text, validated by the main thread. A fault can be
// injected for resilience tests.

// lowers this thread's priority before anything else loads (evaluated first, as the first import)
import './shadow-priority.ts';
import { parentPort, workerData } from 'node:worker_threads';
import { ValueReader } from '../data/index.ts';
import { decodeArtifact } from '../estimator/index.ts';
import { predictorFor } from '../models/inference.ts';
import {
  compileScorer,
  type PipelineState,
  type RecordValue,
  requestSchema,
  scorePipeline,
} from '../transform/inference.ts';
import { type ModelArtifact, resolveModelStep } from './model.ts';
import { COPY_SEPARATOR, type ShadowFault } from './shadow.ts';
import { lowered, osThreadId } from './shadow-priority.ts';
import { normaliseRecords, recordsToFrame } from './validate.ts';

const { bytes, fault } = workerData as { bytes: Uint8Array; fault?: ShadowFault };
const artifact = decodeArtifact<ModelArtifact>(bytes);
const pipeline: PipelineState = artifact.pipeline;
const inputs = requestSchema(pipeline);
const predictor = predictorFor(pipeline.model.kind);
const compiled = compileScorer(pipeline, predictor);
const reader = new ValueReader(artifact.reading);
const classIndex = new Map((pipeline.classes ?? []).map((c, i) => [c, i]));

parentPort?.postMessage({ ready: true, lowPriority: lowered, tid: osThreadId });

// copies arrive in batches (bodies joined by NUL); all of a batch's rows are scored together and answered in one
// message of typed arrays
parentPort?.on('message', (m: { first: number; count: number; text: string } | { ping: number }) => {
  // the main thread asks whether this loop is alive when copies go unanswered
  if ('ping' in m) {
    parentPort?.postMessage({ pong: m.ping });
    return;
  }
  if (fault === 'hang') return; // never answers, like a stuck dependency
  if (fault === 'spin') for (;;); // never answers and burns its core
  const startedAt = performance.now();
  try {
    if (fault === 'throw') throw new Error('injected shadow failure');
    // busy, not stuck: blocks its loop for a while on every batch, then answers — 120 ms, inside the ~200 ms a first
    // batch may take before its worker is pinged and found blocked (at 200 ms the answer raced the verdict and lost on
    // a loaded machine)
    if (fault === 'slow') while (performance.now() - startedAt < 120);
    const texts = m.text.split(COPY_SEPARATOR);
    const all: Record<string, RecordValue>[] = [];
    const rows = new Int32Array(texts.length);
    let several = false;
    for (let i = 0; i < texts.length; i++) {
      const body = JSON.parse(texts[i]) as {
        instances?: Record<string, RecordValue>[];
        instance?: Record<string, RecordValue>;
      };
      const records = body.instances ?? [body.instance as Record<string, RecordValue>];
      for (const r of records) all.push(r);
      rows[i] = records.length;
      if (records.length !== 1) several = true;
    }
    normaliseRecords(all, inputs, reader);
    const out = compiled
      ? compiled.scoreRecords(all)
      : scorePipeline(pipeline, recordsToFrame(all, inputs), predictor, resolveModelStep);
    const labelIndex = out.labels ? Int32Array.from(out.labels, (l) => classIndex.get(l) ?? -1) : undefined;
    parentPort?.postMessage({
      first: m.first,
      count: texts.length,
      rows: several ? rows : undefined,
      labelIndex,
      values: out.values,
      busyMs: performance.now() - startedAt,
    });
  } catch (err) {
    parentPort?.postMessage({ first: m.first, count: m.count, error: (err as Error).message });
  }
});
