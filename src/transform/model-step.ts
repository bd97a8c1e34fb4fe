// Fitting of a model step (inference in model-step-apply.ts): an unsupervised learner passed in is fitted on the chosen
// numeric columns; its training scores set the flag threshold.

import { KeelError } from '../core/index.ts';
import { Frame } from '../data/index.ts';
import type { Matrix, UnsupervisedLearner } from '../estimator/index.ts';
import { TransformErrors } from './errors.ts';
import { inputMatrix, type ModelStepState, stepOutput } from './model-step-apply.ts';
import { numericColumns } from './numeric-fit.ts';
import type { Transformer } from './types.ts';

export interface ModelStepOptions {
  /** the unsupervised learner, e.g. createUnsupervised('isolation_forest', { seed: 1 }) */
  learner: UnsupervisedLearner;
  /** the new column's name (default: <kind>_flag or <kind>_score) */
  name?: string;
  columns?: string[];
  output?: 'score' | 'flag';
  /** flag: the share of training rows flagged (the score threshold is set from it; default 0.05) */
  contamination?: number;
}

/**
 * Fits the learner on the chosen numeric columns and adds its score (or a 0/1 flag for the top `contamination` share
 * of training scores: an isolation-forest outlier flag) as a column.
 */
export function modelFeature(options: ModelStepOptions): Transformer {
  const out = options.output ?? 'flag';
  const contamination = options.contamination ?? 0.05;
  if (!(contamination > 0 && contamination < 0.5)) {
    throw new KeelError(TransformErrors.BAD_PARAM, `contamination must be in (0, 0.5), got ${contamination}`);
  }
  let live: ((X: Matrix) => Float64Array) | null = null;
  const run = (frame: Frame): { state: ModelStepState; frame: Frame } => {
    const columns = numericColumns(frame, options.columns).map((c) => c.name);
    const X = inputMatrix(frame, columns);
    const model = options.learner.fit(X);
    live = (Z) => model.apply(Z);
    const scores = model.apply(X);
    const sorted = Float64Array.from(scores).sort();
    const threshold = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * (1 - contamination)))];
    const state: ModelStepState = {
      kind: 'model_step',
      name: options.name ?? `${model.kind}_${out}`,
      columns,
      model: { kind: model.kind, state: model.state },
      output: out,
      threshold,
    };
    if (frame.has(state.name))
      throw new KeelError(TransformErrors.BAD_PIPELINE, `column "${state.name}" already exists`);
    return {
      state,
      frame: new Frame([
        ...frame.columns,
        { name: state.name, type: 'numeric', values: stepOutput(state, scores) },
      ]),
    };
  };
  return {
    kind: 'model_step',
    fit: (frame) => run(frame).state,
    fitTransform: (frame) => run(frame),
    /** the fitted model itself, for scoring in memory */
    get liveModel() {
      return live;
    },
  } as Transformer & { liveModel: ((X: Matrix) => Float64Array) | null };
}
