// Param specs of the multilayer perceptron.

import type { ParamSpecs, ParamsOf } from '../../estimator/index.ts';

export const mlpParamSpecs = {
  /** sizes of the hidden layers, e.g. "64,32" */
  hidden_layers: { type: 'intList', default: '64', min: 1, maxLength: 8 },
  activation: { type: 'enum', default: 'relu', values: ['relu', 'tanh'] },
  /** share of hidden units dropped at each training step */
  dropout: { type: 'number', default: 0, min: 0, max: 0.9 },
  /** Adam step size */
  learning_rate: { type: 'number', default: 1e-3, min: 0, exclusiveMin: true },
  batch_size: { type: 'number', default: 64, min: 1, integer: true },
  max_epochs: { type: 'number', default: 200, min: 1, integer: true },
  /** L2 penalty on the weights */
  alpha: { type: 'number', default: 1e-4, min: 0 },
  /** hold out validation_fraction of the rows and stop when their loss has not improved for `patience` epochs */
  early_stopping: { type: 'boolean', default: true },
  validation_fraction: { type: 'number', default: 0.1, min: 0.01, max: 0.5 },
  patience: { type: 'number', default: 10, min: 1, integer: true },
  seed: { type: 'number', default: 0, integer: true },
} as const satisfies ParamSpecs;

/** the params as the spec declares them */
export type MlpParams = ParamsOf<typeof mlpParamSpecs>;
