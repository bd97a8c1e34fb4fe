// Gradient boosting's options: regression losses (quantile, Poisson, absolute / Huber against outliers), balanced class
// weights, early stopping with the best round kept, row and column subsampling, the L1 penalty, and leaf values
// against the sums of the rows that reach them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../core/index.ts';
import { encodeArtifact, type Matrix } from '../estimator/index.ts';
import type { BoostingState } from './boosting/state.ts';
import { gradientBoosting } from './index.ts';

function data(n: number, seed: number, f: (x: number, rng: ReturnType<typeof createRng>) => number) {
  const rng = createRng(seed);
  const X: Matrix = { data: new Float64Array(n * 2), rows: n, cols: 2 };
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = rng.next() * 4 - 2;
    X.data[2 * i] = x;
    X.data[2 * i + 1] = rng.next();
    y[i] = f(x, rng);
  }
  return { X, y };
}

describe('boosting options', () => {
  it("every leaf's value is −G / (H + λ) × the learning rate over the rows that reach it, missing values either way", () => {
    // one round of squared loss (g = base − y, h = 1) to depth 2: the deepest leaves take their totals from their
    // parent's histogram (fit.ts's leftTotals), the others from their own
    const n = 3000;
    const rng = createRng(71);
    const X: Matrix = { data: new Float64Array(n * 2), rows: n, cols: 2 };
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = rng.normal();
      const b = rng.normal();
      y[i] = (a < 0 ? 5 : 0) + (b > 0.5 ? 2 : 0) + 0.3 * rng.normal();
      // missing where the target is high in one feature, low in the other: missing values go left and right
      X.data[2 * i] = y[i] > 4 && rng.next() < 0.3 ? Number.NaN : a;
      X.data[2 * i + 1] = y[i] < 1 && rng.next() < 0.3 ? Number.NaN : b;
    }
    const lambda = 1.5;
    const lr = 0.3;
    const m = gradientBoosting({ n_estimators: 1, max_depth: 2, learning_rate: lr, reg_lambda: lambda }).fit(
      X,
      y,
      'regression',
      0,
    );
    const s = m.state as BoostingState;
    assert.ok(s.missingLeft.includes(1) && s.feature.some((f, j) => f >= 0 && s.missingLeft[j] === 0));
    const base = s.baseScore[0];
    const sums = new Map<number, { g: number; h: number }>();
    for (let i = 0; i < n; i++) {
      let node = 0;
      while (s.feature[node] >= 0) {
        const v = X.data[2 * i + s.feature[node]];
        const left = Number.isNaN(v) ? s.missingLeft[node] === 1 : v <= s.threshold[node];
        node = left ? s.left[node] : s.right[node];
      }
      const t = sums.get(node) ?? { g: 0, h: 0 };
      t.g += base - y[i];
      t.h += 1;
      sums.set(node, t);
    }
    assert.equal(sums.size, 4, 'four leaves');
    for (const [node, { g, h }] of sums) {
      const want = (-g / (h + lambda)) * lr;
      assert.ok(Math.abs(s.value[node] - want) <= 1e-9 * Math.max(1, Math.abs(want)), `leaf ${node}`);
    }
  });

  it('quantile loss: about 90% of targets fall below the 0.9 quantile prediction', () => {
    const { X, y } = data(3000, 1, (x, r) => x + r.normal());
    const m = gradientBoosting({
      loss: 'quantile',
      quantile_alpha: 0.9,
      n_estimators: 100,
      min_samples_leaf: 40,
    }).fit(X, y, 'regression', 0);
    const pred = m.predict(X).values;
    const below = y.filter((v, i) => v <= pred[i]).length / y.length;
    assert.ok(Math.abs(below - 0.9) < 0.04, `share below ${below}`);
  });

  it('poisson loss: positive predictions whose mean matches the counts', () => {
    const { X, y } = data(3000, 2, (x, r) => {
      const mu = Math.exp(0.8 * x);
      let k = 0;
      let p = Math.exp(-mu);
      let s = p;
      const u = r.next();
      while (u > s && k < 200) {
        k++;
        p *= mu / k;
        s += p;
      }
      return k;
    });
    const m = gradientBoosting({ loss: 'poisson', n_estimators: 100 }).fit(X, y, 'regression', 0);
    const pred = m.predict(X).values;
    assert.ok(pred.every((v) => v > 0));
    const meanY = y.reduce((a, b) => a + b, 0) / y.length;
    const meanP = pred.reduce((a, b) => a + b, 0) / pred.length;
    assert.ok(Math.abs(meanP - meanY) / meanY < 0.05, `mean prediction ${meanP} vs mean count ${meanY}`);
    assert.equal((m.state as BoostingState).objective, 'poisson');
    assert.throws(
      () =>
        gradientBoosting({ loss: 'poisson' }).fit(
          X,
          Float64Array.from(y, (v) => v - 5),
          'regression',
          0,
        ),
      /non-negative/,
    );
  });

  it('absolute and Huber losses resist outliers that pull the squared loss away', () => {
    const clean = (x: number) => 2 * Math.sin(x);
    const { X, y } = data(3000, 3, (x, r) => clean(x) + 0.2 * r.normal() + (r.next() < 0.05 ? 50 : 0));
    const test = data(1000, 4, (x) => clean(x));
    const mae = (loss: string) => {
      const m = gradientBoosting({ loss, n_estimators: 150, min_samples_leaf: 30 }).fit(
        X,
        y,
        'regression',
        0,
      );
      const pred = m.predict(test.X).values;
      return test.y.reduce((a, v, i) => a + Math.abs(v - pred[i]), 0) / test.y.length;
    };
    const sq = mae('squared');
    assert.ok(mae('absolute') < sq / 2, `absolute vs squared ${mae('absolute')} / ${sq}`);
    assert.ok(mae('huber') < sq / 2, `huber vs squared ${mae('huber')} / ${sq}`);
  });

  it("balanced class weights raise the rare class's predicted probability", () => {
    const { X, y } = data(4000, 5, (x, r) => (x > 1.5 && r.next() < 0.6 ? 1 : r.next() < 0.02 ? 1 : 0));
    const pos = (m: ReturnType<ReturnType<typeof gradientBoosting>['fit']>) => {
      const p = m.predict(X).values;
      let s = 0;
      let c = 0;
      y.forEach((v, i) => {
        if (v === 1) {
          s += p[2 * i + 1];
          c++;
        }
      });
      return s / c;
    };
    const plain = pos(gradientBoosting({ n_estimators: 50 }).fit(X, y, 'binary', 2));
    const balanced = pos(
      gradientBoosting({ n_estimators: 50, class_weight: 'balanced' }).fit(X, y, 'binary', 2),
    );
    assert.ok(balanced > plain + 0.2, `balanced ${balanced} vs plain ${plain}`);
  });

  it('early stopping keeps the best round, with an internal hold-out or a given validation set', () => {
    const { X, y } = data(2000, 6, (x, r) => x + 2 * r.normal());
    const m = gradientBoosting({ n_estimators: 400, learning_rate: 0.3, early_stopping_rounds: 10 }).fit(
      X,
      y,
      'regression',
      0,
    );
    const s = m.state as BoostingState;
    assert.ok(s.bestIteration < 400, `best iteration ${s.bestIteration}`);
    assert.equal(s.nTrees, s.bestIteration);
    const v = data(500, 7, (x, r) => x + 2 * r.normal());
    const m2 = gradientBoosting({ n_estimators: 400, learning_rate: 0.3, early_stopping_rounds: 10 }).fit(
      X,
      y,
      'regression',
      0,
      { validation: v },
    );
    assert.ok((m2.state as BoostingState).bestIteration < 400);
  });

  it('row and column subsampling are seeded; the L1 penalty can flatten every leaf', () => {
    const { X, y } = data(1000, 8, (x) => (x > 0 ? 1 : 0));
    const fit = (seed: number) =>
      gradientBoosting({ n_estimators: 20, subsample: 0.7, colsample_bytree: 0.5, seed }).fit(
        X,
        y,
        'binary',
        2,
      );
    assert.deepEqual(encodeArtifact(fit(1).state), encodeArtifact(fit(1).state));
    assert.notDeepEqual(encodeArtifact(fit(1).state), encodeArtifact(fit(2).state));
    const p = fit(1).predict(X).values;
    const acc = y.filter((v, i) => (p[2 * i + 1] > 0.5 ? 1 : 0) === v).length / y.length;
    assert.ok(acc > 0.97, `accuracy ${acc}`);
    const flat = gradientBoosting({ n_estimators: 5, reg_alpha: 1e9 }).fit(X, y, 'binary', 2)
      .state as BoostingState;
    assert.ok(flat.value.every((v) => v === 0));
  });
});
