// Every metric of the evaluate room against scikit-learn within 1e-9: values in test/fixtures/metrics-more-sklearn.json,
// made by scripts/fixtures/make_metrics_more_fixture.py from inputs written by metrics-more-inputs.ts.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import {
  type Average,
  accuracy,
  averagePrecision,
  balancedAccuracy,
  brierScore,
  calibrationCurve,
  cohenKappa,
  confusionMatrix,
  logLoss,
  logLossBinary,
  matthewsCorrcoef,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanPinballLoss,
  meanPoissonDeviance,
  meanSquaredError,
  medianAbsoluteError,
  precisionRecallCurve,
  precisionRecallFscore,
  r2Score,
  rocAuc,
  rocAucOvr,
  rocCurve,
  rootMeanSquaredError,
} from './index.ts';

const fx = JSON.parse(
  fs.readFileSync(new URL('../../test/fixtures/metrics-more-sklearn.json', import.meta.url), 'utf8'),
);
const TOL = 1e-9;
const W: number[] = fx.input.weight;

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= TOL, `${what}: keel ${actual} vs scikit-learn ${expected}`);
}
function closeAll(actual: readonly number[], expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} points vs ${expected.length}`);
  actual.forEach((v, i) => {
    close(v, expected[i], `${what}[${i}]`);
  });
}

function labelChecks(name: string, y: number[], p: number[], binary: boolean): void {
  for (const wname of ['plain', 'weighted']) {
    const w = wname === 'weighted' ? W : undefined;
    const e = fx.expected[name][wname];
    const tag = `${name}/${wname}`;
    it(`${tag}: accuracy, balanced accuracy, MCC, kappa, confusion matrix`, () => {
      close(accuracy(y, p, w), e.accuracy, `${tag} accuracy`);
      close(balancedAccuracy(y, p, w), e.balanced_accuracy, `${tag} balanced_accuracy`);
      close(matthewsCorrcoef(y, p, w), e.mcc, `${tag} mcc`);
      close(cohenKappa(y, p, { sampleWeight: w }), e.kappa, `${tag} kappa`);
      close(cohenKappa(y, p, { sampleWeight: w, weights: 'linear' }), e.kappa_linear, `${tag} kappa linear`);
      close(
        cohenKappa(y, p, { sampleWeight: w, weights: 'quadratic' }),
        e.kappa_quadratic,
        `${tag} kappa quadratic`,
      );
      closeAll(
        Array.from(confusionMatrix(y, p, { sampleWeight: w }).counts),
        e.confusion,
        `${tag} confusion`,
      );
    });
    it(`${tag}: precision, recall, F1 and F2 for every average`, () => {
      const averages: Average[] = binary
        ? ['binary', 'macro', 'micro', 'weighted']
        : ['macro', 'micro', 'weighted'];
      for (const average of averages) {
        const s = precisionRecallFscore(y, p, { average, sampleWeight: w });
        const f2 = precisionRecallFscore(y, p, { average, sampleWeight: w, beta: 2 }).fbeta;
        close(s.precision, e[average].precision, `${tag} ${average} precision`);
        close(s.recall, e[average].recall, `${tag} ${average} recall`);
        close(s.f1, e[average].f1, `${tag} ${average} f1`);
        close(f2, e[average].f2, `${tag} ${average} f2`);
      }
    });
  }
}

describe('classification metrics vs scikit-learn (4 classes, one rare; weighted and not)', () => {
  const mc = fx.input.multiclass;
  labelChecks('multiclass', mc.y_true, mc.y_pred, false);
  it('one-vs-rest ROC-AUC (macro / weighted, with weights) and weighted log loss', () => {
    const P = Float64Array.from(mc.proba.flat());
    const e = fx.expected.multiclass;
    close(rocAucOvr(mc.y_true, P, mc.K, W), e.roc_auc_ovr_macro_weighted, 'ovr macro, weights');
    close(rocAucOvr(mc.y_true, P, mc.K, undefined, 'weighted'), e.roc_auc_ovr_weighted, 'ovr weighted');
    close(
      rocAucOvr(mc.y_true, P, mc.K, W, 'weighted'),
      e.roc_auc_ovr_weighted_weighted,
      'ovr weighted, weights',
    );
    close(logLoss(mc.y_true, P, mc.K, W), e.log_loss_weighted, 'log loss');
  });
});

describe('binary metrics and curves vs scikit-learn (20% positives, tied scores)', () => {
  const b = fx.input.binary;
  labelChecks('binary', b.y_true, b.y_pred, true);
  for (const wname of ['plain', 'weighted']) {
    const w = wname === 'weighted' ? W : undefined;
    const e = fx.expected.binary[wname];
    it(`${wname}: Brier, ROC-AUC, average precision, log loss, ROC and PR curves`, () => {
      close(brierScore(b.y_true, b.prob, w), e.brier, 'brier');
      close(rocAuc(b.y_true, b.prob, w), e.roc_auc, 'roc_auc');
      close(averagePrecision(b.y_true, b.prob, w), e.average_precision, 'average precision');
      close(logLossBinary(b.y_true, b.prob, w), e.log_loss, 'log loss');
      const roc = rocCurve(b.y_true, b.prob, { sampleWeight: w });
      closeAll(roc.fpr, e.roc_curve.fpr, 'roc fpr');
      closeAll(roc.tpr, e.roc_curve.tpr, 'roc tpr');
      closeAll(roc.thresholds.slice(1), e.roc_curve.thresholds, 'roc thresholds');
      const all = rocCurve(b.y_true, b.prob, { sampleWeight: w, dropIntermediate: false });
      closeAll(all.fpr, e.roc_curve_all.fpr, 'roc (all) fpr');
      closeAll(all.tpr, e.roc_curve_all.tpr, 'roc (all) tpr');
      const pr = precisionRecallCurve(b.y_true, b.prob, w);
      closeAll(pr.precision, e.pr_curve.precision, 'pr precision');
      closeAll(pr.recall, e.pr_curve.recall, 'pr recall');
      closeAll(pr.thresholds, e.pr_curve.thresholds, 'pr thresholds');
    });
  }
  it('calibration curves on the Adult model (uniform and quantile bins) and its Brier score', () => {
    const a = fx.input.adult;
    close(brierScore(a.y_true, a.p1), fx.expected.adult.brier, 'adult brier');
    for (const strategy of ['uniform', 'quantile'] as const) {
      for (const bins of [5, 10]) {
        const c = calibrationCurve(a.y_true, a.p1, { bins, strategy });
        const e = fx.expected.adult[`calibration_${strategy}_${bins}`];
        closeAll(c.fractionPositive, e.fraction_positive, `${strategy} ${bins} fraction`);
        closeAll(c.meanPredicted, e.mean_predicted, `${strategy} ${bins} mean`);
      }
    }
  });
});

describe('regression metrics vs scikit-learn (counts with zeros; weighted and not)', () => {
  const r = fx.input.regression;
  for (const wname of ['plain', 'weighted']) {
    const w = wname === 'weighted' ? W : undefined;
    const e = fx.expected.regression[wname];
    it(`${wname}: MSE, RMSE, MAE, MAPE, R², median AE, Poisson deviance, pinball`, () => {
      close(meanSquaredError(r.y_true, r.y_pred, w), e.mse, 'mse');
      close(rootMeanSquaredError(r.y_true, r.y_pred, w), e.rmse, 'rmse');
      close(meanAbsoluteError(r.y_true, r.y_pred, w), e.mae, 'mae');
      // MAPE divides by |y| floored at epsilon: zero targets make it huge, so compare relatively
      const mape = meanAbsolutePercentageError(r.y_true, r.y_pred, w);
      assert.ok(Math.abs(mape - e.mape) <= 1e-12 * Math.abs(e.mape), `mape ${mape} vs ${e.mape}`);
      close(r2Score(r.y_true, r.y_pred, w), e.r2, 'r2');
      close(medianAbsoluteError(r.y_true, r.y_pred, w), e.median_ae, 'median ae');
      close(meanPoissonDeviance(r.y_true, r.y_pred, w), e.poisson_deviance, 'poisson');
      for (const alpha of [0.1, 0.5, 0.9])
        close(meanPinballLoss(r.y_true, r.y_pred, alpha, w), e[`pinball_${alpha}`], `pinball ${alpha}`);
    });
  }
});
