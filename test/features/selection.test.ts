// Target-aware feature selection with real learners: permutation importance (once, and recursive elimination) and
// mutual information keep the informative columns of a seeded frame and drop the noise, inside a pipeline.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../../src/core/index.ts';
import { categoricalFrom, Frame, numericFrom } from '../../src/data/index.ts';
import { createLearner } from '../../src/models/index.ts';
import {
  importanceSelector,
  mutualInformation,
  mutualInfoSelector,
  pipeline,
  type Transformer,
} from '../../src/transform/index.ts';

function frame(regression: boolean): Frame {
  const rng = createRng(11);
  const n = 600;
  const cols: Record<string, number[]> = {};
  for (const name of ['signal_a', 'signal_b', 'noise_1', 'noise_2', 'noise_3', 'noise_4']) {
    cols[name] = Array.from({ length: n }, () => rng.normal());
  }
  const y = cols.signal_a.map((a, i) => 2 * a - 1.5 * cols.signal_b[i] + 0.3 * rng.normal());
  return new Frame([
    ...Object.entries(cols).map(([k, v]) => numericFrom(k, v)),
    regression
      ? numericFrom('y', y)
      : categoricalFrom(
          'y',
          y.map((v) => (v > 0 ? 'yes' : 'no')),
        ),
  ]);
}

function kept(step: Transformer, regression: boolean): string[] {
  const learner = createLearner(regression ? 'ridge' : 'logistic_regression');
  const fitted = pipeline([step], learner).fit(frame(regression), 'y', {
    task: regression ? 'regression' : 'binary',
  });
  return [...fitted.state.featureNames].sort();
}

describe('target-aware selection', () => {
  for (const regression of [false, true]) {
    const task = regression ? 'regression' : 'classification';
    it(`${task}: permutation importance keeps the two informative columns`, () => {
      const learner = createLearner(regression ? 'ridge' : 'logistic_regression');
      assert.deepEqual(kept(importanceSelector({ learner, keep: 2, seed: 1 }), regression), [
        'signal_a',
        'signal_b',
      ]);
      assert.deepEqual(kept(importanceSelector({ learner, keep: 2, recursive: true, seed: 1 }), regression), [
        'signal_a',
        'signal_b',
      ]);
    });
    it(`${task}: mutual information keeps them too`, () => {
      assert.deepEqual(kept(mutualInfoSelector({ keep: 2 }), regression), ['signal_a', 'signal_b']);
    });
  }

  it('mutual information is 0 for independent codes and ln 2 for a balanced copy', () => {
    const a = Int32Array.from({ length: 1000 }, (_, i) => i % 2);
    const b = Int32Array.from({ length: 1000 }, (_, i) => (i >> 1) % 2);
    assert.ok(Math.abs(mutualInformation(a, b)) < 1e-12);
    assert.ok(Math.abs(mutualInformation(a, a) - Math.LN2) < 1e-12);
  });
});
