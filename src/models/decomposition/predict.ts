// Inference of PCA: centred rows projected on the kept axes (rows × components).

import type { Matrix } from '../../estimator/index.ts';
import type { PcaState } from './state.ts';

export function transformPca(s: PcaState, X: Matrix): Float64Array {
  const d = s.features;
  const k = s.components;
  const out = new Float64Array(X.rows * k);
  for (let i = 0; i < X.rows; i++) {
    for (let c = 0; c < k; c++) {
      let v = 0;
      for (let j = 0; j < d; j++) v += (X.data[i * d + j] - s.mean[j]) * s.axes[c * d + j];
      out[i * k + c] = v;
    }
  }
  return out;
}
