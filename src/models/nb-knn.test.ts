// Naive Bayes and k-nearest neighbours against scikit-learn — fixture test/fixtures/nb-knn-sklearn.json, made by
// scripts/fixtures/make_nb_knn_fixture.py with Debian's python3-sklearn.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { decodeArtifact, encodeArtifact, type Matrix, type State } from '../estimator/index.ts';
import {
  categoricalNaiveBayes,
  createLearner,
  gaussianNaiveBayes,
  kNearestNeighbors,
  predictorFor,
} from './index.ts';

const fx = JSON.parse(
  fs.readFileSync(new URL('../../test/fixtures/nb-knn-sklearn.json', import.meta.url), 'utf8'),
);
const matrix = (rows: number[][]): Matrix => ({
  data: Float64Array.from(rows.flat()),
  rows: rows.length,
  cols: rows[0].length,
});
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('naive Bayes matches scikit-learn', () => {
  it('Gaussian NB on iris, with and without sample weights (1e-9)', () => {
    const X = matrix(fx.gaussian.X);
    const y = Float64Array.from(fx.gaussian.y);
    const a = gaussianNaiveBayes().fit(X, y, 'multiclass', 3).predict(X).values;
    assert.ok(maxDiff(a, fx.gaussian.proba.flat()) < 1e-9, `diff ${maxDiff(a, fx.gaussian.proba.flat())}`);
    const b = gaussianNaiveBayes()
      .fit(X, y, 'multiclass', 3, { sampleWeight: Float64Array.from(fx.gaussian.weight) })
      .predict(X).values;
    assert.ok(
      maxDiff(b, fx.gaussian.proba_weighted.flat()) < 1e-9,
      `diff ${maxDiff(b, fx.gaussian.proba_weighted.flat())}`,
    );
  });

  it('categorical NB with Laplace smoothing (1e-12), and refuses non-codes', () => {
    const X = matrix(fx.categorical.X);
    const m = categoricalNaiveBayes({ alpha: 1 }).fit(
      X,
      Float64Array.from(fx.categorical.y),
      'multiclass',
      3,
    );
    assert.ok(maxDiff(m.predict(X).values, fx.categorical.proba.flat()) < 1e-12);
    assert.throws(
      () => categoricalNaiveBayes().fit(matrix([[0.5], [1]]), Float64Array.of(0, 1), 'binary', 2),
      { code: 'ESTIMATOR_BAD_INPUT' },
    );
  });
});

describe('k-nearest neighbours matches scikit-learn', () => {
  const X = matrix(fx.knn.X.slice(0, 200));
  const T = matrix(fx.knn.X.slice(200));
  for (const weights of ['uniform', 'distance']) {
    for (const algorithm of ['brute', 'kd_tree']) {
      it(`${weights} weights, ${algorithm}: classifier probabilities and regressor values (1e-12)`, () => {
        const ref = fx.knn[`${weights}_${algorithm}`];
        const c = kNearestNeighbors({ n_neighbors: 5, weights, algorithm, leaf_size: 8 }).fit(
          X,
          Float64Array.from(fx.knn.y.slice(0, 200)),
          'multiclass',
          3,
        );
        assert.ok(maxDiff(c.predict(T).values, ref.proba.flat()) < 1e-12);
        const r = kNearestNeighbors({ n_neighbors: 5, weights, algorithm, leaf_size: 8 }).fit(
          X,
          Float64Array.from(fx.knn.yr.slice(0, 200)),
          'regression',
          0,
        );
        assert.ok(maxDiff(r.predict(T).values, ref.pred) < 1e-12);
      });
    }
  }

  it('the KD-tree and brute force agree on every query, and the state round-trips through an artifact', () => {
    const y = Float64Array.from(fx.knn.yr.slice(0, 200));
    const tree = kNearestNeighbors({ n_neighbors: 7, algorithm: 'kd_tree', leaf_size: 4 }).fit(
      X,
      y,
      'regression',
      0,
    );
    const brute = kNearestNeighbors({ n_neighbors: 7, algorithm: 'brute' }).fit(X, y, 'regression', 0);
    assert.deepEqual(tree.predict(X).values, brute.predict(X).values);
    const decoded = decodeArtifact<State>(encodeArtifact(tree.state));
    assert.deepEqual(predictorFor('knn')(decoded, T).values, tree.predict(T).values);
    assert.throws(() => createLearner('knn', { n_neighbors: 500 }).fit(X, y, 'regression', 0), /n_neighbors/);
  });
});
