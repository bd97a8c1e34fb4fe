// Trees against scikit-learn: CART predictions on small data (depth-limited, cost-complexity pruned, regression), and
// random forest / extra trees held-out accuracy next to scikit-learn's on the same seeded data — fixture
// test/fixtures/tree-sklearn.json, made by scripts/fixtures/make_tree_fixture.py with Debian's python3-sklearn.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { createRng } from '../core/index.ts';
import { encodeArtifact, type Matrix } from '../estimator/index.ts';
import { binMatrix } from './engine/binning.ts';
import { createLearner, decisionTree, extraTrees, predictorFor, randomForest } from './index.ts';
import type { TreesState } from './tree/state.ts';
import { featureMajor, growForest } from './tree/threads.ts';

const fx = JSON.parse(
  fs.readFileSync(new URL('../../test/fixtures/tree-sklearn.json', import.meta.url), 'utf8'),
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

describe('CART matches scikit-learn on small data', () => {
  const X = matrix(fx.iris.X);
  const y = Float64Array.from(fx.iris.y);

  it('depth-3 classifier: the same class probabilities on iris', () => {
    const m = decisionTree({ max_depth: 3 }).fit(X, y, 'multiclass', 3);
    assert.ok(maxDiff(m.predict(X).values, fx.iris.depth3_proba.flat()) < 1e-12);
  });

  it('cost-complexity pruning (ccp_alpha 0.02): the same leaves and probabilities', () => {
    const m = decisionTree({ ccp_alpha: 0.02 }).fit(X, y, 'multiclass', 3);
    const s = m.state as TreesState;
    const leaves = [...s.feature].filter((f) => f < 0).length;
    assert.equal(leaves, fx.iris.pruned_leaves);
    assert.ok(maxDiff(m.predict(X).values, fx.iris.pruned_proba.flat()) < 1e-12);
    const full = decisionTree().fit(X, y, 'multiclass', 3).state as TreesState;
    assert.ok(full.feature.length > s.feature.length, 'pruning removed nodes');
  });

  it('depth-4 regressor: the same predictions on held-out rows', () => {
    const R = matrix(fx.regression.X.slice(0, 200));
    const T = matrix(fx.regression.X.slice(200));
    const m = decisionTree({ max_depth: 4 }).fit(
      R,
      Float64Array.from(fx.regression.y.slice(0, 200)),
      'regression',
      0,
    );
    assert.ok(
      maxDiff(m.predict(T).values, fx.regression.pred) < 1e-9,
      `diff ${maxDiff(m.predict(T).values, fx.regression.pred)}`,
    );
  });
});

describe('forests', () => {
  const X = matrix(fx.synthetic.X.slice(0, 2000));
  const T = matrix(fx.synthetic.X.slice(2000));
  const y = Float64Array.from(fx.synthetic.y.slice(0, 2000));
  const yT = fx.synthetic.y.slice(2000) as number[];
  const accuracy = (probs: Float64Array) =>
    yT.filter((t, i) => (probs[2 * i + 1] > probs[2 * i] ? 1 : 0) === t).length / yT.length;

  it("random forest: held-out accuracy within 0.02 of scikit-learn's, out-of-bag score close to it", () => {
    const m = randomForest({ n_estimators: 100, oob_score: true, seed: 1 }).fit(X, y, 'binary', 2);
    const acc = accuracy(m.predict(T).values);
    assert.ok(
      Math.abs(acc - fx.synthetic.rf_accuracy) <= 0.02,
      `keel ${acc} vs scikit-learn ${fx.synthetic.rf_accuracy}`,
    );
    const oob = (m.state as TreesState).oobScore;
    assert.ok(Math.abs(oob - acc) < 0.04, `oob ${oob} vs held-out ${acc}`);
  });

  it("extra trees: held-out accuracy within 0.02 of scikit-learn's", () => {
    const m = extraTrees({ n_estimators: 100, seed: 1 }).fit(X, y, 'binary', 2);
    const acc = accuracy(m.predict(T).values);
    assert.ok(
      Math.abs(acc - fx.synthetic.et_accuracy) <= 0.02,
      `keel ${acc} vs scikit-learn ${fx.synthetic.et_accuracy}`,
    );
  });

  it('is seeded: same seed same bytes, another seed another forest; the predictor reproduces the model', () => {
    const small = matrix(fx.synthetic.X.slice(0, 300));
    const ys = y.subarray(0, 300);
    const a = randomForest({ n_estimators: 10, seed: 5 }).fit(small, ys, 'binary', 2);
    const b = randomForest({ n_estimators: 10, seed: 5 }).fit(small, ys, 'binary', 2);
    const c = randomForest({ n_estimators: 10, seed: 6 }).fit(small, ys, 'binary', 2);
    assert.deepEqual(encodeArtifact(a.state), encodeArtifact(b.state));
    assert.notDeepEqual(encodeArtifact(a.state), encodeArtifact(c.state));
    assert.deepEqual(predictorFor('random_forest')(a.state, T).values, a.predict(T).values);
    assert.throws(() => createLearner('random_forest', { max_features: 'half' }), /max_features/);
    assert.throws(() => decisionTree().fit(matrix([[Number.NaN], [1]]), Float64Array.of(0, 1), 'binary', 2), {
      code: 'ESTIMATOR_BAD_INPUT',
    });
  });
});

describe('forest on worker threads', () => {
  const n = 6000;
  const d = 8;
  const rng = createRng(21);
  const X: Matrix = { data: new Float64Array(n * d), rows: n, cols: d };
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) X.data[i * d + j] = rng.normal();
    y[i] = X.data[i * d] + X.data[i * d + 1] * X.data[i * d + 2] + 0.5 * rng.normal() > 0 ? 1 : 0;
  }

  it('workers grow some of the trees, and every tree is the one a single thread grows', () => {
    const binned = binMatrix(X, 255);
    const job = {
      binned,
      cols: featureMajor(binned.bins, n, d),
      data: X.data,
      d,
      y,
      base: new Float64Array(n).fill(1),
      bootstrap: true,
      keepBags: true,
      seed: 3,
      perTreeSeeds: true,
      options: {
        classification: true,
        K: 2,
        maxDepth: 0,
        minSamplesSplit: 2,
        minSamplesLeaf: 1,
        maxFeatures: 3,
        randomThresholds: false,
        ccpAlpha: 0,
      },
    };
    const one = growForest(job, 60, 1);
    const three = growForest(job, 60, 3);
    assert.ok(
      three.some((g) => g.byWorker),
      'worker threads grew at least one tree',
    );
    for (let t = 0; t < 60; t++) {
      assert.deepEqual(three[t].tree, one[t].tree, `tree ${t}`);
      assert.deepEqual(three[t].bag, one[t].bag, `bag ${t}`);
    }
  });

  it('a random forest is byte-identical with 1 and 2 threads, out-of-bag score included', () => {
    const fit = (t: number) =>
      randomForest({ n_estimators: 30, n_threads: t, seed: 5, oob_score: true }).fit(X, y, 'binary', 2);
    const a = fit(1);
    const b = fit(2);
    assert.ok(
      Buffer.from(encodeArtifact({ s: a.state })).equals(Buffer.from(encodeArtifact({ s: b.state }))),
    );
    assert.ok((a.state as { oobScore: number }).oobScore > 0.7);
  });
});
