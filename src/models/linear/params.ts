// Param specs of the linear family (names follow scikit-learn where the meaning is the same).

import type { ParamSpecs } from '../../estimator/index.ts';

export const logisticParamSpecs = {
  /** inverse penalty strength: objective = sum(weighted log loss) + penalty(w) / C */
  C: { type: 'number', default: 1, min: 0, exclusiveMin: true },
  /** l2: ||w||² / 2 (L-BFGS); l1: ||w||₁; elasticnet: l1_ratio ||w||₁ + (1 − l1_ratio) ||w||² / 2 (proximal gradient) */
  penalty: { type: 'enum', default: 'l2', values: ['l2', 'l1', 'elasticnet'] },
  l1_ratio: { type: 'number', default: 0.5, min: 0, max: 1 },
  max_iter: { type: 'number', default: 300, min: 1, integer: true },
  tol: { type: 'number', default: 1e-6, min: 0, exclusiveMin: true },
} as const satisfies ParamSpecs;

export const ridgeParamSpecs = {
  /** L2 strength: objective = ||y - Xw - b||² + alpha ||w||² (intercept not penalised) */
  alpha: { type: 'number', default: 1, min: 0 },
} as const satisfies ParamSpecs;

export const elasticNetParamSpecs = {
  /** objective = ||y − Xw − b||² / (2n) + alpha l1_ratio ||w||₁ + alpha (1 − l1_ratio) ||w||² / 2 */
  alpha: { type: 'number', default: 1, min: 0 },
  l1_ratio: { type: 'number', default: 0.5, min: 0, max: 1 },
  max_iter: { type: 'number', default: 1000, min: 1, integer: true },
  /** stop when no coefficient moves by more than tol × the largest coefficient in a sweep */
  tol: { type: 'number', default: 1e-6, min: 0, exclusiveMin: true },
} as const satisfies ParamSpecs;

export const lassoParamSpecs = {
  alpha: { type: 'number', default: 1, min: 0 },
  max_iter: { type: 'number', default: 1000, min: 1, integer: true },
  tol: { type: 'number', default: 1e-6, min: 0, exclusiveMin: true },
} as const satisfies ParamSpecs;

export const svmParamSpecs = {
  /** inverse L2 strength: objective = ||w||² / 2 + C Σ loss */
  C: { type: 'number', default: 1, min: 0, exclusiveMin: true },
  loss: { type: 'enum', default: 'squared_hinge', values: ['hinge', 'squared_hinge'] },
  max_iter: { type: 'number', default: 1000, min: 1, integer: true },
  /** stop when the largest projected gradient falls below tol */
  tol: { type: 'number', default: 1e-4, min: 0, exclusiveMin: true },
  seed: { type: 'number', default: 0, integer: true },
} as const satisfies ParamSpecs;
