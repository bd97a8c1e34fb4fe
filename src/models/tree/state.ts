// Fitted state of decision trees (one tree, or a forest's trees concatenated): flat node arrays.

export interface TreesState {
  [key: string]: string | number | Float64Array | Int32Array;
  task: 'binary' | 'multiclass' | 'regression';
  classes: number;
  features: number;
  /** values per node: classes (probabilities) or 1 (the mean) */
  width: number;
  nTrees: number;
  /** node range of tree t: treeOffsets[t] .. treeOffsets[t + 1] */
  treeOffsets: Int32Array;
  /** split feature, -1 for a leaf */
  feature: Int32Array;
  /** go left when value <= threshold */
  threshold: Float64Array;
  /** children, local to the tree */
  left: Int32Array;
  right: Int32Array;
  /** nodes × width */
  value: Float64Array;
  /** out-of-bag score of a forest (accuracy or R²), NaN when not computed */
  oobScore: number;
}
