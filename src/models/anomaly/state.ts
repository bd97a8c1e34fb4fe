// Fitted state of the isolation forest: all trees in flat arrays.

export interface IsolationForestState {
  [key: string]: number | Float64Array | Int32Array;
  features: number;
  nTrees: number;
  /** rows each tree was grown on (ψ) */
  sampleSize: number;
  treeOffsets: Int32Array;
  /** split feature, -1 for a leaf */
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** rows that reached each leaf (for the path-length correction) */
  size: Int32Array;
}
