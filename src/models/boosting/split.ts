// Split finding of gradient boosting: the best split of a leaf from its histogram, and the totals a histogram gives.

import type { Binned } from '../engine/binning.ts';
import type { BoostingParams } from './params.ts';

export interface Split {
  feature: number;
  bin: number;
  missingLeft: boolean;
  gain: number;
}

/**
 * The left child's gradient and hessian totals from its parent's histogram: the split feature's bins up to the split
 * bin, and its missing bin where missing values go left — the sums bestSplit made for the split's gain.
 */
export function leftTotals(b: Omit<Binned, 'bins'>, hist: Float64Array, s: Split): [number, number] {
  const off = b.offsets[s.feature];
  let g = 0;
  let h = 0;
  for (let bin = 0; bin <= s.bin; bin++) {
    g += hist[(off + bin) * 3];
    h += hist[(off + bin) * 3 + 1];
  }
  if (s.missingLeft) {
    const mo = (off + b.nBins[s.feature]) * 3;
    g += hist[mo];
    h += hist[mo + 1];
  }
  return [g, h];
}

/** Gradient and hessian totals of a node: every row sits in exactly one bin of feature 0, so its bins sum them. */
export function histTotals(hist: Float64Array, offsets: Int32Array): [number, number] {
  let G = 0;
  let H = 0;
  for (let o = offsets[0] * 3; o < offsets[1] * 3; o += 3) {
    G += hist[o];
    H += hist[o + 1];
  }
  return [G, H];
}

/** Soft-thresholded gradient sum: the L1 penalty reg_alpha pulls leaf values (and gains) toward zero. */
export function l1(G: number, alpha: number): number {
  if (alpha === 0) return G;
  return G > alpha ? G - alpha : G < -alpha ? G + alpha : 0;
}

/** What bestSplit reads of a leaf: its position range (its row count), totals and histogram. */
export interface SplitLeaf {
  start: number;
  end: number;
  G: number;
  H: number;
  hist: Float64Array;
}

/**
 * The split of highest gain over the allowed features' bins (missing values tried on either side), or null. Without
 * an L1 penalty the score g² / (h + lambda) is written out (the same operations as through l1); a feature without
 * missing values tries one side only; and since the right side's row count only falls bin by bin, the scan of a
 * feature stops once it is under min_samples_leaf.
 */
export function bestSplit(
  b: Omit<Binned, 'bins'>,
  p: number,
  leaf: SplitLeaf,
  params: BoostingParams,
  allowed: Uint8Array,
): Split | null {
  const lambda = params.reg_lambda;
  const minLeaf = params.min_samples_leaf;
  const minH = params.min_child_weight;
  const count = leaf.end - leaf.start;
  if (count < 2 * minLeaf) return null;
  const { G, H, hist } = leaf;
  const alpha = params.reg_alpha;
  const score = (g: number, h: number) => {
    const t = l1(g, alpha);
    return (t * t) / (h + lambda);
  };
  const parentScore = score(G, H);
  let best: Split | null = null;
  let bestGain = params.min_split_gain + 1e-12;
  for (let f = 0; f < p; f++) {
    const nb = b.nBins[f];
    if (nb < 2 || allowed[f] === 0) continue;
    const off = b.offsets[f];
    const mo = (off + nb) * 3;
    const gm = hist[mo];
    const hm = hist[mo + 1];
    const cm = hist[mo + 2];
    let gl = 0;
    let hl = 0;
    let cl = 0;
    if (cm === 0 && alpha === 0) {
      for (let bin = 0; bin < nb - 1; bin++) {
        const o = (off + bin) * 3;
        gl += hist[o];
        hl += hist[o + 1];
        cl += hist[o + 2];
        const cR = count - cl;
        if (cR < minLeaf) break;
        const hR = H - hl;
        if (cl >= minLeaf && hl >= minH && hR >= minH) {
          const gR = G - gl;
          const gain = (gl * gl) / (hl + lambda) + (gR * gR) / (hR + lambda) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            best = { feature: f, bin, missingLeft: false, gain };
          }
        }
      }
      continue;
    }
    for (let bin = 0; bin < nb - 1; bin++) {
      const o = (off + bin) * 3;
      gl += hist[o];
      hl += hist[o + 1];
      cl += hist[o + 2];
      // missing values to the right
      let cR = count - cl;
      let hR = H - hl;
      if (cl >= minLeaf && cR >= minLeaf && hl >= minH && hR >= minH) {
        const gain = score(gl, hl) + score(G - gl, hR) - parentScore;
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
          const gain = score(gL, hL) + score(G - gL, hR) - parentScore;
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
