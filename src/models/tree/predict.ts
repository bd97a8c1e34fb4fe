// Inference of trees and forests from state alone: walk each tree, average the leaf values.

import { type Matrix, type ModelOutput, type Predictor, predictorOf } from '../../estimator/index.ts';
import type { TreesState } from './state.ts';

export function predictTrees(s: TreesState, X: Matrix): ModelOutput {
  const W = s.width;
  const out = new Float64Array(X.rows * W);
  const p = s.features;
  for (let t = 0; t < s.nTrees; t++) {
    const off = s.treeOffsets[t];
    for (let i = 0; i < X.rows; i++) {
      let node = off;
      let f = s.feature[node];
      while (f >= 0) {
        node = off + (X.data[i * p + f] <= s.threshold[node] ? s.left[node] : s.right[node]);
        f = s.feature[node];
      }
      for (let c = 0; c < W; c++) out[i * W + c] += s.value[node * W + c];
    }
  }
  for (let q = 0; q < out.length; q++) out[q] /= s.nTrees;
  return s.task === 'regression'
    ? { kind: 'values', values: out }
    : { kind: 'probabilities', classes: W, values: out };
}

/** The kinds this folder scores, for the predictor table (models/inference.ts); family.ts describes each kind. */
export const PREDICTORS: Readonly<Record<string, Predictor>> = {
  decision_tree: predictorOf(predictTrees),
  random_forest: predictorOf(predictTrees),
  extra_trees: predictorOf(predictTrees),
};
