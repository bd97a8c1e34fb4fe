// The prediction response: its JSON written directly from the model's output (no intermediate objects), with the
// fixed part — model, version, arm, task, class names — serialised once per (arm, model).

import type { PipelineOutput } from '../transform/inference.ts';
import type { ArmStats, ServeMetrics } from './metrics.ts';
import type { LoadedModel } from './model.ts';

export interface AnswerParts {
  stats: ArmStats;
  classes: readonly (string | number | boolean)[];
  /** `"<class>":` for each class, in order */
  classKeys: string[];
  /** `{"model":…,"version":…,"arm":…,"task":…,"predictions":[` */
  head: string;
  sensitive: Set<string>;
}

export function makeAnswerParts(
  endpoint: string,
  arm: string,
  model: LoadedModel,
  metrics: ServeMetrics,
): AnswerParts {
  const pipeline = model.artifact.pipeline;
  const classes = (pipeline.classes ?? []) as (string | number | boolean)[];
  const head = JSON.stringify({ model: endpoint, version: model.version, arm, task: pipeline.task });
  return {
    stats: metrics.forArm(endpoint, model.version, arm),
    classes,
    classKeys: classes.map((c) => `${JSON.stringify(String(c))}:`),
    head: `${head.slice(0, -1)},"predictions":[`,
    sensitive: new Set(model.schema.columns.filter((c) => c.sensitive).map((c) => c.name)),
  };
}

/** A number as JSON.stringify writes it (non-finite values become null). */
function num(v: number): string {
  return Number.isFinite(v) ? String(v) : 'null';
}

/** The response body: the same text JSON.stringify gives for {model, version, arm, task, predictions}. */
export function answerJson(parts: AnswerParts, output: PipelineOutput, count: number): string {
  let s = parts.head;
  const values = output.values;
  if (values) {
    for (let i = 0; i < count; i++) s += `${i ? ',' : ''}{"value":${num(values[i])}}`;
    return `${s}]}`;
  }
  const probs = output.probabilities as Float64Array;
  const labels = output.labels as unknown[];
  const keys = parts.classKeys;
  const K = keys.length;
  for (let i = 0; i < count; i++) {
    s += `${i ? ',' : ''}{"label":${JSON.stringify(labels[i])},"probabilities":{`;
    for (let k = 0; k < K; k++) s += `${k ? ',' : ''}${keys[k]}${num(probs[i * K + k])}`;
    s += '}}';
  }
  return `${s}]}`;
}

/** The predictions as objects (for the prediction log). */
export function predictionObjects(
  output: PipelineOutput,
  classes: readonly (string | number | boolean)[],
  count: number,
): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    if (output.values) out.push({ value: output.values[i] });
    else {
      const probs = output.probabilities as Float64Array;
      const K = classes.length;
      const probabilities: Record<string, number> = {};
      for (let k = 0; k < K; k++) probabilities[String(classes[k])] = probs[i * K + k];
      out.push({ label: (output.labels as unknown[])[i], probabilities });
    }
  }
  return out;
}
