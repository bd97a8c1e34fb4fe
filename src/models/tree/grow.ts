// Growing one CART tree on binned features: exhaustive best splits (Gini or squared error) over a random subset of
// features, or one random threshold per feature (extra trees); then minimal cost-complexity pruning.

import type { Rng } from '../../core/index.ts';
import type { FeatureArray } from '../../estimator/index.ts';
import type { Binned } from '../engine/binning.ts';

export interface GrowOptions {
  classification: boolean;
  K: number;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: number;
  randomThresholds: boolean;
  ccpAlpha: number;
  rng: Rng;
}

export interface Tree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** nodes × width */
  value: number[];
  impurity: number[];
  /** weighted samples per node */
  weight: number[];
}

/** Impurity and value of a node from its weighted class counts (classification) or sums (regression). */
function summarise(
  o: GrowOptions,
  stats: Float64Array,
): { impurity: number; weight: number; value: number[] } {
  if (o.classification) {
    let w = 0;
    for (let k = 0; k < o.K; k++) w += stats[k];
    let g = 1;
    const value: number[] = [];
    for (let k = 0; k < o.K; k++) {
      const q = w > 0 ? stats[k] / w : 0;
      g -= q * q;
      value.push(q);
    }
    return { impurity: g, weight: w, value };
  }
  const [w, s, s2] = stats;
  const mean = w > 0 ? s / w : 0;
  return { impurity: w > 0 ? Math.max(0, s2 / w - mean * mean) : 0, weight: w, value: [mean] };
}

/** raw: the unbinned rows × p values, for thresholds placed between the node's own neighbouring values. */
/**
 * Impurity decrease of splitting a node with stats `st` into `left` and the rest, without allocating: weighted
 * Gini (classification) or weighted variance (regression) of both sides; −Infinity when a side is empty.
 */
function splitGain(o: GrowOptions, st: Float64Array, left: Float64Array, parentTerm: number): number {
  if (o.classification) {
    let wl = 0;
    let wr = 0;
    let sl = 0;
    let sr = 0;
    for (let k = 0; k < o.K; k++) {
      const l = left[k];
      const r = st[k] - l;
      wl += l;
      wr += r;
      sl += l * l;
      sr += r * r;
    }
    if (wl <= 0 || wr <= 0) return Number.NEGATIVE_INFINITY;
    // w·gini = w − Σ c² / w
    return parentTerm - (wl - sl / wl) - (wr - sr / wr);
  }
  const wl = left[0];
  const wr = st[0] - wl;
  if (wl <= 0 || wr <= 0) return Number.NEGATIVE_INFINITY;
  const sl = left[1];
  const sr = st[1] - sl;
  const ql = left[2];
  const qr = st[2] - ql;
  const varL = Math.max(0, ql / wl - (sl / wl) ** 2);
  const varR = Math.max(0, qr / wr - (sr / wr) ** 2);
  return parentTerm - wl * varL - wr * varR;
}

export function growTree(
  b: Binned,
  /** feature-major bins (n per feature): a node's rows are read one feature at a time, in ascending order */
  cols: Uint8Array,
  raw: FeatureArray,
  p: number,
  y: Float64Array,
  w: Float64Array,
  rows: Int32Array,
  o: GrowOptions,
): Tree {
  const S = o.classification ? o.K : 3; // stats per bin
  const n = y.length;
  const tree: Tree = { feature: [], threshold: [], left: [], right: [], value: [], impurity: [], weight: [] };
  const idx = Int32Array.from(rows);
  const scratch = new Int32Array(idx.length);
  const hist = new Float64Array(256 * S);
  const counts = new Int32Array(256);
  const nodeStats = (start: number, end: number): Float64Array => {
    const st = new Float64Array(S);
    for (let r = start; r < end; r++) {
      const i = idx[r];
      if (o.classification) st[y[i]] += w[i];
      else {
        st[0] += w[i];
        st[1] += w[i] * y[i];
        st[2] += w[i] * y[i] * y[i];
      }
    }
    return st;
  };
  const featureOrder = Int32Array.from({ length: p }, (_, j) => j);
  const addNode = (st: Float64Array): number => {
    const s = summarise(o, st);
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(...s.value);
    tree.impurity.push(s.impurity);
    tree.weight.push(s.weight);
    return tree.feature.length - 1;
  };
  const stack: { node: number; start: number; end: number; depth: number; st: Float64Array }[] = [];
  const rootStats = nodeStats(0, idx.length);
  stack.push({ node: addNode(rootStats), start: 0, end: idx.length, depth: 0, st: rootStats });
  while (stack.length > 0) {
    const { node, start, end, depth, st } = stack.pop() as (typeof stack)[number];
    const count = end - start;
    const parent = summarise(o, st);
    if (count < o.minSamplesSplit || count < 2 * o.minSamplesLeaf || parent.impurity <= 1e-15) continue;
    if (o.maxDepth > 0 && depth >= o.maxDepth) continue;
    // a random subset of features (partial Fisher–Yates)
    for (let j = 0; j < o.maxFeatures; j++) {
      const k = j + o.rng.int(p - j);
      const t = featureOrder[j];
      featureOrder[j] = featureOrder[k];
      featureOrder[k] = t;
    }
    let best = { gain: 1e-12, feature: -1, bin: -1, leftStats: null as Float64Array | null };
    for (let fi = 0; fi < o.maxFeatures; fi++) {
      const f = featureOrder[fi];
      const nb = b.nBins[f];
      hist.fill(0, 0, (nb + 1) * S);
      const cnt = counts.subarray(0, nb + 1);
      cnt.fill(0);
      let lo = nb;
      let hi = -1;
      const base = f * n;
      if (o.classification) {
        for (let r = start; r < end; r++) {
          const i = idx[r];
          const bin = cols[base + i];
          cnt[bin]++;
          if (bin < lo) lo = bin;
          if (bin > hi) hi = bin;
          hist[bin * S + y[i]] += w[i];
        }
      } else {
        for (let r = start; r < end; r++) {
          const i = idx[r];
          const bin = cols[base + i];
          cnt[bin]++;
          if (bin < lo) lo = bin;
          if (bin > hi) hi = bin;
          const wi = w[i];
          const wy = wi * y[i];
          hist[bin * 3] += wi;
          hist[bin * 3 + 1] += wy;
          hist[bin * 3 + 2] += wy * y[i];
        }
      }
      if (hi <= lo) continue;
      const from = o.randomThresholds ? lo + o.rng.int(hi - lo) : lo;
      const to = o.randomThresholds ? from : hi - 1;
      const left = new Float64Array(S);
      let nLeft = 0;
      for (let bin = 0; bin < from; bin++) {
        for (let s = 0; s < S; s++) left[s] += hist[bin * S + s];
        nLeft += cnt[bin];
      }
      for (let bin = from; bin <= to; bin++) {
        for (let s = 0; s < S; s++) left[s] += hist[bin * S + s];
        nLeft += cnt[bin];
        if (cnt[bin] === 0 && !o.randomThresholds) continue;
        const nRight = count - nLeft;
        if (nLeft < o.minSamplesLeaf || nRight < o.minSamplesLeaf) continue;
        const gain = splitGain(o, st, left, parent.weight * parent.impurity);
        if (gain > best.gain) best = { gain, feature: f, bin, leftStats: Float64Array.from(left) };
      }
    }
    if (best.feature < 0 || !best.leftStats) continue;
    // partition rows: bin <= best.bin go left
    let l = start;
    let r = 0;
    const fBase = best.feature * n;
    for (let k = start; k < end; k++) {
      const i = idx[k];
      if (cols[fBase + i] <= best.bin) idx[l++] = i;
      else scratch[r++] = i;
    }
    idx.set(scratch.subarray(0, r), l);
    const leftStats = best.leftStats;
    const rightStats = Float64Array.from(st, (v, s) => v - leftStats[s]);
    // the threshold sits midway between this node's largest value going left and smallest going right (as
    // scikit-learn places it), not at the global bin edge
    let below = Number.NEGATIVE_INFINITY;
    let above = Number.POSITIVE_INFINITY;
    for (let k = start; k < l; k++) below = Math.max(below, raw[idx[k] * p + best.feature]);
    for (let k = l; k < end; k++) above = Math.min(above, raw[idx[k] * p + best.feature]);
    let threshold = below / 2 + above / 2;
    if (!(threshold < above)) threshold = below;
    tree.feature[node] = best.feature;
    tree.threshold[node] = threshold;
    const ln = addNode(leftStats);
    const rn = addNode(rightStats);
    tree.left[node] = ln;
    tree.right[node] = rn;
    stack.push({ node: rn, start: l, end, depth: depth + 1, st: rightStats });
    stack.push({ node: ln, start, end: l, depth: depth + 1, st: leftStats });
  }
  return o.ccpAlpha > 0 ? prune(tree, o.ccpAlpha, o.classification ? o.K : 1) : tree;
}

/**
 * Minimal cost-complexity pruning: repeatedly collapse the internal node with the smallest effective alpha
 * (R(t) − R(T_t)) / (leaves(T_t) − 1), while it is at most ccpAlpha; R is weighted impurity over total weight.
 */
export function prune(tree: Tree, ccpAlpha: number, width: number): Tree {
  const total = tree.weight[0];
  const R = (n: number) => (tree.weight[n] / total) * tree.impurity[n];
  const collapsed = new Set<number>();
  const isLeaf = (n: number) => tree.feature[n] < 0 || collapsed.has(n);
  const subtree = (n: number): { risk: number; leaves: number } => {
    if (isLeaf(n)) return { risk: R(n), leaves: 1 };
    const a = subtree(tree.left[n]);
    const b = subtree(tree.right[n]);
    return { risk: a.risk + b.risk, leaves: a.leaves + b.leaves };
  };
  for (;;) {
    let weakest = -1;
    let alpha = Number.POSITIVE_INFINITY;
    const visit = (n: number) => {
      if (isLeaf(n)) return;
      const s = subtree(n);
      const a = (R(n) - s.risk) / (s.leaves - 1);
      if (a < alpha) {
        alpha = a;
        weakest = n;
      }
      visit(tree.left[n]);
      visit(tree.right[n]);
    };
    visit(0);
    if (weakest < 0 || alpha > ccpAlpha) break;
    collapsed.add(weakest);
  }
  // copy the reachable nodes in order
  const out: Tree = { feature: [], threshold: [], left: [], right: [], value: [], impurity: [], weight: [] };
  const copy = (n: number): number => {
    const id = out.feature.length;
    const leaf = isLeaf(n);
    out.feature.push(leaf ? -1 : tree.feature[n]);
    out.threshold.push(leaf ? 0 : tree.threshold[n]);
    out.left.push(-1);
    out.right.push(-1);
    out.value.push(...tree.value.slice(n * width, (n + 1) * width));
    out.impurity.push(tree.impurity[n]);
    out.weight.push(tree.weight[n]);
    if (!leaf) {
      const l = copy(tree.left[n]);
      const r = copy(tree.right[n]);
      out.left[id] = l;
      out.right[id] = r;
    }
    return id;
  };
  copy(0);
  return out;
}
