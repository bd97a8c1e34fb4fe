// Fitted state of the linear family: coefficient arrays and intercepts, nothing else.

export interface LogisticState {
  [key: string]: number | Float64Array;
  /** number of classes (2 for binary, which stores one coefficient row) */
  classes: number;
  features: number;
  /** rows × features, row-major; rows = 1 for binary, else one per class */
  coef: Float64Array;
  intercept: Float64Array;
}

export interface RidgeState {
  [key: string]: number | Float64Array;
  features: number;
  coef: Float64Array;
  intercept: number;
}

export interface SvmState {
  [key: string]: number | string | Float64Array;
  classes: number;
  features: number;
  loss: string;
  /** one row per binary problem (1 for two classes, else one per class), features wide */
  coef: Float64Array;
  intercept: Float64Array;
}
