// Splits and cross-validation folds, property-tested over many seeded random inputs: every row used exactly once per
// split, no overlap, stratification within one row per class, no group on both sides, time order respected; and
// crossValidate fitting (and resampling) on training rows only.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng, isKeelError } from '../core/index.ts';
import { categoricalFrom, Frame, numericFrom } from '../data/index.ts';
import {
  crossValidate,
  type Fold,
  type FrameLearner,
  groupKFold,
  groupSplit,
  kFold,
  learningCurve,
  metricsBySlice,
  repeatedKFold,
  stratifiedKFold,
  stratifiedSplit,
  timeSeriesFolds,
  timeSplit,
  trainValidationTestSplit,
} from './index.ts';

const CASES = 60;

function randomLabels(seed: number): number[] {
  const rng = createRng(seed);
  const n = 20 + rng.int(300);
  const K = 2 + rng.int(4);
  // skewed class shares, a rare class included
  return Array.from({ length: n }, () => Math.min(K - 1, Math.floor(rng.next() ** 2 * K)));
}

function assertPartition(parts: ArrayLike<number>[], n: number, what: string): void {
  const seen = new Uint8Array(n);
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      assert.equal(seen[p[i]], 0, `${what}: row ${p[i]} on two sides`);
      seen[p[i]] = 1;
    }
  }
  assert.ok(
    seen.every((v) => v === 1),
    `${what}: a row is on no side`,
  );
}

function countsByClass(labels: number[], rows: ArrayLike<number>): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) m.set(labels[rows[i]], (m.get(labels[rows[i]]) ?? 0) + 1);
  return m;
}

describe('split and fold invariants (property tests)', () => {
  it('k-fold and stratified k-fold: a partition per fold, test sets partition the rows, strata within one row', () => {
    for (let c = 0; c < CASES; c++) {
      const labels = randomLabels(c);
      const n = labels.length;
      const k = 2 + (c % 5);
      for (const folds of [kFold(n, k, { seed: c }), stratifiedKFold(labels, k, { seed: c })]) {
        assert.equal(folds.length, k);
        for (const f of folds) assertPartition([f.train, f.test], n, `case ${c}`);
        assertPartition(
          folds.map((f) => f.test),
          n,
          `case ${c} tests`,
        );
        const sizes = folds.map((f) => f.test.length);
        assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `case ${c}: fold sizes ${sizes}`);
      }
      const strat = stratifiedKFold(labels, k, { seed: c });
      const classes = [...new Set(labels)];
      for (const cl of classes) {
        const perFold = strat.map((f) => countsByClass(labels, f.test).get(cl) ?? 0);
        assert.ok(Math.max(...perFold) - Math.min(...perFold) <= 1, `case ${c} class ${cl}: ${perFold}`);
      }
    }
  });

  it('stratified split keeps each class share within one row', () => {
    for (let c = 0; c < CASES; c++) {
      const labels = randomLabels(100 + c);
      const s = stratifiedSplit(labels, 0.3, c);
      assertPartition([s.train, s.test], labels.length, `case ${c}`);
      const all = countsByClass(labels, Int32Array.from(labels.keys()));
      const test = countsByClass(labels, s.test);
      for (const [cl, total] of all)
        assert.ok(Math.abs((test.get(cl) ?? 0) - 0.3 * total) <= 1, `class ${cl}`);
    }
  });

  it('group split and group k-fold never put a group on both sides', () => {
    for (let c = 0; c < CASES; c++) {
      const rng = createRng(200 + c);
      const n = 30 + rng.int(300);
      const nGroups = 5 + rng.int(30);
      const groups = Array.from({ length: n }, () => `g${Math.floor(rng.next() ** 1.5 * nGroups)}`);
      const distinct = new Set(groups).size;
      const s = groupSplit(groups, 0.25, c);
      assertPartition([s.train, s.test], n, `case ${c}`);
      const trainGroups = new Set(Array.from(s.train, (i) => groups[i]));
      for (const i of s.test) assert.ok(!trainGroups.has(groups[i]), `group ${groups[i]} on both sides`);
      const k = Math.min(distinct, 2 + (c % 4));
      const folds = groupKFold(groups, k);
      assertPartition(
        folds.map((f) => f.test),
        n,
        `case ${c} group folds`,
      );
      for (const f of folds) {
        const tg = new Set(Array.from(f.test, (i) => groups[i]));
        for (const i of f.train) assert.ok(!tg.has(groups[i]));
      }
    }
  });

  it('time split and time-series folds: training strictly before test, with the gap kept', () => {
    for (let c = 0; c < CASES; c++) {
      const rng = createRng(300 + c);
      const n = 40 + rng.int(300);
      // times with ties, in shuffled row order
      const times = Array.from({ length: n }, () => rng.int(Math.max(5, n >> 2)));
      const gap = c % 3;
      const s = timeSplit(times, 0.2, { gap });
      const maxTrain = Math.max(...Array.from(s.train, (i) => times[i]));
      const minTest = Math.min(...Array.from(s.test, (i) => times[i]));
      assert.ok(maxTrain < minTest, `case ${c}: train ${maxTrain} vs test ${minTest}`);
      assert.equal(s.train.length + s.test.length + gapRows(times, s), n);
      for (const window of ['expanding', 'sliding'] as const) {
        const folds = timeSeriesFolds(times, { splits: 3, gap, window, trainSize: 10 });
        let prevTestStart = -Infinity;
        for (const f of folds) {
          const tr = Array.from(f.train, (i) => times[i]);
          const te = Array.from(f.test, (i) => times[i]);
          assert.ok(Math.max(...tr) < Math.min(...te), `case ${c} ${window}: overlap in time`);
          assert.ok(Math.min(...te) >= prevTestStart, 'test folds move forward');
          prevTestStart = Math.min(...te);
          if (window === 'sliding') assert.ok(f.train.length <= 10);
        }
        if (window === 'expanding') assert.ok(folds[2].train.length > folds[0].train.length);
      }
    }
  });

  it('train/validation/test: three disjoint sides covering every row, each kind of split', () => {
    for (let c = 0; c < 20; c++) {
      const labels = randomLabels(400 + c);
      const n = labels.length;
      const groups = labels.map((_, i) => i % 17);
      const times = labels.map((_, i) => i);
      for (const extra of [{}, { labels }, { groups }, { times }]) {
        const s = trainValidationTestSplit(n, { validation: 0.2, test: 0.2, seed: c, ...extra });
        assertPartition([s.train, s.validation, s.test], n, `case ${c}`);
      }
      const t = trainValidationTestSplit(n, { validation: 0.2, test: 0.2, times });
      assert.ok(
        Math.max(...t.train) < Math.min(...t.validation) && Math.max(...t.validation) < Math.min(...t.test),
      );
    }
  });

  it('repeated k-fold gives different folds per repeat; bad k is a coded error', () => {
    const folds = repeatedKFold(100, 5, 3, { seed: 1 });
    assert.equal(folds.length, 15);
    assert.notDeepEqual(folds[0].test, folds[5].test);
    assert.throws(
      () => kFold(10, 1),
      (e) => isKeelError(e, 'EVALUATE_BAD_SPLIT'),
    );
    assert.throws(
      () => kFold(3, 5),
      (e) => isKeelError(e, 'EVALUATE_BAD_SPLIT'),
    );
    assert.throws(
      () => groupKFold(['a', 'a', 'b'], 3),
      (e) => isKeelError(e, 'EVALUATE_BAD_SPLIT'),
    );
  });
});

function gapRows(times: number[], s: { train: Int32Array; test: Int32Array }): number {
  return times.length - s.train.length - s.test.length;
}

/** A tiny learner over frames that remembers the ids it was fitted on and predicts the training base rate. */
function spyLearner(
  seen: Set<number>[],
  weightsSeen: { ids: Float64Array; w?: Float64Array }[] = [],
): FrameLearner {
  return {
    fit(frame, target, options) {
      const ids = new Set(Array.from((frame.column('id') as { values: Float64Array }).values));
      seen.push(ids);
      weightsSeen.push({
        ids: (frame.column('id') as { values: Float64Array }).values,
        w: options?.sampleWeight,
      });
      const y = (frame.column(target) as { values: Float64Array }).values;
      const rate = y.reduce((a, b) => a + b, 0) / y.length;
      return {
        state: { task: 'binary', classes: [0, 1] },
        predict(f) {
          const x = (f.column('x') as { values: Float64Array }).values;
          // a usable score: x carries the signal
          return {
            probabilities: Float64Array.from({ length: f.nRows * 2 }, (_, j) =>
              j % 2 ? x[j >> 1] * rate : 1 - x[j >> 1] * rate,
            ),
          };
        },
      };
    },
  };
}

describe('crossValidate and curves', () => {
  const rng = createRng(9);
  const n = 300;
  const x = Array.from({ length: n }, () => rng.next());
  const y = x.map((v) => (v + 0.3 * rng.next() > 0.8 ? 1 : 0));
  const frame = new Frame([
    numericFrom(
      'id',
      x.map((_, i) => i),
    ),
    numericFrom('x', x),
    categoricalFrom(
      'region',
      x.map((_, i) => ['north', 'south', 'east'][i % 3]),
    ),
    numericFrom('y', y),
  ]);

  it('fits and resamples on each training fold only, and averages the folds', () => {
    const seen: Set<number>[] = [];
    const resampled: number[][] = [];
    const folds: Fold[] = stratifiedKFold(y, 5, { seed: 1 });
    const cv = crossValidate(spyLearner(seen), frame, 'y', folds, {
      resample: (train) => {
        resampled.push(Array.from((train.column('id') as { values: Float64Array }).values));
        return train;
      },
    });
    assert.equal(cv.folds.length, 5);
    folds.forEach((f, k) => {
      for (const i of f.test) {
        assert.ok(!seen[k].has(i), `fold ${k} fitted on test row ${i}`);
        assert.ok(!resampled[k].includes(i), `fold ${k} resampled test row ${i}`);
      }
      assert.equal(seen[k].size, f.train.length);
    });
    const mean = cv.folds.reduce((a, f) => a + f.metrics.roc_auc, 0) / 5;
    assert.ok(Math.abs(cv.mean.roc_auc - mean) < 1e-12);
    assert.ok(cv.mean.roc_auc > 0.8, `signal should be found: ${cv.mean.roc_auc}`);
  });

  it("hands each fold's fit its training rows' sample weights, and refuses weights it cannot line up", () => {
    const seen: Set<number>[] = [];
    const weightsSeen: { ids: Float64Array; w?: Float64Array }[] = [];
    // a weight that names its row: 1000 + id
    const sampleWeight = Float64Array.from({ length: n }, (_, i) => 1000 + i);
    const folds = kFold(n, 4, { seed: 3 });
    crossValidate(spyLearner(seen, weightsSeen), frame, 'y', folds, { sampleWeight });
    folds.forEach((f, k) => {
      const { ids, w } = weightsSeen[k];
      assert.equal(seen[k].size, f.train.length);
      // the weight at each position of the fold's frame is the weight of the row at that position
      assert.deepEqual(
        Array.from(w as Float64Array),
        Array.from(ids, (id) => 1000 + id),
      );
    });
    crossValidate(spyLearner([], weightsSeen), frame, 'y', folds);
    assert.equal(weightsSeen.at(-1)?.w, undefined);
    assert.throws(
      () => crossValidate(spyLearner([]), frame, 'y', folds, { sampleWeight: new Float64Array(n - 1) }),
      (e) => isKeelError(e, 'EVALUATE_BAD_INPUT') && /299 weights for 300 rows/.test((e as Error).message),
    );
    assert.throws(
      () => crossValidate(spyLearner([]), frame, 'y', folds, { sampleWeight, resample: (t) => t }),
      (e) => isKeelError(e, 'EVALUATE_BAD_INPUT') && /resample/.test((e as Error).message),
    );
  });

  it('learning curve reports growing training sizes and the train - validation gap', () => {
    const points = learningCurve(spyLearner([]), frame, 'y', kFold(n, 3, { seed: 2 }), {
      sizes: [0.2, 0.6, 1],
      metric: 'roc_auc',
    });
    assert.deepEqual(
      points.map((p) => p.x),
      [40, 120, 200],
    );
    for (const p of points) assert.ok(Math.abs(p.gap - (p.train.roc_auc - p.validation.roc_auc)) < 1e-12);
  });

  it('metrics by slice cover every level with its row count', () => {
    const model = spyLearner([]).fit(frame, 'y');
    const slices = metricsBySlice(model, frame, 'y', 'region');
    assert.deepEqual(slices.map((s) => s.slice).sort(), ['east', 'north', 'south']);
    assert.equal(
      slices.reduce((a, s) => a + s.rows, 0),
      n,
    );
    assert.throws(
      () => metricsBySlice(model, frame, 'y', 'x'),
      (e) => isKeelError(e, 'EVALUATE_BAD_INPUT'),
    );
  });
});
