// Unsupervised families against scikit-learn: k-means centres from given initial centres, PCA components (up to sign)
// and explained variance — fixture test/fixtures/unsupervised-sklearn.json, made by
// scripts/fixtures/make_unsupervised_fixture.py — and the isolation forest finding planted anomalies.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { createRng } from '../core/index.ts';
import { decodeArtifact, encodeArtifact, type Matrix, type State } from '../estimator/index.ts';
import { rocAuc } from '../evaluate/index.ts';
import type { KMeansState } from './cluster/state.ts';
import type { PcaState } from './decomposition/state.ts';
import { appliers, createUnsupervised, isolationForest, kMeans, pca } from './index.ts';

const fx = JSON.parse(
  fs.readFileSync(new URL('../../test/fixtures/unsupervised-sklearn.json', import.meta.url), 'utf8'),
);
const matrix = (rows: number[][]): Matrix => ({
  data: Float64Array.from(rows.flat()),
  rows: rows.length,
  cols: rows[0].length,
});
const X = matrix(fx.X);
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('k-means', () => {
  it("from given initial centres reaches scikit-learn's centres, labels and inertia", () => {
    const m = kMeans({ n_clusters: 3, max_iter: 1000, tol: 0 }).fit(X, { init: matrix(fx.kmeans.init) });
    const s = m.state as KMeansState;
    assert.ok(maxDiff(s.centers, fx.kmeans.centers.flat()) < 1e-9);
    assert.deepEqual(Array.from(m.apply(X)), fx.kmeans.labels);
    assert.ok(Math.abs(s.inertia - fx.kmeans.inertia) < 1e-6);
  });

  it('k-means++ with several starts is seeded and finds a partition at least as tight', () => {
    const a = kMeans({ n_clusters: 3, seed: 1 }).fit(X);
    const b = kMeans({ n_clusters: 3, seed: 1 }).fit(X);
    assert.deepEqual(encodeArtifact(a.state), encodeArtifact(b.state));
    assert.ok((a.state as KMeansState).inertia <= fx.kmeans.inertia + 1e-6);
    assert.throws(() => kMeans({ n_clusters: 500 }).fit(X), /n_clusters/);
  });
});

describe('PCA', () => {
  it("components equal scikit-learn's up to sign, with the same explained variance", () => {
    const m = pca({ n_components: 3 }).fit(X);
    const s = m.state as PcaState;
    assert.ok(maxDiff(s.explainedVariance, fx.pca.explained_variance) < 1e-9);
    assert.ok(maxDiff(s.explainedVarianceRatio, fx.pca.explained_variance_ratio) < 1e-12);
    const Z = m.apply(X);
    for (let c = 0; c < 3; c++) {
      const ref = fx.pca.components[c] as number[];
      const dot = ref.reduce((acc, v, j) => acc + v * s.axes[c * 4 + j], 0);
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `component ${c}`);
      const sign = Math.sign(dot);
      for (let i = 0; i < X.rows; i++)
        assert.ok(Math.abs(Z[i * 3 + c] - sign * fx.pca.transformed[i][c]) < 1e-9);
    }
    const decoded = decodeArtifact<State>(encodeArtifact(m.state));
    assert.deepEqual(appliers.pca(decoded, X), Z);
  });
});

describe('isolation forest', () => {
  it('scores planted anomalies above normal rows (ROC-AUC > 0.95)', () => {
    const rng = createRng(11);
    const n = 1000;
    const data = new Float64Array(n * 3);
    const truth = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const anomaly = i % 50 === 0;
      truth[i] = anomaly ? 1 : 0;
      for (let j = 0; j < 3; j++)
        data[i * 3 + j] = anomaly ? (rng.next() < 0.5 ? -1 : 1) * (5 + rng.next() * 3) : rng.normal();
    }
    const m = isolationForest({ seed: 3 }).fit({ data, rows: n, cols: 3 });
    const scores = m.apply({ data, rows: n, cols: 3 });
    assert.ok(rocAuc(truth, scores) > 0.95, `roc_auc ${rocAuc(truth, scores)}`);
    assert.ok(scores.every((v) => v > 0 && v < 1));
    assert.equal(createUnsupervised('isolation_forest').kind, 'isolation_forest');
    assert.throws(() => createUnsupervised('dbscan'), { code: 'ESTIMATOR_UNKNOWN_KIND' });
  });
});
