// Training of gradient-boosted trees: histogram split finding, leaf-wise growth, learned missing direction,
// histogram subtraction for the larger child; logistic, softmax and squared losses.

import { KeelError } from '../../core/index.ts';
import { EstimatorErrors, type Matrix, type Task } from '../../estimator/index.ts';
import { type Binned, binMatrix } from './binning.ts';
import type { BoostingParams } from './params.ts';
import { softmaxRows } from './predict.ts';
import type { BoostingState } from './state.ts';

interface Split {
  feature: number;
  bin: number;
  missingLeft: boolean;
  gain: number;
}

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

export function fitBoosting(
  X: Matrix,
  y: Float64Array,
  task: Task,
  nClasses: number,
  params: BoostingParams,
  weight?: Float64Array,
  onProgress?: (done: number, total: number) => void,
): BoostingState {
  const n = X.rows;
  const p = X.cols;
  if (n === 0) throw new KeelError(EstimatorErrors.BAD_INPUT, 'boosting needs at least one row');
  const w = weight ?? new Float64Array(n).fill(1);
  const binned = binMatrix(X, params.max_bins);
  const T = task === 'multiclass' ? nClasses : 1;
  const baseScore = initialScores(y, w, task, nClasses);
  const F = new Float64Array(n * T);
  for (let i = 0; i < n; i++) for (let k = 0; k < T; k++) F[i * T + k] = baseScore[k];

  const grad = new Float64Array(n * T);
  const hess = new Float64Array(n * T);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const idx = new Int32Array(n);
  const scratch = new Int32Array(n);
  const pool: Float64Array[] = [];
  const gainImportance = new Float64Array(p);
  const splitImportance = new Float64Array(p);
  const trees: TreeBuilder[] = [];

  for (let round = 0; round < params.n_estimators; round++) {
    gradients(task, F, y, w, T, grad, hess);
    for (let k = 0; k < T; k++) {
      for (let i = 0; i < n; i++) {
        g[i] = grad[i * T + k];
        h[i] = hess[i * T + k];
        idx[i] = i;
      }
      const tree = growTree(binned, p, g, h, idx, scratch, pool, params, gainImportance, splitImportance);
      // each leaf's rows are a contiguous range of idx: add the leaf value to their scores
      for (const leaf of tree.leaves) {
        const v = tree.builder.value[leaf.node];
        for (let r = leaf.start; r < leaf.end; r++) F[idx[r] * T + k] += v;
      }
      trees.push(tree.builder);
    }
    onProgress?.(round + 1, params.n_estimators);
  }
  return packState(trees, task, nClasses, p, T, baseScore, gainImportance, splitImportance, binned);
}

function initialScores(y: Float64Array, w: Float64Array, task: Task, K: number): Float64Array {
  let wSum = 0;
  for (let i = 0; i < y.length; i++) wSum += w[i];
  if (task === 'regression') {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += w[i] * y[i];
    return Float64Array.of(s / wSum);
  }
  const freq = new Float64Array(K);
  for (let i = 0; i < y.length; i++) freq[y[i]] += w[i];
  const clip = (q: number) => Math.min(Math.max(q, 1e-12), 1 - 1e-12);
  if (task === 'binary') {
    const q = clip(freq[1] / wSum);
    return Float64Array.of(Math.log(q / (1 - q)));
  }
  return Float64Array.from(freq, (c) => Math.log(clip(c / wSum)));
}

function gradients(
  task: Task,
  F: Float64Array,
  y: Float64Array,
  w: Float64Array,
  T: number,
  grad: Float64Array,
  hess: Float64Array,
): void {
  const n = y.length;
  if (task === 'regression') {
    for (let i = 0; i < n; i++) {
      grad[i] = w[i] * (F[i] - y[i]);
      hess[i] = w[i];
    }
    return;
  }
  if (task === 'binary') {
    for (let i = 0; i < n; i++) {
      const z = F[i];
      const q = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      grad[i] = w[i] * (q - y[i]);
      hess[i] = w[i] * Math.max(q * (1 - q), 1e-16);
    }
    return;
  }
  const P = Float64Array.from(F);
  softmaxRows(P, n, T);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < T; k++) {
      const q = P[i * T + k];
      grad[i * T + k] = w[i] * (q - (y[i] === k ? 1 : 0));
      hess[i * T + k] = w[i] * Math.max(q * (1 - q), 1e-16);
    }
  }
}

function growTree(
  b: Binned,
  p: number,
  g: Float64Array,
  h: Float64Array,
  idx: Int32Array,
  scratch: Int32Array,
  pool: Float64Array[],
  params: BoostingParams,
  gainImportance: Float64Array,
  splitImportance: Float64Array,
): { builder: TreeBuilder; leaves: Leaf[] } {
  const builder = new TreeBuilder();
  const lambda = params.reg_lambda;
  const n = idx.length;
  const take = (): Float64Array => pool.pop()?.fill(0) ?? new Float64Array(b.totalBins * 3);
  const rootHist = take();
  buildHistogram(b, p, g, h, idx, 0, n, rootHist);
  let G = 0;
  let H = 0;
  for (let i = 0; i < n; i++) {
    G += g[i];
    H += h[i];
  }
  const root: Leaf = { node: builder.add(), start: 0, end: n, depth: 0, G, H, hist: rootHist, split: null };
  root.split = bestSplit(b, p, root, params);
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
    const mid = partition(b, p, idx, scratch, parent.start, parent.end, s);
    const nodeL = builder.add();
    const nodeR = builder.add();
    builder.feature[parent.node] = s.feature;
    builder.threshold[parent.node] = b.edges[s.feature][s.bin];
    builder.missingLeft[parent.node] = s.missingLeft ? 1 : 0;
    builder.left[parent.node] = nodeL;
    builder.right[parent.node] = nodeR;
    gainImportance[s.feature] += s.gain;
    splitImportance[s.feature] += 1;
    const leftIsSmall = mid - parent.start <= parent.end - mid;
    const small = take();
    if (leftIsSmall) buildHistogram(b, p, g, h, idx, parent.start, mid, small);
    else buildHistogram(b, p, g, h, idx, mid, parent.end, small);
    const large = parent.hist;
    for (let i = 0; i < large.length; i++) large[i] -= small[i];
    const histL = leftIsSmall ? small : large;
    const histR = leftIsSmall ? large : small;
    const [GL, HL] = sumRange(g, h, idx, parent.start, mid);
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
    const canSplit = params.max_depth === 0 || childL.depth < params.max_depth;
    childL.split = canSplit ? bestSplit(b, p, childL, params) : null;
    childR.split = canSplit ? bestSplit(b, p, childR, params) : null;
    leaves.splice(pick, 1, childL, childR);
  }
  for (const leaf of leaves) {
    builder.value[leaf.node] = (-leaf.G / (leaf.H + lambda)) * params.learning_rate;
    pool.push(leaf.hist);
  }
  return { builder, leaves };
}

function sumRange(
  g: Float64Array,
  h: Float64Array,
  idx: Int32Array,
  start: number,
  end: number,
): [number, number] {
  let G = 0;
  let H = 0;
  for (let r = start; r < end; r++) {
    const i = idx[r];
    G += g[i];
    H += h[i];
  }
  return [G, H];
}

function buildHistogram(
  b: Binned,
  p: number,
  g: Float64Array,
  h: Float64Array,
  idx: Int32Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  const { bins, offsets } = b;
  for (let r = start; r < end; r++) {
    const i = idx[r];
    const gi = g[i];
    const hi = h[i];
    const base = i * p;
    for (let f = 0; f < p; f++) {
      const o = (offsets[f] + bins[base + f]) * 3;
      hist[o] += gi;
      hist[o + 1] += hi;
      hist[o + 2] += 1;
    }
  }
}

function bestSplit(b: Binned, p: number, leaf: Leaf, params: BoostingParams): Split | null {
  const lambda = params.reg_lambda;
  const minLeaf = params.min_samples_leaf;
  const minH = params.min_child_weight;
  const count = leaf.end - leaf.start;
  if (count < 2 * minLeaf) return null;
  const { G, H, hist } = leaf;
  const parentScore = (G * G) / (H + lambda);
  let best: Split | null = null;
  let bestGain = params.min_split_gain + 1e-12;
  for (let f = 0; f < p; f++) {
    const nb = b.nBins[f];
    if (nb < 2) continue;
    const off = b.offsets[f];
    const mo = (off + nb) * 3;
    const gm = hist[mo];
    const hm = hist[mo + 1];
    const cm = hist[mo + 2];
    let gl = 0;
    let hl = 0;
    let cl = 0;
    for (let bin = 0; bin < nb - 1; bin++) {
      const o = (off + bin) * 3;
      gl += hist[o];
      hl += hist[o + 1];
      cl += hist[o + 2];
      // missing values to the right
      let cR = count - cl;
      let hR = H - hl;
      if (cl >= minLeaf && cR >= minLeaf && hl >= minH && hR >= minH) {
        const gR = G - gl;
        const gain = (gl * gl) / (hl + lambda) + (gR * gR) / (hR + lambda) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          best = { feature: f, bin, missingLeft: false, gain };
        }
      }
      if (cm > 0) {
        // missing values to the left
        const cL = cl + cm;
        const hL = hl + hm;
        cR = count - cL;
        hR = H - hL;
        if (cL >= minLeaf && cR >= minLeaf && hL >= minH && hR >= minH) {
          const gL = gl + gm;
          const gR = G - gL;
          const gain = (gL * gL) / (hL + lambda) + (gR * gR) / (hR + lambda) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            best = { feature: f, bin, missingLeft: true, gain };
          }
        }
      }
    }
  }
  return best;
}

/** Stable partition of idx[start..end) into rows going left, then right; returns the boundary. */
function partition(
  b: Binned,
  p: number,
  idx: Int32Array,
  scratch: Int32Array,
  start: number,
  end: number,
  s: Split,
): number {
  const missingBin = b.nBins[s.feature];
  let l = start;
  let r = 0;
  for (let k = start; k < end; k++) {
    const i = idx[k];
    const bin = b.bins[i * p + s.feature];
    const goLeft = bin === missingBin ? s.missingLeft : bin <= s.bin;
    if (goLeft) idx[l++] = i;
    else scratch[r++] = i;
  }
  idx.set(scratch.subarray(0, r), l);
  return l;
}

function packState(
  trees: TreeBuilder[],
  task: Task,
  nClasses: number,
  p: number,
  T: number,
  baseScore: Float64Array,
  gainImportance: Float64Array,
  splitImportance: Float64Array,
  _binned: Binned,
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
