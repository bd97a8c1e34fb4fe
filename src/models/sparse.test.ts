// L1-penalised linear models against scikit-learn: Lasso and ElasticNet coefficients (weighted too) and L1 /
// elastic-net logistic regression (saga) — fixture test/fixtures/sparse-sklearn.json, made by
// scripts/fixtures/make_sparse_fixture.py with Debian's python3-sklearn.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import type { Matrix } from '../estimator/index.ts';
import { createLearner, elasticNetRegression, lassoRegression, logisticRegression } from './index.ts';

const fx = JSON.parse(
  fs.readFileSync(new URL('../../test/fixtures/sparse-sklearn.json', import.meta.url), 'utf8'),
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

describe('lasso and elastic net match scikit-learn', () => {
  const X = matrix(fx.regression.X);
  const y = Float64Array.from(fx.regression.y);
  const tight = { max_iter: 100_000, tol: 1e-12 };

  it('lasso (alpha 0.1): the same coefficients to 1e-7, the same zeros', () => {
    const s = lassoRegression({ alpha: 0.1, ...tight }).fit(X, y, 'regression', 0).state as {
      coef: Float64Array;
      intercept: number;
    };
    assert.ok(
      maxDiff(s.coef, fx.regression.lasso.coef) < 1e-7,
      `diff ${maxDiff(s.coef, fx.regression.lasso.coef)}`,
    );
    assert.ok(Math.abs(s.intercept - fx.regression.lasso.intercept) < 1e-7);
    fx.regression.lasso.coef.forEach((c: number, j: number) => {
      assert.equal(c === 0, s.coef[j] === 0, `zero pattern at ${j}`);
    });
  });

  it('elastic net (alpha 0.1, l1_ratio 0.3), with and without sample weights', () => {
    const a = elasticNetRegression({ alpha: 0.1, l1_ratio: 0.3, ...tight }).fit(X, y, 'regression', 0)
      .state as { coef: Float64Array; intercept: number };
    assert.ok(maxDiff(a.coef, fx.regression.enet.coef) < 1e-7);
    assert.ok(Math.abs(a.intercept - fx.regression.enet.intercept) < 1e-7);
    const b = elasticNetRegression({ alpha: 0.1, l1_ratio: 0.3, ...tight }).fit(X, y, 'regression', 0, {
      sampleWeight: Float64Array.from(fx.regression.weight),
    }).state as { coef: Float64Array; intercept: number };
    assert.ok(
      maxDiff(b.coef, fx.regression.enet_weighted.coef) < 1e-7,
      `diff ${maxDiff(b.coef, fx.regression.enet_weighted.coef)}`,
    );
    assert.ok(Math.abs(b.intercept - fx.regression.enet_weighted.intercept) < 1e-7);
  });

  it('is reachable by name and refuses bad params', () => {
    assert.equal(createLearner('elastic_net', { alpha: 0.5 }).kind, 'elastic_net');
    assert.throws(() => createLearner('lasso', { alpha: -1 }), /alpha/);
    assert.throws(() => createLearner('elastic_net', { l1_ratio: 2 }), /l1_ratio/);
  });
});

describe('L1 and elastic-net logistic regression match scikit-learn (saga)', () => {
  const X = matrix(fx.iris.X);
  const y = Float64Array.from(fx.iris.y);
  const tight = { max_iter: 50_000, tol: 1e-12 };

  it('binary L1 (C 0.5): probabilities within 1e-5, the zero coefficients zero', () => {
    const yb = Float64Array.from(fx.iris.y, (v: number) => (v === 2 ? 1 : 0));
    const m = logisticRegression({ penalty: 'l1', C: 0.5, ...tight }).fit(X, yb, 'binary', 2);
    const p1 = Float64Array.from({ length: X.rows }, (_, i) => m.predict(X).values[2 * i + 1]);
    assert.ok(maxDiff(p1, fx.iris.l1_binary.proba) < 1e-5, `diff ${maxDiff(p1, fx.iris.l1_binary.proba)}`);
    const coef = (m.state as { coef: Float64Array }).coef;
    fx.iris.l1_binary.coef.forEach((c: number, j: number) => {
      if (c === 0) assert.equal(coef[j], 0, `coefficient ${j} should be exactly zero`);
    });
  });

  for (const [name, params] of [
    ['l1_multi', { penalty: 'l1' }],
    ['en_multi', { penalty: 'elasticnet', l1_ratio: 0.5 }],
  ] as const) {
    it(`multinomial ${params.penalty}: probabilities within 1e-5`, () => {
      const m = logisticRegression({ ...params, C: 0.5, ...tight }).fit(X, y, 'multiclass', 3);
      const d = maxDiff(m.predict(X).values, fx.iris[name].proba.flat());
      assert.ok(d < 1e-5, `diff ${d}`);
    });
  }
});
