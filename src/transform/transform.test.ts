// Transformers fit on training rows only and replay identically; the pipeline is one plain-data state whose
// decoded copy scores byte-identically to the in-memory pipeline.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { categoricalFrom, Frame, numericFrom } from '../data/index.ts';
import { decodeArtifact, encodeArtifact, type Learner } from '../estimator/index.ts';
import { createLearner, predictorFor } from '../models/index.ts';
import {
  applyTransforms,
  compileScorer,
  frameRecords,
  inferTask,
  oneHotEncoder,
  type PipelineState,
  pipeline,
  scorePipeline,
  simpleImputer,
  standardScaler,
} from './index.ts';

const train = new Frame([
  numericFrom('x', [1, 2, null, 4, 100]),
  categoricalFrom('c', ['a', 'b', 'a', null, 'c']),
]);

describe('transformers', () => {
  it('impute: median for numbers, most frequent for categories, from the fitted rows', () => {
    const s = simpleImputer().fit(train);
    const out = applyTransforms([s], train);
    assert.equal(out.cell(2, 'x'), 3); // median of 1, 2, 4, 100
    assert.equal(out.cell(3, 'c'), 'a');
    // applied to other rows, the fitted values are used, not theirs
    const other = new Frame([numericFrom('x', [null, 1000]), categoricalFrom('c', [null, 'zzz'])]);
    const o2 = applyTransforms([s], other);
    assert.equal(o2.cell(0, 'x'), 3);
    assert.equal(o2.cell(0, 'c'), 'a');
  });

  it('standard scale: population std, constant columns left at scale 1', () => {
    const f = new Frame([numericFrom('x', [1, 2, 3, 4]), numericFrom('k', [5, 5, 5, 5])]);
    const out = applyTransforms([standardScaler().fit(f)], f);
    const sd = Math.sqrt(1.25);
    assert.equal(out.cell(0, 'x'), (1 - 2.5) / sd);
    assert.equal(out.cell(0, 'k'), 0);
  });

  it('one-hot: sorted categories, unseen and missing values all zeros', () => {
    const s = oneHotEncoder().fit(train);
    const other = new Frame([numericFrom('x', [1, 2, 3]), categoricalFrom('c', ['c', 'new', null])]);
    const out = applyTransforms([s], other);
    assert.deepEqual(out.names, ['x', 'c=a', 'c=b', 'c=c']);
    assert.deepEqual(out.toRecords(), [
      { x: 1, 'c=a': 0, 'c=b': 0, 'c=c': 1 },
      { x: 2, 'c=a': 0, 'c=b': 0, 'c=c': 0 },
      { x: 3, 'c=a': 0, 'c=b': 0, 'c=c': 0 },
    ]);
  });

  it('infers the task from the target', () => {
    assert.equal(inferTask(categoricalFrom('t', ['a', 'b', 'a'])), 'binary');
    assert.equal(inferTask(categoricalFrom('t', ['a', 'b', 'c'])), 'multiclass');
    assert.equal(inferTask(numericFrom('t', [0, 1, 1])), 'binary');
    assert.equal(inferTask(numericFrom('t', [1, 2, 3, 2])), 'multiclass');
    assert.equal(inferTask(numericFrom('t', [1.5, 2.25, 3.1, 8])), 'regression');
  });
});

function toyData(n: number): Frame {
  const xs: number[] = [];
  const cs: (string | null)[] = [];
  const ys: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = ((i * 37) % 101) / 10;
    const c = ['red', 'green', 'blue'][i % 3];
    xs.push(x);
    cs.push(i % 17 === 0 ? null : c);
    ys.push(x + (c === 'red' ? 3 : 0) > 6 ? 'yes' : 'no');
  }
  return new Frame([numericFrom('x', xs), categoricalFrom('color', cs), categoricalFrom('label', ys)]);
}

describe('pipeline', () => {
  for (const kind of ['logistic_regression', 'gradient_boosting']) {
    it(`${kind}: the decoded artifact scores byte-identically to the fitted pipeline`, () => {
      const data = toyData(400);
      const learner: Learner = createLearner(
        kind,
        kind === 'gradient_boosting' ? { n_estimators: 20, min_samples_leaf: 5 } : {},
      );
      const fitted = pipeline([simpleImputer(), standardScaler(), oneHotEncoder()], learner).fit(
        data.take(range(0, 300)),
        'label',
      );
      assert.deepEqual(fitted.state.classes, ['no', 'yes']);
      const test = data.take(range(300, 400)).drop(['label']);
      const a = fitted.predict(test);
      const decoded = decodeArtifact<PipelineState>(encodeArtifact(fitted.state as never));
      const b = scorePipeline(decoded, test, predictorFor(decoded.model.kind));
      assert.deepEqual(
        Buffer.from((b.probabilities as Float64Array).buffer),
        Buffer.from((a.probabilities as Float64Array).buffer),
      );
      assert.deepEqual(b.labels, a.labels);
      const acc = (a.labels as string[]).filter((l, i) => l === data.cell(300 + i, 'label')).length / 100;
      assert.ok(acc > 0.85, `accuracy ${acc}`);
    });
  }

  it('the compiled scorer is bit-identical to the frame path, with missing and unseen values', () => {
    const data = toyData(400);
    for (const kind of ['logistic_regression', 'gradient_boosting']) {
      const fitted = pipeline(
        [simpleImputer(), standardScaler(), oneHotEncoder()],
        createLearner(kind, kind === 'gradient_boosting' ? { n_estimators: 15, min_samples_leaf: 5 } : {}),
      ).fit(data.take(range(0, 300)), 'label');
      const test = data.take(range(300, 400)).drop(['label']);
      const records = frameRecords(test, fitted.state.inputSchema);
      records[3].color = 'never-seen';
      records[4].x = null;
      const frame = new Frame([
        numericFrom(
          'x',
          records.map((r) => r.x as number | null),
        ),
        categoricalFrom(
          'color',
          records.map((r) => r.color as string | null),
        ),
      ]);
      const compiled = compileScorer(fitted.state, predictorFor(kind));
      assert.ok(compiled, 'these steps compile');
      const a = compiled.scoreRecords(records);
      const b = scorePipeline(fitted.state, frame, predictorFor(kind));
      assert.deepEqual(
        Buffer.from((a.probabilities as Float64Array).buffer),
        Buffer.from((b.probabilities as Float64Array).buffer),
      );
      assert.deepEqual(a.labels, b.labels);
    }
  });

  it('refuses a target with one class and a categorical regression target', () => {
    const one = new Frame([numericFrom('x', [1, 2, 3]), categoricalFrom('y', ['a', 'a', 'a'])]);
    assert.throws(() => pipeline([], createLearner('logistic')).fit(one, 'y'), /only one class/);
    const cat = new Frame([numericFrom('x', [1, 2, 3]), categoricalFrom('y', ['a', 'b', 'a'])]);
    assert.throws(
      () => pipeline([], createLearner('ridge')).fit(cat, 'y', { task: 'regression' }),
      /categorical/,
    );
  });

  it('says which step is missing when a category reaches the model', () => {
    assert.throws(() => pipeline([simpleImputer()], createLearner('logistic')).fit(toyData(50), 'label'), {
      code: 'TRANSFORM_NOT_NUMERIC',
    });
  });
});

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}
