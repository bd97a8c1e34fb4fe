// Fitted state of k-means: the centres.

export interface KMeansState {
  [key: string]: number | Float64Array;
  k: number;
  features: number;
  /** k × features */
  centers: Float64Array;
  inertia: number;
  iterations: number;
}
