// Fitted state of the dummy baseline: the prior class probabilities, or the one value a regressor answers.

export interface DummyState {
  [key: string]: string | number | Float64Array;
  task: 'binary' | 'multiclass' | 'regression';
  classes: number;
  /** classification: each class's (weighted) share, or 1/K each (uniform); regression: the mean or median */
  values: Float64Array;
}
