// A fitted unsupervised model as a pipeline step: an anomaly score or an "is outlier" flag from an isolation forest,
// or a cluster index, added as one column. The step's state holds the model's plain-data state; scoring it needs the
// model's inference code, which this room may not import, so whoever scores a pipeline hands in a resolver (the
// server and the scorers pass one built from models/inference; a fitted pipeline in memory uses its live model).

import { KeelError } from '../core/index.ts';
import { Frame } from '../data/index.ts';
import type { Matrix, State } from '../estimator/index.ts';
import { TransformErrors } from './errors.ts';
import type { TransformState } from './types.ts';

export interface ModelStepState extends TransformState {
  kind: 'model_step';
  name: string;
  columns: string[];
  model: { kind: string; state: State };
  /** score: the model's value as it is; flag: 1 where the score is above the threshold */
  output: 'score' | 'flag';
  threshold: number;
}

/** Turns a model step's state into the function that scores rows of its input columns. */
export type ModelStepResolver = (step: ModelStepState) => (X: Matrix) => Float64Array;

export const MODEL_STEP_KINDS = new Set(['model_step']);

/** The step's input columns as a complete row-major matrix (a coded error names a column with missing values). */
export function inputMatrix(frame: Frame, columns: string[]): Matrix {
  const cols = columns.map((name) => {
    const c = frame.column(name);
    if (c.type === 'categorical')
      throw new KeelError(TransformErrors.NOT_NUMERIC, `column "${name}" is categorical`);
    return { name, values: c.values };
  });
  const n = frame.nRows;
  const p = cols.length;
  const data = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const v = cols[j].values;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(v[i])) {
        throw new KeelError(
          TransformErrors.BAD_PIPELINE,
          `a model step needs complete values; impute "${cols[j].name}" first`,
        );
      }
      data[i * p + j] = v[i];
    }
  }
  return { data, rows: n, cols: p };
}

export function stepOutput(s: ModelStepState, scores: Float64Array): Float64Array {
  return s.output === 'flag' ? Float64Array.from(scores, (v) => (v > s.threshold ? 1 : 0)) : scores;
}

export function applyModelStep(state: TransformState, frame: Frame, resolve?: ModelStepResolver): Frame {
  const s = state as ModelStepState;
  if (!resolve) {
    throw new KeelError(
      TransformErrors.NEEDS_MODEL,
      `step "${s.name}" holds a ${s.model.kind} model: score this pipeline with a resolver (models/inference appliers)`,
    );
  }
  const scores = resolve(s)(inputMatrix(frame, s.columns));
  return new Frame([...frame.columns, { name: s.name, type: 'numeric', values: stepOutput(s, scores) }]);
}
