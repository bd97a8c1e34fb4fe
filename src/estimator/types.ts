// The estimator contract: params are plain JSON, fitted state is JSON plus typed arrays, fit returns a new model.

export type Task = 'binary' | 'multiclass' | 'regression';

/** Feature values: float64, or float32 where the data came that way (no widened copy needed). */
export type FeatureArray = Float64Array | Float32Array;

/** Dense row-major matrix of features (NaN = missing). */
export interface Matrix {
  data: FeatureArray;
  rows: number;
  cols: number;
}

/** What a model answers: class probabilities (rows × classes, row-major) or regression values. */
export type ModelOutput =
  | { kind: 'probabilities'; classes: number; values: Float64Array }
  | { kind: 'values'; values: Float64Array };

export interface FitOptions {
  sampleWeight?: Float64Array;
  /** called now and then on long fits; `done` of `total` units of work */
  onProgress?: (done: number, total: number) => void;
  /** held-out rows for learners that stop early (boosting); y encoded like the training y */
  validation?: { X: Matrix; y: Float64Array };
  /**
   * called after each boosting round or training epoch (iteration counts from 1); a tuning objective reports from
   * here, and may throw to stop the fit (a pruned trial): the learner releases its workers and rethrows
   */
  onIteration?: (iteration: number, info: IterationInfo) => void;
}

export interface IterationInfo {
  /** the loss on the validation rows (given, or held out for early stopping); null without any */
  validationLoss: number | null;
  /** the validation rows' raw scores (margins; rows × outputs), for metrics other than the loss */
  validationScores: Float64Array | null;
}

/** Plain-data fitted state: JSON values and typed arrays only, so it can be cloned, encoded and served. */
export type State = { [key: string]: StateValue };
export type StateValue =
  | string
  | number
  | boolean
  | null
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Uint8Array
  | StateValue[]
  | { [key: string]: StateValue };

export interface FittedModel {
  /** the family, e.g. "logistic_regression"; selects the predictor at inference time */
  kind: string;
  task: Task;
  state: State;
  predict(X: Matrix): ModelOutput;
}

export interface Learner {
  kind: string;
  /** validated params, plain JSON */
  params: Record<string, unknown>;
  /** which tasks this learner can fit */
  tasks: readonly Task[];
  /**
   * Fit on X and y. For classification y holds class indices 0..nClasses-1; for regression the values.
   */
  fit(X: Matrix, y: Float64Array, task: Task, nClasses: number, options?: FitOptions): FittedModel;
}

/** A predictor: inference code for one model family, from its state alone. */
export type Predictor = (state: State, X: Matrix) => ModelOutput;

/** Unsupervised learners: fitted on features alone (clustering, decomposition, anomaly scores). */
export interface UnsupervisedModel {
  kind: string;
  state: State;
  /** per row: a cluster index, an anomaly score, or (with width > 1) the projected coordinates, row-major */
  apply(X: Matrix): Float64Array;
  /** values per row that apply returns */
  width: number;
}

export interface UnsupervisedLearner {
  kind: string;
  params: Record<string, unknown>;
  fit(X: Matrix, options?: { sampleWeight?: Float64Array; init?: Matrix }): UnsupervisedModel;
}
