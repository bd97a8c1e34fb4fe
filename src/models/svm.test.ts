// The linear SVM against scikit-learn's LinearSVC (liblinear, dual coordinate descent): the same coefficients and
// intercepts for squared hinge and hinge, binary and one-vs-rest — fixture test/fixtures/svm-sklearn.json, made by
// scripts/fixtures/make_svm_fixture.py with Debian's python3-sklearn.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import type { Matrix } from '../estimator/index.ts';
import { createLearner, linearSvm } from './index.ts';
import type { SvmState } from './linear/state.ts';

const fx = JSON.parse(
  fs.readFileSync(new URL('../../test/fixtures/svm-sklearn.json', import.meta.url), 'utf8'),
);
const X: Matrix = { data: Float64Array.from(fx.X.flat()), rows: fx.X.length, cols: 4 };
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('linear SVM matches scikit-learn LinearSVC', () => {
  for (const loss of ['squared_hinge', 'hinge']) {
    it(`${loss}: binary and one-vs-rest coefficients within 1e-4`, () => {
      const tight = { C: 0.5, loss, tol: 1e-9, max_iter: 200_000 };
      const yb = Float64Array.from(fx.y, (v: number) => (v === 1 ? 1 : 0));
      const b = linearSvm(tight).fit(X, yb, 'binary', 2).state as SvmState;
      assert.ok(
        maxDiff(b.coef, fx[loss].binary.coef) < 1e-4,
        `binary coef diff ${maxDiff(b.coef, fx[loss].binary.coef)}`,
      );
      assert.ok(maxDiff(b.intercept, fx[loss].binary.intercept) < 1e-4);
      const m = linearSvm(tight).fit(X, Float64Array.from(fx.y), 'multiclass', 3);
      const s = m.state as SvmState;
      assert.ok(
        maxDiff(s.coef, fx[loss].multi.coef) < 1e-4,
        `multi coef diff ${maxDiff(s.coef, fx[loss].multi.coef)}`,
      );
      assert.ok(maxDiff(s.intercept, fx[loss].multi.intercept) < 1e-4);
      const probs = m.predict(X).values;
      for (let i = 0; i < X.rows; i++)
        assert.ok(Math.abs(probs[3 * i] + probs[3 * i + 1] + probs[3 * i + 2] - 1) < 1e-12);
    });
  }

  it('refuses regression and bad params', () => {
    assert.throws(() => linearSvm().fit(X, Float64Array.from(fx.y), 'regression', 0), {
      code: 'ESTIMATOR_BAD_TASK',
    });
    assert.throws(() => createLearner('svm', { loss: 'log' }), /loss/);
  });
});
