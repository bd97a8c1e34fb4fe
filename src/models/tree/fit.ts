import { type Matrix, requireFinite, type Task } from '../../estimator/index.ts';
import { binMatrix } from '../engine/binning.ts';
import { resolveThreads } from '../engine/threads.ts';
import type { Tree } from './grow.ts';
import type { TreeParams } from './params.ts';
import type { TreesState } from './state.ts';
import { type ForestJob, ForestPool, featureMajor, growOne } from './threads.ts';

export function fitTrees(
  X: Matrix,
  y: Float64Array,
  task: Task,
  K: number,
  p: TreeParams,
  forest: { randomThresholds: boolean } | null,
  weight?: Float64Array,
): TreesState {
  requireFinite(X.data, X.cols, 'trees and forests');
  const n = X.rows;
  const d = X.cols;
  const classification = task !== 'regression';
  const nTrees = forest ? (p.n_estimators ?? 100) : 1;
  const helpers = forest ? Math.min(resolveThreads(p.n_threads ?? 0), nTrees) - 1 : 0;
  // helper threads boot while this thread bins the data
  const pool = helpers > 0 ? new ForestPool(helpers) : null;
  let binned: ReturnType<typeof binMatrix>;
  try {
    binned = binMatrix(X, p.max_bins);
  } catch (err) {
    pool?.close();
    throw err;
  }
  const mf = p.max_features ?? 'all';
  const maxFeatures =
    !forest || mf === 'all' || (mf === 'auto' && !classification)
      ? d
      : mf === 'log2'
        ? Math.max(1, Math.floor(Math.log2(d)))
        : Math.max(1, Math.floor(Math.sqrt(d)));
  const base = weight ?? new Float64Array(n).fill(1);
  const job: ForestJob = {
    binned,
    cols: featureMajor(binned.bins, n, d),
    data: X.data,
    d,
    y,
    base,
    bootstrap: Boolean(forest && p.bootstrap),
    keepBags: Boolean(forest && p.bootstrap && p.oob_score),
    seed: p.seed,
    perTreeSeeds: forest !== null,
    options: {
      classification,
      K,
      maxDepth: p.max_depth,
      minSamplesSplit: p.min_samples_split,
      minSamplesLeaf: p.min_samples_leaf,
      maxFeatures,
      randomThresholds: forest?.randomThresholds ?? false,
      ccpAlpha: p.ccp_alpha,
    },
  };
  const grown = pool ? pool.grow(job, nTrees) : Array.from({ length: nTrees }, (_, t) => growOne(job, t));
  const trees: Tree[] = grown.map((g) => g.tree);
  const inBag = grown.map((g) => g.bag as Uint8Array);
  const width = classification ? K : 1;
  const treeOffsets = new Int32Array(nTrees + 1);
  trees.forEach((tr, t) => {
    treeOffsets[t + 1] = treeOffsets[t] + tr.feature.length;
  });
  const total = treeOffsets[nTrees];
  const state: TreesState = {
    task: task as TreesState['task'],
    classes: classification ? K : 0,
    features: d,
    width,
    nTrees,
    treeOffsets,
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    value: new Float64Array(total * width),
    oobScore: Number.NaN,
  };
  trees.forEach((tr, t) => {
    const off = treeOffsets[t];
    state.feature.set(tr.feature, off);
    state.threshold.set(tr.threshold, off);
    state.left.set(tr.left, off);
    state.right.set(tr.right, off);
    state.value.set(tr.value, off * width);
  });
  if (forest && p.bootstrap && p.oob_score) state.oobScore = oobScore(state, X, y, inBag, classification);
  return state;
}

/** Accuracy (classification) or R² (regression) of each row predicted by the trees that did not see it. */
function oobScore(
  s: TreesState,
  X: Matrix,
  y: Float64Array,
  inBag: Uint8Array[],
  classification: boolean,
): number {
  const W = s.width;
  const n = X.rows;
  const acc = new Float64Array(n * W);
  const votes = new Int32Array(n);
  for (let t = 0; t < s.nTrees; t++) {
    const off = s.treeOffsets[t];
    for (let i = 0; i < n; i++) {
      if (inBag[t][i]) continue;
      let node = off;
      while (s.feature[node] >= 0)
        node =
          off +
          (X.data[i * s.features + s.feature[node]] <= s.threshold[node] ? s.left[node] : s.right[node]);
      for (let c = 0; c < W; c++) acc[i * W + c] += s.value[node * W + c];
      votes[i]++;
    }
  }
  let hits = 0;
  let m = 0;
  let ssRes = 0;
  let mean = 0;
  const used: number[] = [];
  for (let i = 0; i < n; i++) if (votes[i] > 0) used.push(i);
  if (used.length === 0) return Number.NaN;
  for (const i of used) mean += y[i];
  mean /= used.length;
  let ssTot = 0;
  for (const i of used) {
    if (classification) {
      let best = 0;
      for (let c = 1; c < W; c++) if (acc[i * W + c] > acc[i * W + best]) best = c;
      if (best === y[i]) hits++;
    } else {
      const pred = acc[i] / votes[i];
      ssRes += (y[i] - pred) ** 2;
      ssTot += (y[i] - mean) ** 2;
    }
    m++;
  }
  return classification ? hits / m : 1 - ssRes / ssTot;
}
