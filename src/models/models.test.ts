// Model families: linear models against scikit-learn references (test/fixtures/linear-sklearn.json, made by
// scripts/fixtures/make_linear_fixture.py), boosting on real data for every task, determinism and param errors.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { readCsv } from '../data/index.ts';
import { encodeArtifact, type Matrix } from '../estimator/index.ts';
import { accuracy, r2Score, randomSplit, rocAuc } from '../evaluate/index.ts';
import { compiledRawScores, rawScores } from './boosting/predict.ts';
import type { BoostingState } from './boosting/state.ts';
import {
  createLearner,
  gradientBoosting,
  logisticRegression,
  predictorFor,
  ridgeRegression,
} from './index.ts';

const fx = JSON.parse(
  fs.readFileSync(new URL('../../test/fixtures/linear-sklearn.json', import.meta.url), 'utf8'),
);

function matrix(rows: number[][]): Matrix {
  return { data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0].length };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('linear models match scikit-learn', () => {
  const X = matrix(fx.iris.X);
  const y = Float64Array.from(fx.iris.y);

  it('multinomial logistic regression (C=1) on iris: probabilities within 1e-4', () => {
    const m = logisticRegression({ C: 1, max_iter: 2000, tol: 1e-10 }).fit(X, y, 'multiclass', 3);
    const out = m.predict(X);
    assert.equal(out.kind, 'probabilities');
    assert.ok(
      maxAbsDiff(out.values, fx.iris.multinomial_proba.flat()) < 1e-4,
      `diff ${maxAbsDiff(out.values, fx.iris.multinomial_proba.flat())}`,
    );
  });

  it('binary logistic regression (C=1): probabilities within 1e-4', () => {
    const yb = Float64Array.from(fx.iris.y, (v: number) => (v === 2 ? 1 : 0));
    const out = logisticRegression({ C: 1, max_iter: 2000, tol: 1e-10 }).fit(X, yb, 'binary', 2).predict(X);
    const p1 = Float64Array.from({ length: X.rows }, (_, i) => out.values[2 * i + 1]);
    assert.ok(maxAbsDiff(p1, fx.iris.binary_proba) < 1e-4, `diff ${maxAbsDiff(p1, fx.iris.binary_proba)}`);
  });

  it('ridge (alpha=1), with and without sample weights: coefficients within 1e-8', () => {
    const R = matrix(fx.regression.X);
    const yr = Float64Array.from(fx.regression.y);
    const s = ridgeRegression({ alpha: 1 }).fit(R, yr, 'regression', 0).state as {
      coef: Float64Array;
      intercept: number;
    };
    assert.ok(maxAbsDiff(s.coef, fx.regression.ridge_coef) < 1e-8);
    assert.ok(Math.abs(s.intercept - fx.regression.ridge_intercept) < 1e-8);
    const sw = ridgeRegression({ alpha: 1 }).fit(R, yr, 'regression', 0, {
      sampleWeight: Float64Array.from(fx.regression.weight),
    }).state as { coef: Float64Array; intercept: number };
    assert.ok(maxAbsDiff(sw.coef, fx.regression.ridge_weighted_coef) < 1e-8);
    assert.ok(Math.abs(sw.intercept - fx.regression.ridge_weighted_intercept) < 1e-8);
  });

  it('refuses missing values and the wrong task with coded errors', () => {
    const bad = { data: Float64Array.of(1, Number.NaN), rows: 1, cols: 2 };
    assert.throws(() => logisticRegression().fit(bad, Float64Array.of(1), 'binary', 2), {
      code: 'ESTIMATOR_BAD_INPUT',
    });
    assert.throws(() => ridgeRegression().fit(X, y, 'binary', 2), { code: 'ESTIMATOR_BAD_TASK' });
    assert.throws(() => createLearner('no_such_model'), { code: 'ESTIMATOR_UNKNOWN_KIND' });
  });
});

describe('gradient boosting', () => {
  it('multiclass on iris', () => {
    const X = matrix(fx.iris.X);
    const y = Float64Array.from(fx.iris.y);
    const m = gradientBoosting({ n_estimators: 30, min_samples_leaf: 3 }).fit(X, y, 'multiclass', 3);
    const out = m.predict(X);
    const pred = Float64Array.from({ length: X.rows }, (_, i) => {
      const row = out.values.subarray(3 * i, 3 * i + 3);
      return row.indexOf(Math.max(...row));
    });
    assert.ok(accuracy(y, pred) > 0.95);
    for (let i = 0; i < X.rows; i++)
      assert.ok(Math.abs(out.values[3 * i] + out.values[3 * i + 1] + out.values[3 * i + 2] - 1) < 1e-12);
  });

  it('regression on California housing beats the mean by a wide margin (held-out r2 > 0.75)', async () => {
    const data = await readCsv(
      new URL('../../../shared/datasets/california_housing.csv', import.meta.url).pathname,
    );
    const names = data.frame.names.filter(
      (n) => n !== 'median_house_value' && data.frame.column(n).type === 'numeric',
    );
    const n = data.frame.nRows;
    const X = { data: new Float64Array(n * names.length), rows: n, cols: names.length };
    names.forEach((name, j) => {
      const c = data.frame.column(name);
      if (c.type === 'categorical') return;
      for (let i = 0; i < n; i++) X.data[i * names.length + j] = c.values[i];
    });
    const yc = data.frame.column('median_house_value');
    const y = yc.type === 'categorical' ? new Float64Array(0) : yc.values;
    const split = randomSplit(n, 0.2, 42);
    const rowsOf = (idx: Int32Array) => {
      const d = new Float64Array(idx.length * X.cols);
      idx.forEach((r, k) => {
        d.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), k * X.cols);
      });
      return { data: d, rows: idx.length, cols: X.cols };
    };
    const train = rowsOf(split.train);
    const test = rowsOf(split.test);
    // the data has missing values (total_bedrooms): boosting routes them by a learned direction
    assert.ok([...X.data].some((v) => Number.isNaN(v)));
    const m = gradientBoosting({ n_estimators: 100 }).fit(
      train,
      Float64Array.from(split.train, (r) => y[r]),
      'regression',
      0,
    );
    const r2 = r2Score(
      Float64Array.from(split.test, (r) => y[r]),
      m.predict(test).values,
    );
    assert.ok(r2 > 0.75, `r2 ${r2}`);
  });

  it('learns from missingness itself (NaN routed by a learned default direction)', () => {
    const n = 400;
    const X = { data: new Float64Array(n * 2), rows: n, cols: 2 };
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const missing = i % 2 === 0;
      X.data[2 * i] = missing ? Number.NaN : (i % 7) / 7;
      X.data[2 * i + 1] = (i % 5) / 5;
      y[i] = missing ? 1 : 0;
    }
    const m = gradientBoosting({ n_estimators: 10, min_samples_leaf: 5 }).fit(X, y, 'binary', 2);
    const p1 = Float64Array.from({ length: n }, (_, i) => m.predict(X).values[2 * i + 1]);
    assert.equal(rocAuc(y, p1), 1);
  });

  it('is deterministic: same data and params give identical model bytes', () => {
    const X = matrix(fx.iris.X);
    const y = Float64Array.from(fx.iris.y, (v: number) => (v === 1 ? 1 : 0));
    const a = gradientBoosting({ n_estimators: 15 }).fit(X, y, 'binary', 2);
    const b = gradientBoosting({ n_estimators: 15 }).fit(X, y, 'binary', 2);
    assert.deepEqual(encodeArtifact(a.state), encodeArtifact(b.state));
    // and the registered predictor reproduces the fitted model's output
    assert.deepEqual(predictorFor('gradient_boosting')(a.state, X).values, a.predict(X).values);
  });

  it('compiled trees give bit-identical scores to the array walker, missing values included', () => {
    const n = 500;
    const X = { data: new Float64Array(n * 3), rows: n, cols: 3 };
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      X.data[3 * i] = i % 11 === 0 ? Number.NaN : (i % 17) / 3;
      X.data[3 * i + 1] = i % 7 === 0 ? Number.NaN : Math.sin(i);
      X.data[3 * i + 2] = (i * 31) % 13;
      y[i] = (X.data[3 * i + 2] > 6 ? 1 : 0) ^ (i % 11 === 0 ? 1 : 0);
    }
    for (const [task, K] of [
      ['binary', 2],
      ['regression', 0],
    ] as const) {
      const m = gradientBoosting({ n_estimators: 40, min_samples_leaf: 5 }).fit(X, y, task, K);
      const state = m.state as BoostingState;
      assert.deepEqual(
        Buffer.from(compiledRawScores(state, X).buffer),
        Buffer.from(rawScores(state, X).buffer),
      );
    }
  });

  it('refuses bad params naming them', () => {
    assert.throws(() => gradientBoosting({ learning_rate: 0 }), /learning_rate/);
    assert.throws(() => gradientBoosting({ max_leaves: 1 }), { code: 'ESTIMATOR_BAD_PARAM' });
    assert.throws(() => gradientBoosting({ max_bins: 300 }), { code: 'ESTIMATOR_BAD_PARAM' });
  });
});
