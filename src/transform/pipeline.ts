// pipeline(steps, learner): itself a learner over frames — fits each transformer on the training rows only,
// then the model, and yields one plain-data state that inference.ts scores anywhere.

import { KeelError } from '../core/index.ts';
import { type Column, type Frame, type Schema, schemaOf, schemaWithout } from '../data/index.ts';
import type { FitOptions, Learner, Matrix, Task } from '../estimator/index.ts';
import {
  applyTransform,
  frameToMatrix,
  type PipelineOutput,
  type PipelineState,
  scorePipeline,
  TransformErrors,
} from './inference.ts';
import type { Transformer, TransformState } from './types.ts';

export interface PipelineFitOptions {
  /** inferred from the target when absent */
  task?: Task;
  /** the declared input schema; by default the schema of the training features */
  schema?: Schema;
  sampleWeight?: Float64Array;
  onProgress?: (done: number, total: number) => void;
  /** held-out rows (with the target column) for early stopping and for onIteration's validation loss */
  validation?: Frame;
  /** passed to the learner: called after each boosting round or epoch (a tuning objective reports from here) */
  onIteration?: FitOptions['onIteration'];
}

export interface FittedPipeline {
  state: PipelineState;
  predict(frame: Frame): PipelineOutput;
}

export interface Pipeline {
  kind: 'pipeline';
  steps: readonly Transformer[];
  learner: Learner;
  fit(frame: Frame, target: string, options?: PipelineFitOptions): FittedPipeline;
}

/** Classification with a handful of integer values is likely meant as classes; anything else numeric is regression. */
export function inferTask(target: Column): Task {
  if (target.type === 'categorical') {
    const seen = new Set<number>();
    for (let i = 0; i < target.codes.length; i++) if (target.codes[i] >= 0) seen.add(target.codes[i]);
    return seen.size <= 2 ? 'binary' : 'multiclass';
  }
  if (target.type === 'boolean') return 'binary';
  const distinct = new Set<number>();
  let integral = true;
  for (let i = 0; i < target.values.length; i++) {
    const v = target.values[i];
    if (Number.isNaN(v)) continue;
    distinct.add(v);
    if (!Number.isInteger(v)) integral = false;
    if (distinct.size > 20) break;
  }
  if (distinct.size <= 2) return 'binary';
  if (integral && distinct.size <= 10) return 'multiclass';
  return 'regression';
}

/** Class labels in index order and each row's class index. */
export function encodeTarget(
  target: Column,
  task: Task,
): { y: Float64Array; classes: (string | number | boolean)[] | null } {
  const n = target.type === 'categorical' ? target.codes.length : target.values.length;
  const y = new Float64Array(n);
  const missing = (i: number) =>
    new KeelError(
      TransformErrors.BAD_PIPELINE,
      `target "${target.name}" is missing in row ${i}; drop such rows first`,
    );
  if (task === 'regression') {
    if (target.type === 'categorical') {
      throw new KeelError(
        TransformErrors.BAD_PIPELINE,
        `target "${target.name}" is categorical; regression needs numbers`,
      );
    }
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(target.values[i])) throw missing(i);
      y[i] = target.values[i];
    }
    return { y, classes: null };
  }
  if (target.type === 'categorical') {
    const present = new Set<number>();
    for (let i = 0; i < n; i++) {
      if (target.codes[i] < 0) throw missing(i);
      present.add(target.codes[i]);
    }
    const labels = [...present].map((k) => target.levels[k]).sort();
    const index = new Map(labels.map((l, k) => [l, k]));
    for (let i = 0; i < n; i++) y[i] = index.get(target.levels[target.codes[i]]) as number;
    return { y, classes: labels };
  }
  const values = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(target.values[i])) throw missing(i);
    values.add(target.values[i]);
  }
  const sorted = [...values].sort((a, b) => a - b);
  const index = new Map(sorted.map((v, k) => [v, k]));
  for (let i = 0; i < n; i++) y[i] = index.get(target.values[i]) as number;
  const classes = target.type === 'boolean' ? sorted.map((v) => v === 1) : sorted;
  return { y, classes };
}

/** The validation rows through the fitted steps, their target coded with the training classes. */
function validationSet(
  frame: Frame,
  target: string,
  task: Task,
  classes: (string | number | boolean)[] | null,
  states: TransformState[],
  featureNames: readonly string[],
): { X: Matrix; y: Float64Array } {
  let cur = frame.drop([target]);
  for (const s of states) cur = applyTransform(s, cur);
  const X = frameToMatrix(cur, featureNames);
  const coded = encodeTarget(frame.column(target), task);
  if (!classes || !coded.classes) return { X, y: coded.y };
  const index = new Map(classes.map((c, k) => [c, k]));
  const remap = coded.classes.map((c) => {
    const k = index.get(c);
    if (k === undefined) {
      throw new KeelError(
        TransformErrors.BAD_PIPELINE,
        `validation target has class ${String(c)} unseen in training`,
      );
    }
    return k;
  });
  return { X, y: Float64Array.from(coded.y, (v) => remap[v]) };
}

export function pipeline(steps: readonly Transformer[], learner: Learner): Pipeline {
  return {
    kind: 'pipeline',
    steps,
    learner,
    fit(frame: Frame, target: string, options: PipelineFitOptions = {}): FittedPipeline {
      const targetCol = frame.column(target);
      const task = options.task ?? inferTask(targetCol);
      const { y, classes } = encodeTarget(targetCol, task);
      if (classes && classes.length < 2) {
        throw new KeelError(
          TransformErrors.BAD_PIPELINE,
          `target "${target}" has only one class in the training rows`,
        );
      }
      const features = frame.drop([target]);
      const states: TransformState[] = [];
      let cur = features;
      const targetInfo = { y, task, classes: classes ? classes.length : 0 };
      const liveModels = new Map<TransformState, (X: Matrix) => Float64Array>();
      for (const step of steps) {
        if (step.fitTransform) {
          const r = step.fitTransform(cur, targetInfo);
          states.push(r.state);
          cur = r.frame;
          // a model step scores new rows with the model it just fitted, when this pipeline predicts in memory
          const live = (step as { liveModel?: ((X: Matrix) => Float64Array) | null }).liveModel;
          if (live) liveModels.set(r.state, live);
          continue;
        }
        const s = step.fit(cur, targetInfo);
        states.push(s);
        cur = applyTransform(s, cur);
      }
      const featureNames = cur.names;
      if (featureNames.length === 0) {
        throw new KeelError(
          TransformErrors.BAD_PIPELINE,
          `the steps (${steps.map((s) => s.kind).join(', ')}) left no feature columns to learn from`,
        );
      }
      const X = frameToMatrix(cur, featureNames);
      const validation = options.validation
        ? validationSet(options.validation, target, task, classes, states, featureNames)
        : undefined;
      const model = learner.fit(X, y, task, classes ? classes.length : 0, {
        sampleWeight: options.sampleWeight,
        onProgress: options.onProgress,
        onIteration: options.onIteration,
        validation,
      });
      const state: PipelineState = {
        format: 'keel.pipeline/1',
        task,
        target,
        classes,
        inputSchema: options.schema ? schemaWithout(options.schema, [target]) : schemaOf(features),
        steps: states,
        model: { kind: model.kind, params: learner.params, state: model.state },
        featureNames,
      };
      const resolve = (step: TransformState) => {
        const live = liveModels.get(step);
        if (!live) throw new KeelError(TransformErrors.BAD_PIPELINE, `no fitted model for step ${step.kind}`);
        return live;
      };
      return { state, predict: (f: Frame) => scorePipeline(state, f, (_s, Z) => model.predict(Z), resolve) };
    },
  };
}
