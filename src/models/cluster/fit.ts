// Training of k-means: k-means++ seeding (or given initial centres) and Lloyd iterations until the centres settle.

import { createRng, KeelError, type Rng } from '../../core/index.ts';
import { EstimatorErrors, type FeatureArray, type Matrix, requireFinite } from '../../estimator/index.ts';
import { nearestCenters } from './predict.ts';
import type { KMeansState } from './state.ts';

function plusPlus(X: Matrix, k: number, rng: Rng): Float64Array {
  const { rows: n, cols: d, data } = X;
  const centers = new Float64Array(k * d);
  const first = rng.int(n);
  centers.set(data.subarray(first * d, (first + 1) * d), 0);
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      let dist = 0;
      for (let j = 0; j < d; j++) dist += (data[i * d + j] - centers[(c - 1) * d + j]) ** 2;
      if (dist < best[i]) best[i] = dist;
      total += best[i];
    }
    // the next centre is drawn with probability proportional to the squared distance to the nearest chosen one
    let u = rng.next() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      u -= best[i];
      if (u <= 0) {
        pick = i;
        break;
      }
    }
    centers.set(data.subarray(pick * d, (pick + 1) * d), c * d);
  }
  return centers;
}

function lloyd(X: Matrix, start: FeatureArray, k: number, maxIter: number, tol: number): KMeansState {
  const { rows: n, cols: d, data } = X;
  let centers = Float64Array.from(start);
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    const { labels } = nearestCenters(centers, k, X);
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const c = labels[i];
      counts[c]++;
      for (let j = 0; j < d; j++) sums[c * d + j] += data[i * d + j];
    }
    const next = new Float64Array(k * d);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        // an empty cluster keeps its centre
        next[c * d + j] = counts[c] > 0 ? sums[c * d + j] / counts[c] : centers[c * d + j];
        shift += (next[c * d + j] - centers[c * d + j]) ** 2;
      }
    }
    centers = next;
    if (shift <= tol) {
      iterations++;
      break;
    }
  }
  return { k, features: d, centers, inertia: nearestCenters(centers, k, X).inertia, iterations };
}

export function fitKMeans(
  X: Matrix,
  p: { n_clusters: number; n_init: number; max_iter: number; tol: number; seed: number },
  init?: Matrix,
): KMeansState {
  requireFinite(X.data, X.cols, 'k-means models');
  if (p.n_clusters > X.rows)
    throw new KeelError(EstimatorErrors.BAD_PARAM, `n_clusters ${p.n_clusters} exceeds the ${X.rows} rows`, {
      param: 'n_clusters',
    });
  if (init) {
    if (init.rows !== p.n_clusters || init.cols !== X.cols)
      throw new KeelError(EstimatorErrors.BAD_INPUT, `initial centres must be ${p.n_clusters} × ${X.cols}`);
    return lloyd(X, init.data, p.n_clusters, p.max_iter, p.tol);
  }
  const rng = createRng(p.seed);
  let best: KMeansState | null = null;
  for (let r = 0; r < p.n_init; r++) {
    const s = lloyd(X, plusPlus(X, p.n_clusters, rng), p.n_clusters, p.max_iter, p.tol);
    if (!best || s.inertia < best.inertia) best = s;
  }
  return best as KMeansState;
}
