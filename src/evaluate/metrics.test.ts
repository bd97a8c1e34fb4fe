// Metrics against scikit-learn: values stored in test/fixtures/metrics-sklearn.json, made by
// scripts/fixtures/make_metrics_fixture.py (Debian python3-sklearn) from inputs written by metrics-inputs.ts.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import {
  accuracy,
  averagePrecision,
  classificationMetrics,
  logLoss,
  logLossBinary,
  macroPrecisionRecallF1,
  precisionRecallF1,
  randomSplit,
  regressionMetrics,
  rocAuc,
  rocAucOvr,
  stratifiedSplit,
} from './index.ts';

const fixture = JSON.parse(
  fs.readFileSync(new URL('../../test/fixtures/metrics-sklearn.json', import.meta.url), 'utf8'),
);
const TOL = 1e-9;

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= TOL, `${what}: keel ${actual} vs scikit-learn ${expected}`);
}

function binaryChecks(name: string, y: number[], p: number[], w?: number[]): void {
  const e = fixture.cases[name].expected;
  const pred = p.map((v) => (v >= 0.5 ? 1 : 0));
  close(rocAuc(y, p, w), e.roc_auc, `${name} roc_auc`);
  close(averagePrecision(y, p, w), e.pr_auc, `${name} pr_auc`);
  close(logLossBinary(y, p, w), e.log_loss, `${name} log_loss`);
  close(accuracy(y, pred, w), e.accuracy, `${name} accuracy`);
  const prf = precisionRecallF1(y, pred, 1, w);
  close(prf.precision, e.precision, `${name} precision`);
  close(prf.recall, e.recall, `${name} recall`);
  close(prf.f1, e.f1, `${name} f1`);
}

describe('metrics agree with scikit-learn to 1e-9', () => {
  it('on the quickstart boosted model predictions for held-out Adult', () => {
    const c = fixture.cases.adult_boosting.input;
    assert.equal(c.y_true.length, 8140);
    binaryChecks('adult_boosting', c.y_true, c.p1);
    // the report the CLI prints computes the same numbers from rows × 2 probabilities
    const probs = new Float64Array(c.p1.length * 2);
    c.p1.forEach((v: number, i: number) => {
      probs[2 * i] = 1 - v;
      probs[2 * i + 1] = v;
    });
    const report = classificationMetrics(c.y_true, probs, 2);
    close(report.roc_auc, fixture.cases.adult_boosting.expected.roc_auc, 'report roc_auc');
    close(report.log_loss, fixture.cases.adult_boosting.expected.log_loss, 'report log_loss');
  });

  it('with many tied scores, unweighted and weighted', () => {
    const c = fixture.cases.ties.input;
    binaryChecks('ties', c.y_true, c.score);
    binaryChecks('ties_weighted', c.y_true, c.score, c.weight);
  });

  it('for three classes (one-vs-rest macro ROC-AUC, log loss, macro P/R/F1)', () => {
    const c = fixture.cases.multiclass.input;
    const e = fixture.cases.multiclass.expected;
    const K = 3;
    const probs = Float64Array.from(c.proba.flat());
    const pred = c.proba.map((row: number[]) => row.indexOf(Math.max(...row)));
    close(rocAucOvr(c.y_true, probs, K), e.roc_auc_ovr_macro, 'roc_auc ovr');
    close(logLoss(c.y_true, probs, K), e.log_loss, 'log_loss');
    close(logLoss(c.y_true, probs, K, c.weight), e.log_loss_weighted, 'weighted log_loss');
    close(accuracy(c.y_true, pred), e.accuracy, 'accuracy');
    const m = macroPrecisionRecallF1(c.y_true, pred, K);
    close(m.precision, e.precision_macro, 'precision macro');
    close(m.recall, e.recall_macro, 'recall macro');
    close(m.f1, e.f1_macro, 'f1 macro');
  });

  it('clips probabilities of 0 and 1 in log loss as scikit-learn does', () => {
    const c = fixture.cases.extreme.input;
    close(logLossBinary(c.y_true, c.p1), fixture.cases.extreme.expected.log_loss, 'extreme log_loss');
  });
});

describe('metric edge cases', () => {
  it('refuses ROC-AUC with one class present', () => {
    assert.throws(() => rocAuc([1, 1, 1], [0.2, 0.5, 0.9]), { code: 'EVALUATE_UNDEFINED' });
  });

  it('refuses weights of the wrong length', () => {
    assert.throws(() => accuracy([1, 0], [1, 0], [1]), { code: 'EVALUATE_BAD_INPUT' });
  });

  it('computes regression metrics', () => {
    const m = regressionMetrics([1, 2, 3, 4], [1, 2, 3, 5]);
    assert.equal(m.mae, 0.25);
    assert.equal(m.rmse, 0.5);
    assert.equal(m.r2, 1 - 1 / 5);
  });
});

describe('splits', () => {
  const labels = Array.from({ length: 1000 }, (_, i) => (i % 10 < 3 ? 1 : 0));

  it('stratified split: disjoint, complete, each class split in proportion', () => {
    const s = stratifiedSplit(labels, 0.25, 42);
    const all = new Set([...s.train, ...s.test]);
    assert.equal(all.size, labels.length);
    assert.equal(s.train.length + s.test.length, labels.length);
    const testPos = [...s.test].filter((i) => labels[i] === 1).length;
    assert.equal(testPos, Math.round(300 * 0.25));
    assert.equal(s.test.length, 75 + Math.round(700 * 0.25));
  });

  it('is seeded: same seed same split, other seed other split', () => {
    const a = stratifiedSplit(labels, 0.25, 42);
    const b = stratifiedSplit(labels, 0.25, 42);
    const c = stratifiedSplit(labels, 0.25, 43);
    assert.deepEqual([...a.test], [...b.test]);
    assert.notDeepEqual([...a.test], [...c.test]);
  });

  it('random split covers every row once and refuses a bad size', () => {
    const s = randomSplit(101, 0.3, 1);
    assert.equal(new Set([...s.train, ...s.test]).size, 101);
    assert.equal(s.test.length, 30);
    assert.throws(() => randomSplit(10, 1.5, 1), { code: 'EVALUATE_BAD_SPLIT' });
  });
});
