// The linear family's kinds, each described once: logistic regression, ridge, lasso, elastic net, linear SVM.

import { defineFamily, type FamilyDescriptor } from '../../estimator/index.ts';
import { fitLogistic, fitRidge } from './fit.ts';
import {
  elasticNetParamSpecs,
  lassoParamSpecs,
  logisticParamSpecs,
  ridgeParamSpecs,
  svmParamSpecs,
} from './params.ts';
import { predictLinearSvm, predictLogistic, predictRidge } from './predict.ts';
import { fitElasticNet, fitSparseLogistic } from './sparse.ts';
import { fitLinearSvm } from './svm.ts';

export const logisticRegressionFamily = defineFamily({
  kind: 'logistic_regression',
  aliases: ['logistic'],
  summary: 'logistic regression: L2 by L-BFGS, L1 or elastic net by proximal gradient',
  tasks: ['binary', 'multiclass'],
  params: logisticParamSpecs,
  weights: true,
  fit: (X, y, _task, nClasses, p, options) =>
    p.penalty === 'l2'
      ? fitLogistic(X, y, nClasses, p, options?.sampleWeight)
      : fitSparseLogistic(
          X,
          y,
          nClasses,
          { ...p, l1_ratio: p.penalty === 'l1' ? 1 : p.l1_ratio },
          options?.sampleWeight,
        ),
  predict: predictLogistic,
  searchSpace: {
    penalty: { type: 'categorical', choices: ['l2', 'l1', 'elasticnet'] },
    C: { type: 'float', low: 1e-3, high: 100, log: true },
    // a conditional param: only elastic-net has a mixing ratio
    l1_ratio: { type: 'float', low: 0.05, high: 0.95, when: { param: 'penalty', is: 'elasticnet' } },
  },
});

export const ridgeFamily = defineFamily({
  kind: 'ridge',
  summary: 'ridge regression: least squares with an L2 penalty, solved exactly',
  tasks: ['regression'],
  params: ridgeParamSpecs,
  weights: true,
  fit: (X, y, _task, _k, p, options) => fitRidge(X, y, p, options?.sampleWeight),
  predict: predictRidge,
});

export const lassoFamily = defineFamily({
  kind: 'lasso',
  summary: 'lasso: least squares with an L1 penalty, by coordinate descent',
  tasks: ['regression'],
  params: lassoParamSpecs,
  weights: true,
  fit: (X, y, _task, _k, p, options) => fitElasticNet(X, y, { ...p, l1_ratio: 1 }, options?.sampleWeight),
  predict: predictRidge,
});

export const elasticNetFamily = defineFamily({
  kind: 'elastic_net',
  summary: 'elastic net: least squares with L1 and L2 penalties, by coordinate descent',
  tasks: ['regression'],
  params: elasticNetParamSpecs,
  weights: true,
  fit: (X, y, _task, _k, p, options) => fitElasticNet(X, y, p, options?.sampleWeight),
  predict: predictRidge,
});

export const linearSvmFamily = defineFamily({
  kind: 'linear_svm',
  aliases: ['svm'],
  summary: 'linear support vector classifier (hinge or squared hinge); scores are not probabilities',
  tasks: ['binary', 'multiclass'],
  params: svmParamSpecs,
  weights: true,
  fit: (X, y, _task, nClasses, p, options) => fitLinearSvm(X, y, nClasses, p, options?.sampleWeight),
  predict: predictLinearSvm,
});

/** every kind of this folder, for the family list (models/families.ts) */
export const FAMILIES: readonly FamilyDescriptor[] = [
  logisticRegressionFamily,
  ridgeFamily,
  lassoFamily,
  elasticNetFamily,
  linearSvmFamily,
];
