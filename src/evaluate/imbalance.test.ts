// Imbalanced data: over/under sampling and SMOTE(-NC) invariants, threshold tuning against a brute-force scan, and
// calibration against scikit-learn (isotonic exactly, Platt to its optimiser's precision).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { createRng, isKeelError } from '../core/index.ts';
import { categoricalFrom, Frame, numericFrom } from '../data/index.ts';
import {
  applyCalibrator,
  fitIsotonic,
  fitPlatt,
  logLossBinary,
  randomOverSample,
  randomUnderSample,
  smote,
  tuneThreshold,
} from './index.ts';

function imbalanced(n: number, seed: number): Frame {
  const rng = createRng(seed);
  const y = Array.from({ length: n }, () => (rng.next() < 0.1 ? 1 : 0));
  return new Frame([
    numericFrom(
      'a',
      y.map((t) => t * 3 + rng.normal()),
    ),
    numericFrom(
      'b',
      y.map((t) => (rng.next() < 0.1 ? null : t + rng.normal())),
    ),
    categoricalFrom(
      'colour',
      y.map((t) => (t ? (rng.next() < 0.8 ? 'red' : 'blue') : ['red', 'blue', 'green'][rng.int(3)])),
    ),
    numericFrom('y', y),
  ]);
}

function classCounts(f: Frame): [number, number] {
  const y = (f.column('y') as { values: Float64Array }).values;
  let pos = 0;
  for (const v of y) pos += v;
  return [y.length - pos, pos];
}

describe('resampling', () => {
  const frame = imbalanced(1000, 1);
  const [neg, pos] = classCounts(frame);

  it('over-sampling balances the classes and keeps every original row first', () => {
    const out = randomOverSample(frame, 'y', { seed: 2 });
    assert.deepEqual(classCounts(out), [neg, neg]);
    assert.deepEqual(
      Array.from((out.column('a') as { values: Float64Array }).values.subarray(0, 1000)),
      Array.from((frame.column('a') as { values: Float64Array }).values),
    );
  });

  it('under-sampling keeps the minority and a same-sized sample of the majority', () => {
    const out = randomUnderSample(frame, 'y', { seed: 2 });
    assert.deepEqual(classCounts(out), [pos, pos]);
  });

  it('SMOTE-NC adds minority rows between minority neighbours, categories from the neighbours', () => {
    const out = smote(frame, 'y', { seed: 3, ratio: 0.5 });
    const [n0, n1] = classCounts(out);
    assert.equal(n0, neg);
    assert.equal(n1, Math.floor(neg * 0.5));
    const a = (out.column('a') as { values: Float64Array }).values;
    const y = (frame.column('y') as { values: Float64Array }).values;
    const aOrig = (frame.column('a') as { values: Float64Array }).values;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < 1000; i++) {
      if (y[i] !== 1) continue;
      lo = Math.min(lo, aOrig[i]);
      hi = Math.max(hi, aOrig[i]);
    }
    for (let i = 1000; i < out.nRows; i++)
      assert.ok(a[i] >= lo && a[i] <= hi, 'synthetic values lie within the class range');
    const colour = out.column('colour') as { codes: Int32Array; levels: string[] };
    let red = 0;
    for (let i = 1000; i < out.nRows; i++) red += colour.levels[colour.codes[i]] === 'red' ? 1 : 0;
    assert.ok(red / (out.nRows - 1000) > 0.7, 'the minority class is mostly red, so are its synthetic rows');
    const b = (out.column('b') as { values: Float64Array }).values;
    // a missing parent value is filled from the other parent; only rows with both parents missing stay missing
    const missing = Array.from(b.subarray(1000)).filter((v) => Number.isNaN(v)).length;
    assert.ok(missing / (out.nRows - 1000) < 0.05, `${missing} synthetic rows miss b`);
  });

  it('is deterministic per seed and rejects a class too small to interpolate', () => {
    const a1 = smote(frame, 'y', { seed: 5 });
    const a2 = smote(frame, 'y', { seed: 5 });
    assert.deepEqual(
      (a1.column('a') as { values: Float64Array }).values,
      (a2.column('a') as { values: Float64Array }).values,
    );
    const tiny = new Frame([numericFrom('a', [1, 2, 3, 4]), numericFrom('y', [0, 0, 0, 1])]);
    assert.throws(
      () => smote(tiny, 'y'),
      (e) => isKeelError(e, 'EVALUATE_BAD_INPUT'),
    );
  });
});

describe('threshold tuning', () => {
  it('finds the F1-best and the cost-best threshold that a brute-force scan finds', () => {
    for (let seed = 0; seed < 20; seed++) {
      const rng = createRng(seed);
      const n = 50 + rng.int(200);
      const y = Array.from({ length: n }, () => (rng.next() < 0.2 ? 1 : 0));
      const s = y.map((t) => Math.round((t * 0.4 + rng.next()) * 20) / 20);
      const cost = { fp: 1, fn: 5 };
      const brute = (thr: number) => {
        let tp = 0;
        let fp = 0;
        let fn = 0;
        for (let i = 0; i < n; i++) {
          const p = s[i] >= thr;
          if (p && y[i]) tp++;
          else if (p) fp++;
          else if (y[i]) fn++;
        }
        return { f1: (2 * tp) / (2 * tp + fp + fn || 1), cost: (fp * cost.fp + fn * cost.fn) / n };
      };
      const candidates = [...new Set(s)];
      const bestF1 = Math.max(...candidates.map((t) => brute(t).f1));
      const bestCost = Math.min(brute(Infinity).cost, ...candidates.map((t) => brute(t).cost));
      const f = tuneThreshold(y, s);
      assert.ok(Math.abs(f.value - bestF1) < 1e-12 && Math.abs(brute(f.threshold).f1 - bestF1) < 1e-12);
      const c = tuneThreshold(y, s, { cost });
      assert.ok(Math.abs(c.value - bestCost) < 1e-12 && Math.abs(brute(c.threshold).cost - bestCost) < 1e-12);
    }
  });
});

describe('calibration vs scikit-learn', () => {
  const fx = JSON.parse(
    fs.readFileSync(new URL('../../test/fixtures/calibration-sklearn.json', import.meta.url), 'utf8'),
  );

  it('isotonic regression (plain and weighted) matches IsotonicRegression within 1e-9', () => {
    for (const [key, w] of [
      ['isotonic', undefined],
      ['isotonic_weighted', fx.weight],
    ] as const) {
      const state = fitIsotonic(fx.score, fx.y, w);
      fx.grid.forEach((g: number, i: number) => {
        const v = applyCalibrator(state, g);
        assert.ok(Math.abs(v - fx[key][i]) < 1e-9, `${key} at ${g}: ${v} vs ${fx[key][i]}`);
      });
    }
  });

  it('Platt scaling matches scikit-learn’s sigmoid calibration and improves the log loss of raw scores', () => {
    const state = fitPlatt(fx.score, fx.y);
    assert.equal(state.kind, 'platt');
    if (state.kind !== 'platt') return;
    assert.ok(Math.abs(state.a - fx.platt.a) < 1e-5, `a ${state.a} vs ${fx.platt.a}`);
    assert.ok(Math.abs(state.b - fx.platt.b) < 1e-5, `b ${state.b} vs ${fx.platt.b}`);
    const squashed = fx.score.map((s: number) => 1 / (1 + Math.exp(-s)));
    const calibrated = fx.score.map((s: number) => applyCalibrator(state, s));
    assert.ok(logLossBinary(fx.y, calibrated) < logLossBinary(fx.y, squashed));
  });
});
