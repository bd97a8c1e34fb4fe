// The split search against a brute-force reference: every feature, bin and side of the missing values tried with the
// documented gain, on random histograms with empty bins, missing values and each constraint binding somewhere.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../core/index.ts';
import { resolveParams } from '../estimator/index.ts';
import { type BoostingParams, boostingParamSpecs } from './boosting/params.ts';
import { bestSplit, type Split } from './boosting/split.ts';
import { binLayout } from './engine/binning.ts';

function reference(
  nBins: Int32Array,
  offsets: Int32Array,
  hist: Float64Array,
  count: number,
  o: { lambda: number; alpha: number; minLeaf: number; minH: number; minGain: number },
): Split | null {
  const l1 = (g: number) => (g > o.alpha ? g - o.alpha : g < -o.alpha ? g + o.alpha : 0);
  const score = (g: number, h: number) => (l1(g) * l1(g)) / (h + o.lambda);
  let G = 0;
  let H = 0;
  for (let bin = offsets[0]; bin < offsets[1]; bin++) {
    G += hist[3 * bin];
    H += hist[3 * bin + 1];
  }
  let best: Split | null = null;
  let bestGain = o.minGain + 1e-12;
  for (let f = 0; f < nBins.length; f++) {
    const m = 3 * (offsets[f] + nBins[f]);
    for (let bin = 0; bin < nBins[f] - 1; bin++) {
      let g = 0;
      let h = 0;
      let c = 0;
      for (let k = 0; k <= bin; k++) {
        g += hist[3 * (offsets[f] + k)];
        h += hist[3 * (offsets[f] + k) + 1];
        c += hist[3 * (offsets[f] + k) + 2];
      }
      for (const missingLeft of [false, true]) {
        if (missingLeft && hist[m + 2] === 0) continue;
        const gl = missingLeft ? g + hist[m] : g;
        const hl = missingLeft ? h + hist[m + 1] : h;
        const cl = missingLeft ? c + hist[m + 2] : c;
        if (cl < o.minLeaf || count - cl < o.minLeaf || hl < o.minH || H - hl < o.minH) continue;
        const gain = score(gl, hl) + score(G - gl, H - hl) - score(G, H);
        if (gain > bestGain) {
          bestGain = gain;
          best = { feature: f, bin, missingLeft, gain };
        }
      }
    }
  }
  return best;
}

describe('boosting split search', () => {
  it('finds the split a brute-force search finds, gain to the last bit', () => {
    const rng = createRng(51);
    let found = 0;
    for (let trial = 0; trial < 300; trial++) {
      const p = 1 + Math.floor(rng.next() * 5);
      const edges = Array.from({ length: p }, () => new Float64Array(1 + Math.floor(rng.next() * 12)));
      const layout = binLayout(edges);
      const hist = new Float64Array(3 * layout.totalBins);
      // the node's rows in the first feature's bins (some missing), with gradients in eighths: sums are exact, so
      // every order of addition gives the same totals
      const withMissing = trial % 3 === 0;
      const count = 40 + Math.floor(rng.next() * 200);
      for (let r = 0; r < count; r++) {
        const bin =
          withMissing && rng.next() < 0.1 ? layout.nBins[0] : Math.floor(rng.next() * layout.nBins[0]);
        const at = 3 * (layout.offsets[0] + bin);
        hist[at] += Math.round(rng.normal() * 8) / 8;
        hist[at + 1] += Math.round(1 + rng.next() * 7) / 8;
        hist[at + 2] += 1;
      }
      // the other features: the same rows, each bin of the first feature's moved whole into one of theirs
      for (let f = 1; f < p; f++) {
        for (let bin = 0; bin <= layout.nBins[0]; bin++) {
          const from = 3 * (layout.offsets[0] + bin);
          const to =
            3 * (layout.offsets[f] + Math.floor(rng.next() * (layout.nBins[f] + (withMissing ? 1 : 0))));
          for (let k = 0; k < 3; k++) hist[to + k] += hist[from + k];
        }
      }
      let G = 0;
      let H = 0;
      for (let bin = layout.offsets[0]; bin < layout.offsets[1]; bin++) {
        G += hist[3 * bin];
        H += hist[3 * bin + 1];
      }
      const o = {
        lambda: [0, 1, 0.3][trial % 3],
        alpha: trial % 4 === 0 ? 0.5 : 0,
        minLeaf: [1, 5, 30][trial % 3],
        minH: trial % 5 === 0 ? 2 : 1e-3,
        minGain: trial % 7 === 0 ? 0.5 : 0,
      };
      const params = resolveParams('gradient_boosting', boostingParamSpecs, {
        reg_lambda: o.lambda,
        reg_alpha: o.alpha,
        min_samples_leaf: o.minLeaf,
        min_child_weight: o.minH,
        min_split_gain: o.minGain,
      }) as BoostingParams;
      const allowed = new Uint8Array(p).fill(1);
      const got = bestSplit(layout, p, { start: 0, end: count, G, H, hist }, params, allowed);
      const want = reference(layout.nBins, layout.offsets, hist, count, o);
      assert.deepEqual(got, want, `trial ${trial}`);
      if (want) found++;
    }
    assert.ok(found > 150, `a split was found in ${found} of 300 trials`);
  });
});
