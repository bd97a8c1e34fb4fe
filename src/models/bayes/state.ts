// Fitted state of the naive Bayes family.

export interface GaussianNbState {
  [key: string]: number | Float64Array;
  classes: number;
  features: number;
  /** log prior per class */
  logPrior: Float64Array;
  /** classes × features */
  mean: Float64Array;
  variance: Float64Array;
}

export interface CategoricalNbState {
  [key: string]: number | Float64Array | Int32Array;
  classes: number;
  features: number;
  logPrior: Float64Array;
  /** categories per feature (values 0..n-1) */
  categories: Int32Array;
  /** start of each feature's block in logProb: block is classes × categories[f] */
  offsets: Int32Array;
  logProb: Float64Array;
}
