// Fitted state of gradient-boosted trees: all trees in flat typed arrays, one node table.

export interface BoostingState {
  [key: string]: string | number | Float64Array | Int32Array | Uint8Array;
  task: 'binary' | 'multiclass' | 'regression';
  /** logistic, softmax, squared, absolute, huber, quantile or poisson (predictions are exp(raw) for poisson) */
  objective: string;
  /** boosting rounds kept (the best round when early stopping) */
  bestIteration: number;
  classes: number;
  features: number;
  /** trees per boosting round: classes for multiclass, else 1 */
  treesPerRound: number;
  nTrees: number;
  /** initial raw score per output */
  baseScore: Float64Array;
  /** node range of tree t: treeOffsets[t] .. treeOffsets[t + 1] */
  treeOffsets: Int32Array;
  /** split feature, or -1 for a leaf */
  feature: Int32Array;
  /** go left when value <= threshold */
  threshold: Float64Array;
  /** child indices, local to the tree */
  left: Int32Array;
  right: Int32Array;
  /** where a missing value goes: 1 = left */
  missingLeft: Uint8Array;
  /** leaf value (learning rate applied) */
  value: Float64Array;
  /** total gain of the splits on each feature */
  gainImportance: Float64Array;
  /** number of splits on each feature */
  splitImportance: Float64Array;
}
