// The family list is the one source of every kind: the predictor table covers the same kinds, aliases are unique,
// search spaces name real params inside their ranges, and the dummy baseline answers the prior or the mean.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../core/index.ts';
import type { Matrix } from '../estimator/index.ts';
import { createLearner, FAMILY_LIST, familyOf, modelKinds, predictors } from './index.ts';

describe('model families', () => {
  it('every descriptor has a predictor that scores its fitted state, and every predictor a descriptor', () => {
    assert.deepEqual([...modelKinds].sort(), Object.keys(predictors).sort());
    const rng = createRng(3);
    const X: Matrix = { data: Float64Array.from({ length: 300 }, () => rng.normal()), rows: 100, cols: 3 };
    const y = Float64Array.from({ length: 100 }, (_, i) => (X.data[3 * i] > 0 ? 1 : 0));
    for (const d of FAMILY_LIST) {
      const task = d.tasks.includes('binary') ? 'binary' : 'regression';
      const quick =
        d.kind === 'gradient_boosting'
          ? { n_estimators: 5 }
          : d.kind.endsWith('forest') || d.kind === 'extra_trees'
            ? { n_estimators: 3 }
            : d.kind === 'mlp'
              ? { max_epochs: 2 }
              : {};
      const Xin = d.kind === 'categorical_nb' ? { ...X, data: X.data.map((v) => (v > 0 ? 1 : 0)) } : X;
      const m = createLearner(d.kind, quick).fit(Xin, y, task, task === 'binary' ? 2 : 0);
      assert.deepEqual(predictors[d.kind](m.state, Xin).values, m.predict(Xin).values, d.kind);
    }
  });

  it('short names are unique, never a kind, and resolve to their family', () => {
    const seen = new Set(modelKinds);
    for (const d of FAMILY_LIST) {
      for (const a of d.aliases ?? []) {
        assert.ok(!seen.has(a), `alias ${a} taken twice`);
        seen.add(a);
        assert.equal(familyOf(a).kind, d.kind);
      }
    }
    assert.throws(() => familyOf('no_such_model'), { code: 'ESTIMATOR_UNKNOWN_KIND' });
  });

  it("search spaces name each family's own params, inside the spec's range, and conditions on earlier params", () => {
    for (const d of FAMILY_LIST) {
      const names = Object.keys(d.searchSpace ?? {});
      for (const [i, [name, p]] of Object.entries(d.searchSpace ?? {}).entries()) {
        const spec = d.params[name];
        assert.ok(spec, `${d.kind}: ${name} is not a param`);
        if (p.when) assert.ok(names.indexOf(p.when.param) < i, `${d.kind}: ${name} depends on a later param`);
        if (p.type === 'categorical') {
          if (spec.type === 'enum')
            for (const c of p.choices) assert.ok(spec.values.includes(c), `${d.kind}.${name}=${c}`);
        } else {
          assert.equal(spec.type, 'number', `${d.kind}.${name}`);
          if (spec.type === 'number') {
            assert.ok(spec.min === undefined || p.low >= spec.min, `${d.kind}.${name} low`);
            assert.ok(spec.max === undefined || p.high <= spec.max, `${d.kind}.${name} high`);
          }
        }
      }
    }
  });

  it('the dummy baseline answers the weighted class prior, the uniform split, the mean and the median', () => {
    const X: Matrix = { data: new Float64Array(10), rows: 5, cols: 2 };
    const y = Float64Array.of(0, 1, 1, 2, 1);
    const w = Float64Array.of(1, 1, 1, 1, 6);
    const prior = createLearner('baseline').fit(X, y, 'multiclass', 3, { sampleWeight: w }).predict(X).values;
    assert.deepEqual(Array.from(prior.subarray(0, 3)), [0.1, 0.8, 0.1]);
    assert.deepEqual(Array.from(prior.subarray(12, 15)), [0.1, 0.8, 0.1]);
    const uniform = createLearner('dummy', { strategy: 'uniform' })
      .fit(X, y, 'multiclass', 3)
      .predict(X).values;
    assert.deepEqual(Array.from(uniform.subarray(0, 3)), [1 / 3, 1 / 3, 1 / 3]);
    const target = Float64Array.of(1, 2, 3, 4, 100);
    assert.deepEqual(
      Array.from(createLearner('dummy').fit(X, target, 'regression', 0).predict(X).values),
      [22, 22, 22, 22, 22],
    );
    const median = createLearner('dummy', { strategy: 'median' })
      .fit(X, target, 'regression', 0)
      .predict(X).values;
    assert.equal(median[0], 3);
    assert.throws(() => createLearner('dummy', { strategy: 'mean' }).fit(X, y, 'binary', 2), {
      code: 'ESTIMATOR_BAD_PARAM',
    });
  });
});
