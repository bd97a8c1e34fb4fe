// Training of gradient-boosted trees: histogram split finding, leaf-wise growth, learned missing direction,
// histogram subtraction for the larger child, histograms summed on worker threads; all the losses of losses.ts.

import { createRng, KeelError, shuffleInPlace } from '../../core/index.ts';
import {
  EstimatorErrors,
  type FeatureArray,
  type FitOptions,
  type Matrix,
  type Task,
} from '../../estimator/index.ts';
import { type Binned, binEdges, binLayout } from '../engine/binning.ts';
import { resolveThreads } from '../engine/threads.ts';
import {
  gradients,
  initialScores,
  lossValue,
  type Objective,
  objectiveOf,
  weightedQuantile,
} from './losses.ts';
import type { BoostingParams } from './params.ts';
import { createRowStore, LANES, type RowStore } from './rows.ts';
import { bestSplit, histTotals, l1, leftTotals, type Split } from './split.ts';
import type { BoostingState } from './state.ts';
import { FUSED_MIN_ROWS, HistogramBuilder, type ScoreUpdate } from './threads.ts';

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  G: number;
  H: number;
  hist: Float64Array;
  split: Split | null;
}

class TreeBuilder {
  feature: number[] = [];
  threshold: number[] = [];
  left: number[] = [];
  right: number[] = [];
  missingLeft: number[] = [];
  value: number[] = [];

  add(): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.missingLeft.push(0);
    this.value.push(0);
    return this.feature.length - 1;
  }
}

/**
 * Readying the model's large-batch scoring while it trains: helper threads started during the last round, the
 * scorer built as the model is packed. Inference code (predict-threads.ts); training only calls it.
 */
export interface LargeBatchHooks {
  /** batches this large are scored on several threads */
  minRows: number;
  warm(): void;
  prepare(state: BoostingState): void;
}

export function fitBoosting(
  Xall: Matrix,
  yAll: Float64Array,
  task: Task,
  nClasses: number,
  params: BoostingParams,
  weight?: Float64Array,
  onProgress?: (done: number, total: number) => void,
  validation?: { X: Matrix; y: Float64Array },
  onIteration?: FitOptions['onIteration'],
  /** the inference side's preparation for large batches, which the learner (family.ts) passes in */
  large?: LargeBatchHooks,
): BoostingState {
  if (Xall.rows === 0) throw new KeelError(EstimatorErrors.BAD_INPUT, 'boosting needs at least one row');
  const objective = objectiveOf(task, params.loss);
  if (objective === 'poisson' && yAll.some((v) => v < 0)) {
    throw new KeelError(EstimatorErrors.BAD_INPUT, 'the poisson loss needs non-negative targets');
  }
  const lp = { huber_delta: params.huber_delta, quantile_alpha: params.quantile_alpha };
  const rng = createRng(params.seed);
  // null: every row weighs 1 (no array of ones beside the data)
  let wAll: Float64Array | null = weight ? Float64Array.from(weight) : null;
  if (params.class_weight === 'balanced' && task !== 'regression') {
    const counts = new Float64Array(nClasses);
    for (let i = 0; i < yAll.length; i++) counts[yAll[i]]++;
    const given = wAll;
    wAll = Float64Array.from(yAll, (c, i) => ((given ? given[i] : 1) * yAll.length) / (nClasses * counts[c]));
  }
  // early stopping watches a validation set: the one given, or a seeded share held out from the rows
  let X = Xall;
  let y = yAll;
  let w = wAll;
  let val = validation
    ? { X: validation.X, y: validation.y, w: new Float64Array(validation.X.rows).fill(1) }
    : null;
  if (params.early_stopping_rounds > 0 && !val) {
    const order = Array.from({ length: Xall.rows }, (_, i) => i);
    shuffleInPlace(order, rng);
    const nVal = Math.max(1, Math.floor(Xall.rows * params.validation_fraction));
    const pick = (rows: number[]) => ({
      X: {
        data: Float64Array.from(
          rows.flatMap((r) => Array.from(Xall.data.subarray(r * Xall.cols, (r + 1) * Xall.cols))),
        ),
        rows: rows.length,
        cols: Xall.cols,
      },
      y: Float64Array.from(rows, (r) => yAll[r]),
      w: wAll ? Float64Array.from(rows, (r) => (wAll as Float64Array)[r]) : null,
    });
    const v = pick(order.slice(0, nVal).sort((a, b) => a - b));
    const t = pick(order.slice(nVal).sort((a, b) => a - b));
    val = { ...v, w: v.w ?? new Float64Array(v.y.length).fill(1) };
    X = t.X;
    y = t.y;
    w = t.w;
  }
  const n = X.rows;
  const p = X.cols;
  const binned = binLayout(binEdges(X, params.max_bins));
  const T = task === 'multiclass' ? nClasses : 1;
  const baseScore = initialScores(objective, y, w, nClasses, lp);
  const threads = resolveThreads(params.n_threads);
  // an unweighted logistic fit of whole trees updates its scores and next gradients on every thread at once
  // (threads.ts's ScoreUpdate): the scores and labels then live in shared memory (leafOf's 16 bits hold any leaf
  // index max_leaves's range allows)
  const fused =
    objective === 'logistic' && T === 1 && !w && params.subsample >= 1 && threads > 1 && n >= FUSED_MIN_ROWS;
  const F = fused ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n * T);
  const update: ScoreUpdate | null = fused
    ? {
        F,
        y: new Uint8Array(new SharedArrayBuffer(n)),
        leafOf: new Uint16Array(new SharedArrayBuffer(2 * n)),
        leaves: new Float64Array(new SharedArrayBuffer(8 * (1 + 2 * Math.min(params.max_leaves, n)))),
      }
    : null;
  if (update) update.y.set(y);
  for (let i = 0; i < n; i++) for (let k = 0; k < T; k++) F[i * T + k] = baseScore[k];
  const valRaw = val ? new Float64Array(val.X.rows * T) : null;
  if (val && valRaw)
    for (let i = 0; i < val.X.rows; i++) for (let k = 0; k < T; k++) valRaw[i * T + k] = baseScore[k];

  // with several scores per row, every class's gradients are computed at once and copied in class by class
  const ghAll = T > 1 ? new Float64Array(2 * n * T) : null;
  // the rows' bins are assigned straight into the store's shared memory, on every thread
  const rows = createRowStore(binned, n, p, 'wasm', threads);
  const hists = new HistogramBuilder(rows, threads, update);
  // the gradients of the next round were computed with this round's score update
  let gradientsReady = false;
  const pool: Float64Array[] = [];
  const gainImportance = new Float64Array(p);
  const splitImportance = new Float64Array(p);
  const trees: TreeBuilder[] = [];
  const allowed = new Uint8Array(p).fill(1);
  const featureOrder = Array.from({ length: p }, (_, j) => j);
  // a model trained on many rows with threads likely scores large batches: its prediction helpers start during the
  // last round and its scorer is readied as it is packed (predict-threads.ts), so its first batch waits for neither
  const largeScorer = large !== undefined && threads > 1 && n >= large.minRows;
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestRound = -1;

  try {
    hists.assignBins(X, binned.edges);
    for (let round = 0; round < params.n_estimators; round++) {
      if (round === params.n_estimators - 1 && largeScorer) large?.warm();
      if (!gradientsReady) gradients(objective, F, y, w, T, ghAll ?? rows.gh, lp);
      gradientsReady = false;
      for (let k = 0; k < T; k++) {
        const { idx, gh } = rows;
        if (ghAll)
          for (let i = 0; i < n; i++) {
            gh[2 * i] = ghAll[2 * (i * T + k)];
            gh[2 * i + 1] = ghAll[2 * (i * T + k) + 1];
          }
        let m = 0;
        const subsample = params.subsample;
        if (subsample >= 1) for (; m < n; m++) idx[m] = m;
        else for (let i = 0; i < n; i++) if (rng.next() < subsample) idx[m++] = i;
        if (params.colsample_bytree < 1) {
          shuffleInPlace(featureOrder, rng);
          allowed.fill(0);
          const keep = Math.max(1, Math.round(p * params.colsample_bytree));
          for (let j = 0; j < keep; j++) allowed[featureOrder[j]] = 1;
        }
        const tree = growTree(binned, rows, hists, pool, params, gainImportance, splitImportance, m, allowed);
        if (objective === 'absolute' || objective === 'quantile') {
          // gradient steps only steer these losses: each leaf's value is re-fitted to the quantile of its residuals
          const q = objective === 'absolute' ? 0.5 : params.quantile_alpha;
          for (const leaf of tree.leaves) {
            const at = Array.from(idx.subarray(leaf.start, leaf.end));
            const res = Float64Array.from(at, (i) => y[i] - F[i]);
            const rw = Float64Array.from(at, (i) => (w ? w[i] : 1));
            tree.builder.value[leaf.node] = params.learning_rate * weightedQuantile(res, rw, q);
          }
        }
        if (update && m === n) {
          const table = update.leaves;
          table[0] = tree.leaves.length;
          tree.leaves.forEach((leaf, j) => {
            table[1 + 2 * j] = leaf.start;
            table[2 + 2 * j] = tree.builder.value[leaf.node];
          });
          hists.updateScores(n);
          gradientsReady = true;
        } else if (m === n) {
          // each leaf's rows are a contiguous range of positions: add the leaf value to their scores
          for (const leaf of tree.leaves) {
            const v = tree.builder.value[leaf.node];
            for (let r = leaf.start; r < leaf.end; r++) F[idx[r] * T + k] += v;
          }
        } else {
          // rows outside the sample still move: walk the new tree for every row
          for (let i = 0; i < n; i++) F[i * T + k] += walk(tree.builder, X.data, i * p);
        }
        if (val && valRaw)
          for (let i = 0; i < val.X.rows; i++) valRaw[i * T + k] += walk(tree.builder, val.X.data, i * p);
        trees.push(tree.builder);
      }
      onProgress?.(round + 1, params.n_estimators);
      const loss = val && valRaw ? lossValue(objective, valRaw, val.y, val.w, T, lp) : null;
      onIteration?.(round + 1, { validationLoss: loss, validationScores: valRaw });
      if (loss !== null) {
        if (loss < bestLoss - 1e-12) {
          bestLoss = loss;
          bestRound = round;
        } else if (params.early_stopping_rounds > 0 && round - bestRound >= params.early_stopping_rounds)
          break;
      }
    }
  } finally {
    hists.close();
  }
  const rounds = val && params.early_stopping_rounds > 0 ? bestRound + 1 : trees.length / T;
  const state = packState(
    trees.slice(0, rounds * T),
    task,
    objective,
    rounds,
    nClasses,
    p,
    T,
    baseScore,
    gainImportance,
    splitImportance,
  );
  if (largeScorer) large?.prepare(state);
  return state;
}

/** The leaf value a row reaches in a tree under construction (raw values; NaN takes the learned direction). */
function walk(t: TreeBuilder, data: FeatureArray, base: number): number {
  let node = 0;
  for (;;) {
    const f = t.feature[node];
    if (f < 0) return t.value[node];
    const v = data[base + f];
    node = Number.isNaN(v)
      ? t.missingLeft[node]
        ? t.left[node]
        : t.right[node]
      : v <= t.threshold[node]
        ? t.left[node]
        : t.right[node];
  }
}

function growTree(
  b: Omit<Binned, 'bins'>,
  rows: RowStore,
  hists: HistogramBuilder,
  pool: Float64Array[],
  params: BoostingParams,
  gainImportance: Float64Array,
  splitImportance: Float64Array,
  n: number,
  allowed: Uint8Array,
): { builder: TreeBuilder; leaves: Leaf[] } {
  const p = rows.shape.p;
  const builder = new TreeBuilder();
  const lambda = params.reg_lambda;
  // not zeroed: hists.build writes every bin of the histogram it is given
  const take = (): Float64Array => pool.pop() ?? new Float64Array(b.totalBins * LANES);
  const rootHist = take();
  // a root holding every row reads them in their own order; a sampled one goes through idx
  hists.build(0, n, rootHist, n === rows.shape.n);
  const [G, H] = histTotals(rootHist, rows.offsets);
  const root: Leaf = { node: builder.add(), start: 0, end: n, depth: 0, G, H, hist: rootHist, split: null };
  root.split = bestSplit(b, p, root, params, allowed);
  const leaves: Leaf[] = [root];
  while (leaves.length < params.max_leaves) {
    let pick = -1;
    for (let i = 0; i < leaves.length; i++) {
      const s = leaves[i].split;
      if (s && (pick < 0 || s.gain > (leaves[pick].split as Split).gain)) pick = i;
    }
    if (pick < 0) break;
    const parent = leaves[pick];
    const s = parent.split as Split;
    const mid = hists.partition(parent.start, parent.end, s.feature, s.bin, s.missingLeft);
    const nodeL = builder.add();
    const nodeR = builder.add();
    builder.feature[parent.node] = s.feature;
    builder.threshold[parent.node] = b.edges[s.feature][s.bin];
    builder.missingLeft[parent.node] = s.missingLeft ? 1 : 0;
    builder.left[parent.node] = nodeL;
    builder.right[parent.node] = nodeR;
    gainImportance[s.feature] += s.gain;
    splitImportance[s.feature] += 1;
    const canSplit = params.max_depth === 0 || parent.depth + 1 < params.max_depth;
    // children that will not be split (at the depth limit, or the last split the leaf budget allows) need only their
    // totals: the split feature's bins in the parent's histogram give the left child's, as bestSplit summed them, so
    // neither child's rows are summed again (a depth-6 fit ~5 % faster)
    const totalsOnly = !canSplit || leaves.length + 1 >= params.max_leaves;
    let histL: Float64Array = EMPTY;
    let histR: Float64Array = EMPTY;
    let GL: number;
    let HL: number;
    if (totalsOnly) {
      [GL, HL] = leftTotals(b, parent.hist, s);
      pool.push(parent.hist);
    } else {
      const leftIsSmall = mid - parent.start <= parent.end - mid;
      const small = take();
      const [from, to] = leftIsSmall ? [parent.start, mid] : [mid, parent.end];
      hists.build(from, to, small);
      const large = parent.hist;
      for (let i = 0; i < large.length; i++) large[i] -= small[i];
      histL = leftIsSmall ? small : large;
      histR = leftIsSmall ? large : small;
      [GL, HL] = histTotals(histL, rows.offsets);
    }
    const childL: Leaf = {
      node: nodeL,
      start: parent.start,
      end: mid,
      depth: parent.depth + 1,
      G: GL,
      H: HL,
      hist: histL,
      split: null,
    };
    const childR: Leaf = {
      node: nodeR,
      start: mid,
      end: parent.end,
      depth: parent.depth + 1,
      G: parent.G - GL,
      H: parent.H - HL,
      hist: histR,
      split: null,
    };
    childL.split = totalsOnly ? null : bestSplit(b, p, childL, params, allowed);
    childR.split = totalsOnly ? null : bestSplit(b, p, childR, params, allowed);
    // a leaf not worth splitting (too few rows, no gain) needs its totals only: its histogram goes back to the pool
    // now rather than when the tree is done, so fewer are alive at once (each 172 KB at 28 × 256 bins)
    for (const child of [childL, childR]) {
      if (child.split || child.hist === EMPTY) continue;
      pool.push(child.hist);
      child.hist = EMPTY;
    }
    leaves.splice(pick, 1, childL, childR);
  }
  for (const leaf of leaves) {
    builder.value[leaf.node] = (-l1(leaf.G, params.reg_alpha) / (leaf.H + lambda)) * params.learning_rate;
    if (leaf.hist !== EMPTY) pool.push(leaf.hist);
  }
  return { builder, leaves };
}

/** What a leaf that will not be split holds instead of a histogram. */
const EMPTY = new Float64Array(0);

function packState(
  trees: TreeBuilder[],
  task: Task,
  objective: Objective,
  rounds: number,
  nClasses: number,
  p: number,
  T: number,
  baseScore: Float64Array,
  gainImportance: Float64Array,
  splitImportance: Float64Array,
): BoostingState {
  const treeOffsets = new Int32Array(trees.length + 1);
  for (let t = 0; t < trees.length; t++) treeOffsets[t + 1] = treeOffsets[t] + trees[t].feature.length;
  const total = treeOffsets[trees.length];
  const feature = new Int32Array(total);
  const threshold = new Float64Array(total);
  const left = new Int32Array(total);
  const right = new Int32Array(total);
  const missingLeft = new Uint8Array(total);
  const value = new Float64Array(total);
  trees.forEach((tr, t) => {
    const off = treeOffsets[t];
    feature.set(tr.feature, off);
    threshold.set(tr.threshold, off);
    left.set(tr.left, off);
    right.set(tr.right, off);
    missingLeft.set(tr.missingLeft, off);
    value.set(tr.value, off);
  });
  return {
    task: task as BoostingState['task'],
    objective,
    bestIteration: rounds,
    classes: task === 'regression' ? 0 : nClasses,
    features: p,
    treesPerRound: T,
    nTrees: trees.length,
    baseScore,
    treeOffsets,
    feature,
    threshold,
    left,
    right,
    missingLeft,
    value,
    gainImportance,
    splitImportance,
  };
}
