// The multilayer perceptron, described once.

import { defineFamily, type FamilyDescriptor } from '../../estimator/index.ts';
import { fitMlp } from './fit.ts';
import { mlpParamSpecs } from './params.ts';
import { predictMlp } from './predict.ts';

export const mlpFamily = defineFamily({
  kind: 'mlp',
  aliases: ['neural_net'],
  summary: 'multilayer perceptron (Adam, ReLU or tanh, dropout, early stopping)',
  tasks: ['binary', 'multiclass', 'regression'],
  params: mlpParamSpecs,
  weights: true,
  fit: (X, y, task, k, p, options) =>
    fitMlp(X, y, task, k, p, options?.sampleWeight, options?.onProgress, options?.onIteration),
  predict: predictMlp,
  searchSpace: {
    hidden_layers: { type: 'categorical', choices: ['32', '64', '128', '64,32', '128,64'] },
    activation: { type: 'categorical', choices: ['relu', 'tanh'] },
    learning_rate: { type: 'float', low: 1e-4, high: 1e-2, log: true },
    alpha: { type: 'float', low: 1e-6, high: 1e-2, log: true },
    dropout: { type: 'float', low: 0, high: 0.5 },
  },
});

/** every kind of this folder, for the family list (models/families.ts) */
export const FAMILIES: readonly FamilyDescriptor[] = [mlpFamily];
