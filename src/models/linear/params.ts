// Param specs of the linear family (names follow scikit-learn where the meaning is the same).

import type { ParamSpecs } from '../../estimator/index.ts';

export const logisticParamSpecs: ParamSpecs = {
  /** inverse L2 strength: objective = sum(weighted log loss) + ||w||² / (2C) */
  C: { type: 'number', default: 1, min: 0, exclusiveMin: true },
  max_iter: { type: 'number', default: 300, min: 1, integer: true },
  tol: { type: 'number', default: 1e-6, min: 0, exclusiveMin: true },
};

export const ridgeParamSpecs: ParamSpecs = {
  /** L2 strength: objective = ||y - Xw - b||² + alpha ||w||² (intercept not penalised) */
  alpha: { type: 'number', default: 1, min: 0 },
};
