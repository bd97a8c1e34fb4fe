// Fitted state of the multilayer perceptron: layer sizes and one weight matrix and bias vector per layer.

export interface MlpState {
  [key: string]: string | number | Float64Array[] | Int32Array;
  task: 'binary' | 'multiclass' | 'regression';
  activation: 'relu' | 'tanh';
  /** units per layer, input first, output last */
  sizes: Int32Array;
  /** weights[l]: sizes[l] × sizes[l+1], row-major */
  weights: Float64Array[];
  biases: Float64Array[];
  epochs: number;
  bestValidationLoss: number;
  /** regression targets are trained standardised: prediction = output × yScale + yMean */
  yMean: number;
  yScale: number;
}
