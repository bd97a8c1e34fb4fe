// Fitted state of k-nearest neighbours: the training rows themselves (the index is rebuilt on the inference side).

export interface KnnState {
  [key: string]: string | number | Float64Array;
  task: 'binary' | 'multiclass' | 'regression';
  classes: number;
  features: number;
  rows: number;
  k: number;
  weights: 'uniform' | 'distance';
  algorithm: 'auto' | 'brute' | 'kd_tree';
  leafSize: number;
  /** rows × features, row-major */
  X: Float64Array;
  y: Float64Array;
  /** sample weights: each neighbour's vote (or value) counts this much */
  w: Float64Array;
}
