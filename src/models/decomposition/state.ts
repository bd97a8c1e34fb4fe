// Fitted state of PCA.

export interface PcaState {
  [key: string]: number | Float64Array;
  components: number;
  features: number;
  mean: Float64Array;
  /** components × features, unit rows, largest variance first */
  axes: Float64Array;
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
}
