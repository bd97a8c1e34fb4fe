// Imbalanced toolkit on ozone_onehr.csv (2.9% positives): gradient boosting under repeated stratified 5-fold CV,
// plain against class weights, random over-sampling and SMOTE (each applied to training folds only). Reports PR-AUC
// and ROC-AUC (mean over folds), and what a tuned decision threshold and isotonic calibration change on top.
// usage: node --import tsx bench/imbalance.ts [--repeats 3]

import path from 'node:path';
import { readCsv } from '../src/data/index.ts';
import {
  applyCalibrator,
  brierScore,
  crossValidate,
  fitIsotonic,
  precisionRecallFscore,
  type Resampler,
  randomOverSample,
  repeatedKFold,
  smote,
  stratifiedSplit,
  tuneThreshold,
} from '../src/evaluate/index.ts';
import { gradientBoosting } from '../src/models/index.ts';
import {
  encodeTarget,
  oneHotEncoder,
  pipeline,
  simpleImputer,
  standardScaler,
} from '../src/transform/index.ts';

const arg = (n: string, d: string) => {
  const i = process.argv.indexOf(`--${n}`);
  return i >= 0 ? process.argv[i + 1] : d;
};
const REPEATS = Number(arg('repeats', '3'));
const file = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../../shared/datasets/ozone_onehr.csv',
);
const read = await readCsv(file);
const frame = read.frame.drop(['Date']);
const { y } = encodeTarget(frame.column('class'), 'binary');
const folds = repeatedKFold(frame.nRows, 5, REPEATS, { labels: y, seed: 7 });
const pos = y.reduce((a, b) => a + b, 0);
console.log(
  `ozone: ${frame.nRows} rows, ${pos} positives (${((100 * pos) / frame.nRows).toFixed(1)}%), ${folds.length} folds`,
);

const learner = (params: Record<string, unknown> = {}) =>
  pipeline(
    [simpleImputer(), standardScaler(), oneHotEncoder()],
    gradientBoosting({ n_estimators: 200, learning_rate: 0.05, ...params }),
  );

const variants: [string, ReturnType<typeof learner>, Resampler | undefined][] = [
  ['plain', learner(), undefined],
  ['class_weight=balanced', learner({ class_weight: 'balanced' }), undefined],
  ['random over-sampling', learner(), (f, t, seed) => randomOverSample(f, t, { seed })],
  ['SMOTE (ratio 0.5, k 5)', learner(), (f, t, seed) => smote(f, t, { seed, ratio: 0.5 })],
  ['SMOTE (ratio 1, k 5)', learner(), (f, t, seed) => smote(f, t, { seed, ratio: 1 })],
];
const rows: { name: string; pr: number; prSd: number; roc: number; seconds: number; perFold: number[] }[] =
  [];
for (const [name, l, resample] of variants) {
  const t0 = performance.now();
  const cv = crossValidate(l, frame, 'class', folds, { task: 'binary', resample, seed: 11 });
  rows.push({
    name,
    pr: cv.mean.pr_auc,
    prSd: cv.std.pr_auc,
    roc: cv.mean.roc_auc,
    seconds: (performance.now() - t0) / 1000,
    perFold: cv.folds.map((f) => f.metrics.pr_auc),
  });
  console.error(`  ${name}: PR-AUC ${cv.mean.pr_auc.toFixed(4)}`);
}
const base = rows[0].pr;
console.log('\nvariant | PR-AUC mean (sd) | vs plain | folds better than plain | ROC-AUC mean | seconds');
for (const r of rows) {
  const wins = r.perFold.filter((v, k) => v > rows[0].perFold[k]).length;
  console.log(
    `${r.name} | ${r.pr.toFixed(4)} (${r.prSd.toFixed(4)}) | ${r.pr - base >= 0 ? '+' : ''}${(r.pr - base).toFixed(4)} | ${wins} of ${r.perFold.length} | ${r.roc.toFixed(4)} | ${r.seconds.toFixed(1)}`,
  );
}

// decision threshold and calibration: fitted on a validation quarter of each training fold, applied to its test fold
const f1 = { fixed: [] as number[], tuned: [] as number[] };
const brier = { raw: [] as number[], isotonic: [] as number[] };
for (const f of folds.slice(0, 5)) {
  const yTrainFold = Array.from(f.train, (i) => y[i]);
  const inner = stratifiedSplit(yTrainFold, 0.25, 3);
  const fitRows = Array.from(inner.train, (k) => f.train[k]);
  const valRows = Array.from(inner.test, (k) => f.train[k]);
  const model = learner().fit(frame.take(fitRows), 'class', { task: 'binary' });
  const p1 = (rows: ArrayLike<number>) => {
    const out = model.predict(frame.take(rows).drop(['class'])).probabilities as Float64Array;
    return Float64Array.from({ length: rows.length }, (_, i) => out[2 * i + 1]);
  };
  const pVal = p1(valRows);
  const yVal = valRows.map((i) => y[i]);
  const pTest = p1(f.test);
  const yTest = Array.from(f.test, (i) => y[i]);
  const thr = tuneThreshold(yVal, pVal).threshold;
  f1.fixed.push(
    precisionRecallFscore(
      yTest,
      Array.from(pTest, (p) => (p >= 0.5 ? 1 : 0)),
    ).f1,
  );
  f1.tuned.push(
    precisionRecallFscore(
      yTest,
      Array.from(pTest, (p) => (p >= thr ? 1 : 0)),
    ).f1,
  );
  const iso = fitIsotonic(pVal, yVal);
  brier.raw.push(brierScore(yTest, pTest));
  brier.isotonic.push(
    brierScore(
      yTest,
      Array.from(pTest, (p) => applyCalibrator(iso, p)),
    ),
  );
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(
  `\nfirst 5 folds, model fitted on 75% of each training fold, threshold / calibrator on the other 25%:`,
);
console.log(
  `F1 at threshold 0.5: ${mean(f1.fixed).toFixed(4)}; at the F1-tuned threshold: ${mean(f1.tuned).toFixed(4)}`,
);
console.log(
  `Brier raw: ${mean(brier.raw).toFixed(5)}; after isotonic calibration: ${mean(brier.isotonic).toFixed(5)}`,
);
