// Inference of k-means: the index of the nearest centre for each row.

import type { Matrix } from '../../estimator/index.ts';
import type { KMeansState } from './state.ts';

export function nearestCenters(
  centers: Float64Array,
  k: number,
  X: Matrix,
): { labels: Float64Array; inertia: number } {
  const d = X.cols;
  const labels = new Float64Array(X.rows);
  let inertia = 0;
  for (let i = 0; i < X.rows; i++) {
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      let dist = 0;
      for (let j = 0; j < d; j++) {
        const diff = X.data[i * d + j] - centers[c * d + j];
        dist += diff * diff;
      }
      if (dist < bestD) {
        bestD = dist;
        best = c;
      }
    }
    labels[i] = best;
    inertia += bestD;
  }
  return { labels, inertia };
}

export function predictKMeans(s: KMeansState, X: Matrix): Float64Array {
  return nearestCenters(s.centers, s.k, X).labels;
}
