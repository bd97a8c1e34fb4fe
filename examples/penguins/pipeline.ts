// Penguins, end to end with the feature transformers: free-text comments become TF-IDF columns, the egg date becomes calendar parts (cyclic month), missing
// measurements are imputed with indicator columns, skewed isotope ratios are power-transformed, the island is
// target-encoded out of fold, the other categories one-hot encoded; 5-fold stratified cross-validation, then one
// artifact whose decoded copy scores bit-identically to the fitted pipeline.
// usage: node --import tsx examples/penguins/pipeline.ts

import path from 'node:path';
import { readCsv } from '../../src/data/index.ts';
import { decodeArtifact, encodeArtifact } from '../../src/estimator/index.ts';
import { crossValidate, stratifiedKFold } from '../../src/evaluate/index.ts';
import { createLearner } from '../../src/models/index.ts';
import { predictorFor } from '../../src/models/inference.ts';
import {
  dateFeatures,
  encodeTarget,
  imputer,
  oneHotEncoder,
  type PipelineState,
  pipeline,
  powerTransformer,
  robustScaler,
  scorePipeline,
  targetEncoder,
  textFeatures,
  varianceThreshold,
} from '../../src/transform/index.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const { frame: raw, counts } = await readCsv(path.join(here, 'penguins_raw.csv'));
// identifiers carry no signal a model should learn from; the free-text Comments become TF-IDF columns
const frame = raw.drop(['studyName', 'Sample Number', 'Individual ID']);
console.log(`read ${counts.read} rows (${counts.accepted} accepted, ${counts.quarantined} quarantined), ${frame.names.length} columns`);

const make = () =>
  pipeline(
    [
      textFeatures({ columns: ['Comments'], mode: 'tfidf', minDf: 3 }),
      dateFeatures({ columns: ['Date Egg'], parts: ['year', 'month', 'dayofyear'], cyclic: true }),
      imputer({ strategy: 'median', addIndicator: true }),
      powerTransformer({ columns: ['Delta 15 N (o/oo)', 'Delta 13 C (o/oo)'] }),
      robustScaler(),
      varianceThreshold(),
      targetEncoder({ columns: ['Island'], seed: 1 }),
      oneHotEncoder(),
    ],
    createLearner('logistic_regression', { C: 1 }),
  );

const { y } = encodeTarget(frame.column('Species'), 'multiclass');
const cv = crossValidate(make(), frame, 'Species', stratifiedKFold(y, 5, { seed: 7 }), { task: 'multiclass' });
console.log('5-fold stratified cross-validation (mean ± sd):');
for (const key of ['accuracy', 'f1', 'roc_auc', 'log_loss']) {
  console.log(`  ${key.padEnd(9)} ${cv.mean[key].toFixed(4)} ± ${cv.std[key].toFixed(4)}`);
}

const fitted = make().fit(frame, 'Species', { task: 'multiclass' });
console.log(`fitted steps: ${fitted.state.steps.map((s) => s.kind).join(' → ')} → ${fitted.state.model.kind}`);
console.log(`model features (${fitted.state.featureNames.length}): ${fitted.state.featureNames.slice(0, 8).join(', ')}, …`);
const bytes = encodeArtifact({ pipeline: fitted.state } as never);
const decoded = decodeArtifact<{ pipeline: PipelineState }>(bytes);
const rows = frame.drop(['Species']);
const a = fitted.predict(rows).probabilities as Float64Array;
const b = scorePipeline(decoded.pipeline, rows, predictorFor(decoded.pipeline.model.kind)).probabilities as Float64Array;
const same = a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
console.log(`artifact: ${bytes.length} bytes; decoded scoring identical to the fitted pipeline on ${rows.nRows} rows: ${same}`);
if (!same) process.exit(1);
