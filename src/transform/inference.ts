// Inference side of the transform room: replay fitted transformer state, turn a frame into the model's matrix,
// and score a whole fitted pipeline with a predictor handed in by the caller. No fitting code here.

import { KeelError } from '../core/index.ts';
import type { CategoricalColumn, Column, Frame, Schema } from '../data/index.ts';
import {
  type DecisionState,
  decide,
  type Matrix,
  type Predictor,
  type State,
  type Task,
} from '../estimator/index.ts';
import { replaceColumns } from './columns.ts';
import { applyDerive, DERIVE_KINDS } from './derive-apply.ts';
import { applyEncoding, ENCODING_KINDS } from './encode-apply.ts';
import { TransformErrors } from './errors.ts';
import { applyExpressions, EXPRESSION_KINDS } from './expression.ts';
import { applyModelStep, MODEL_STEP_KINDS, type ModelStepResolver } from './model-step-apply.ts';
import { applyNumeric, NUMERIC_KINDS } from './numeric-apply.ts';
import { applyText, TEXT_KINDS } from './text-apply.ts';
import type { TransformState } from './types.ts';

export { TRANSFORM_CATALOG, TransformErrors } from './errors.ts';

export interface ImputeState extends TransformState {
  kind: 'impute';
  numeric: string[];
  numericFill: Float64Array;
  categorical: string[];
  categoricalFill: string[];
}

export interface StandardScaleState extends TransformState {
  kind: 'standard_scale';
  columns: string[];
  mean: Float64Array;
  scale: Float64Array;
}

export interface OneHotState extends TransformState {
  kind: 'one_hot';
  columns: string[];
  categories: string[][];
  /**
   * per column: whether infrequent (and unseen) categories share a `<column>=(other)` output (artifacts from before
   * pooling existed lack it: read it as all false)
   */
  other: boolean[];
}

export function applyTransform(state: TransformState, frame: Frame, resolve?: ModelStepResolver): Frame {
  switch (state.kind) {
    case 'impute':
      return applyImpute(state as ImputeState, frame);
    case 'standard_scale':
      return applyStandardScale(state as StandardScaleState, frame);
    case 'one_hot':
      return applyOneHot(state as OneHotState, frame);
    default:
      if (NUMERIC_KINDS.has(state.kind)) return applyNumeric(state, frame);
      if (ENCODING_KINDS.has(state.kind)) return applyEncoding(state, frame);
      if (DERIVE_KINDS.has(state.kind)) return applyDerive(state, frame);
      if (TEXT_KINDS.has(state.kind)) return applyText(state, frame);
      if (EXPRESSION_KINDS.has(state.kind)) return applyExpressions(state, frame);
      if (MODEL_STEP_KINDS.has(state.kind)) return applyModelStep(state, frame, resolve);
      throw new KeelError(TransformErrors.UNKNOWN_KIND, `no inference for transform "${state.kind}"`);
  }
}

export function applyTransforms(
  states: readonly TransformState[],
  frame: Frame,
  resolve?: ModelStepResolver,
): Frame {
  let out = frame;
  for (const s of states) out = applyTransform(s, out, resolve);
  return out;
}

function replace(frame: Frame, replaced: Map<string, Column[]>): Frame {
  return replaceColumns(frame, [...replaced.keys()], (c) => replaced.get(c.name) as Column[]);
}

function applyImpute(s: ImputeState, frame: Frame): Frame {
  const replaced = new Map<string, Column[]>();
  s.numeric.forEach((name, j) => {
    const c = frame.column(name);
    if (c.type === 'categorical') throw notNumeric(name);
    const fill = s.numericFill[j];
    const values = Float64Array.from(c.values, (v) => (Number.isNaN(v) ? fill : v));
    replaced.set(name, [{ name, type: c.type, values }]);
  });
  s.categorical.forEach((name, j) => {
    const c = frame.column(name);
    if (c.type !== 'categorical')
      throw new KeelError(TransformErrors.BAD_PIPELINE, `column "${name}" is not categorical`);
    const fill = s.categoricalFill[j];
    let code = c.levels.indexOf(fill);
    const levels = code < 0 ? [...c.levels, fill] : c.levels;
    if (code < 0) code = levels.length - 1;
    const codes = Int32Array.from(c.codes, (k) => (k < 0 ? code : k));
    replaced.set(name, [{ name, type: 'categorical', codes, levels }]);
  });
  return replace(frame, replaced);
}

function applyStandardScale(s: StandardScaleState, frame: Frame): Frame {
  const replaced = new Map<string, Column[]>();
  s.columns.forEach((name, j) => {
    const c = frame.column(name);
    if (c.type === 'categorical') throw notNumeric(name);
    const m = s.mean[j];
    const sc = s.scale[j];
    replaced.set(name, [{ name, type: 'numeric', values: Float64Array.from(c.values, (v) => (v - m) / sc) }]);
  });
  return replace(frame, replaced);
}

function applyOneHot(s: OneHotState, frame: Frame): Frame {
  const replaced = new Map<string, Column[]>();
  s.columns.forEach((name, j) => {
    const c = frame.column(name);
    if (c.type !== 'categorical')
      throw new KeelError(TransformErrors.BAD_PIPELINE, `column "${name}" is not categorical`);
    const cats = s.categories[j];
    const slot = new Map(cats.map((v, k) => [v, k]));
    // map this frame's level codes to the fitted categories; unseen levels and missing values get no slot (all zeros)
    const levelSlot = Int32Array.from((c as CategoricalColumn).levels, (lv) => slot.get(lv) ?? -1);
    const n = c.codes.length;
    const pooled = s.other?.[j] ?? false;
    const blocks = [...cats, ...(pooled ? ['(other)'] : [])].map(() => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const code = c.codes[i];
      if (code < 0) continue;
      const k = levelSlot[code];
      if (k >= 0) blocks[k][i] = 1;
      else if (pooled) blocks[cats.length][i] = 1;
    }
    const names = [...cats.map((cat) => `${name}=${cat}`), ...(pooled ? [`${name}=(other)`] : [])];
    replaced.set(
      name,
      names.map((nm, k) => ({ name: nm, type: 'numeric' as const, values: blocks[k] })),
    );
  });
  return replace(frame, replaced);
}

function notNumeric(name: string): KeelError {
  return new KeelError(TransformErrors.NOT_NUMERIC, `column "${name}" must be numeric here`);
}

/** The model's input matrix: the named columns, in order, all numeric by now. */
export function frameToMatrix(frame: Frame, featureNames: readonly string[]): Matrix {
  const p = featureNames.length;
  const n = frame.nRows;
  const data = new Float64Array(n * p);
  featureNames.forEach((name, j) => {
    if (!frame.has(name)) {
      throw new KeelError(
        TransformErrors.MISSING_COLUMN,
        `feature "${name}" is missing after the transforms`,
      );
    }
    const c = frame.column(name);
    if (c.type === 'categorical') {
      throw new KeelError(
        TransformErrors.NOT_NUMERIC,
        `categorical column "${name}" reached the model: add a one-hot step to the pipeline`,
      );
    }
    for (let i = 0; i < n; i++) data[i * p + j] = c.values[i];
  });
  return { data, rows: n, cols: p };
}

/** Everything needed to score: the pipeline's fitted state, as stored in an artifact. */
export interface PipelineState {
  [key: string]: unknown;
  format: 'keel.pipeline/1';
  task: Task;
  target: string;
  /** class labels in index order (classification), null for regression */
  classes: (string | number | boolean)[] | null;
  inputSchema: Schema;
  steps: TransformState[];
  model: { kind: string; params: Record<string, unknown>; state: State };
  featureNames: string[];
  /** binary classification: a calibrator and a decision threshold chosen on held-out rows */
  decision?: DecisionState;
}

export interface PipelineOutput {
  task: Task;
  /** classification: rows × classes, row-major */
  probabilities?: Float64Array;
  /** classification: the most probable class label per row */
  labels?: (string | number | boolean)[];
  /** regression: predicted values */
  values?: Float64Array;
}

/** Scores rows through a fitted pipeline; `resolve` is needed only when a step holds a model (an outlier flag). */
export function scorePipeline(
  state: PipelineState,
  frame: Frame,
  predictor: Predictor,
  resolve?: ModelStepResolver,
): PipelineOutput {
  const X = frameToMatrix(applyTransforms(state.steps, frame, resolve), state.featureNames);
  const out = predictor(state.model.state, X);
  if (out.kind === 'values') return { task: state.task, values: out.values };
  const classes = state.classes ?? [];
  const K = out.classes;
  const labels: (string | number | boolean)[] = [];
  if (state.decision && K === 2) {
    const chosen = decide(state.decision, out.values, X.rows);
    for (let i = 0; i < X.rows; i++) labels.push(classes[chosen[i]]);
    return { task: state.task, probabilities: out.values, labels };
  }
  for (let i = 0; i < X.rows; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (out.values[i * K + k] > out.values[i * K + best]) best = k;
    labels.push(classes[best]);
  }
  return { task: state.task, probabilities: out.values, labels };
}

/**
 * The input schema a fitted pipeline can take: its training schema, with every column its leading imputer fills
 * marked nullable (and `imputed`, where training saw no missing value in it) — a request may leave such a value
 * missing and the pipeline fills it, as it would a missing value seen in training.
 */
export function requestSchema(state: PipelineState): Schema {
  const first = state.steps[0] as ImputeState | undefined;
  if (first?.kind !== 'impute') return state.inputSchema;
  const filled = new Set([...first.numeric, ...first.categorical]);
  return {
    columns: state.inputSchema.columns.map((c) =>
      filled.has(c.name) && !c.nullable ? { ...c, nullable: true, imputed: true } : c,
    ),
  };
}

export { type CompiledScorer, compileScorer, frameRecords, type RecordValue } from './compiled.ts';
export type { ModelStepResolver, ModelStepState } from './model-step-apply.ts';
