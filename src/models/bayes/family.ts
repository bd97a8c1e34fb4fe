// Naive Bayes kinds, each described once: Gaussian and categorical.

import { defineFamily, type FamilyDescriptor } from '../../estimator/index.ts';
import { fitCategoricalNb, fitGaussianNb } from './fit.ts';
import { categoricalNbParamSpecs, gaussianNbParamSpecs } from './params.ts';
import { predictCategoricalNb, predictGaussianNb } from './predict.ts';

export const gaussianNbFamily = defineFamily({
  kind: 'gaussian_nb',
  aliases: ['naive_bayes'],
  summary: 'Gaussian naive Bayes',
  tasks: ['binary', 'multiclass'],
  params: gaussianNbParamSpecs,
  weights: true,
  fit: (X, y, _task, k, p, options) => fitGaussianNb(X, y, k, p, options?.sampleWeight),
  predict: predictGaussianNb,
});

export const categoricalNbFamily = defineFamily({
  kind: 'categorical_nb',
  summary: 'categorical naive Bayes over category codes (use an ordinal encoding)',
  tasks: ['binary', 'multiclass'],
  params: categoricalNbParamSpecs,
  weights: true,
  fit: (X, y, _task, k, p, options) => fitCategoricalNb(X, y, k, p, options?.sampleWeight),
  predict: predictCategoricalNb,
});

/** every kind of this folder, for the family list (models/families.ts) */
export const FAMILIES: readonly FamilyDescriptor[] = [gaussianNbFamily, categoricalNbFamily];
