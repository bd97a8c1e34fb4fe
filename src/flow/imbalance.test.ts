// The job's split and imbalance options: group and time splits keep their promises, balanced weights balance, the
// decision rules pick the thresholds they name, and bad specs are coded errors.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng, isKeelError } from '../core/index.ts';
import { Frame } from '../data/index.ts';
import { balancedWeights, chooseDecision, parseSplit, splitColumnToDrop, splitRows } from './imbalance.ts';

function table(n: number): Frame {
  const rng = createRng(5);
  return new Frame([
    { name: 'x', type: 'numeric', values: Float64Array.from({ length: n }, () => rng.normal()) },
    { name: 'day', type: 'numeric', values: Float64Array.from({ length: n }, (_, i) => (i * 7919) % n) },
    {
      name: 'user',
      type: 'categorical',
      codes: Int32Array.from({ length: n }, (_, i) => i % 37),
      levels: Array.from({ length: 37 }, (_, k) => `u${k}`),
    },
    {
      name: 'y',
      type: 'categorical',
      codes: Int32Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0)),
      levels: ['no', 'yes'],
    },
  ]);
}

describe('split and imbalance options', () => {
  it('a group split puts every group on one side, and the group column leaves the features', () => {
    const f = table(1000);
    const s = splitRows(f, 'y', 'binary', 0.25, 1, parseSplit('group:user'));
    const groups = (fr: Frame) => new Set(Array.from((fr.column('user') as { codes: Int32Array }).codes));
    const train = groups(s.train);
    for (const g of groups(s.test)) assert.ok(!train.has(g), `group ${g} on both sides`);
    assert.ok(Math.abs(s.test.nRows - 250) < 60);
    assert.deepEqual(splitColumnToDrop(parseSplit('group:user')), ['user']);
  });

  it('a time split tests on the latest rows, with the gap left out', () => {
    const f = table(1000);
    const s = splitRows(f, 'y', 'binary', 0.2, 1, parseSplit('time:day:50'));
    const days = (fr: Frame) => Array.from((fr.column('day') as { values: Float64Array }).values);
    assert.ok(Math.max(...days(s.train)) < Math.min(...days(s.test)));
    assert.equal(s.test.nRows, 200);
    assert.equal(s.train.nRows, 750);
  });

  it('balanced weights give every class the same total weight', () => {
    const y = Float64Array.from({ length: 100 }, (_, i) => (i < 90 ? 0 : 1));
    const w = balancedWeights(y, 2);
    const total = (k: number) => w.reduce((s, v, i) => s + (y[i] === k ? v : 0), 0);
    assert.ok(Math.abs(total(0) - total(1)) < 1e-9);
    assert.ok(Math.abs(total(0) + total(1) - 100) < 1e-9);
  });

  it('decision rules: f1, youden and cost pick their thresholds; calibration maps scores monotonically', () => {
    const rng = createRng(9);
    const n = 2000;
    const y = Float64Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
    const p = Float64Array.from(y, (v) => Math.min(1, Math.max(0, 0.35 * v + 0.65 * rng.next())));
    const f1 = chooseDecision(y, p, { threshold: 'f1' });
    const youden = chooseDecision(y, p, { threshold: 'youden' });
    const cheapMisses = chooseDecision(y, p, { threshold: 'cost:5,1' });
    const costlyMisses = chooseDecision(y, p, { threshold: 'cost:1,5' });
    for (const d of [f1, youden, cheapMisses, costlyMisses])
      assert.ok((d.threshold as number) > 0 && (d.threshold as number) <= 1);
    assert.ok(
      (costlyMisses.threshold as number) < (cheapMisses.threshold as number),
      'costly misses: a lower threshold',
    );
    assert.equal(f1.rule, 'f1');
    const cal = chooseDecision(y, p, { calibrate: 'isotonic' });
    assert.equal(cal.calibrator?.kind, 'isotonic');
    assert.equal(cal.threshold, undefined);
  });

  it('bad split specs are coded errors', () => {
    for (const bad of ['group', 'time:', 'time:day:-1', 'kfold', 'random:x'])
      assert.throws(
        () => parseSplit(bad),
        (e) => isKeelError(e, 'FLOW_BAD_OPTION'),
        bad,
      );
    assert.throws(
      () => splitRows(table(100), 'y', 'binary', 0.2, 1, parseSplit('group:nope')),
      (e) => isKeelError(e, 'FLOW_BAD_COLUMN'),
    );
  });
});
