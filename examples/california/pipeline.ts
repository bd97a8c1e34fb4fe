// California housing (a seeded 2,000-row sample), regression with the feature transformers: a plain pipeline against
// one with missing-value indicators, Yeo-Johnson on the skewed counts, clipping of extreme rooms-per-household,
// income polynomials and the ocean proximity target-encoded out of fold; 5-fold CV RMSE of gradient boosting and
// of ridge regression for both.
// usage: node --import tsx examples/california/pipeline.ts

import path from 'node:path';
import { readCsv } from '../../src/data/index.ts';
import { crossValidate, kFold } from '../../src/evaluate/index.ts';
import { createLearner } from '../../src/models/index.ts';
import {
  clipper,
  imputer,
  oneHotEncoder,
  pipeline,
  polynomialFeatures,
  powerTransformer,
  simpleImputer,
  standardScaler,
  targetEncoder,
  type Transformer,
} from '../../src/transform/index.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const { frame, counts } = await readCsv(path.join(here, 'california_sample.csv'));
console.log(`read ${counts.read} rows (${counts.accepted} accepted), target median_house_value`);
const folds = kFold(frame.nRows, 5, { seed: 3 });

const plain = (): Transformer[] => [simpleImputer(), standardScaler(), oneHotEncoder()];
const engineered = (): Transformer[] => [
  imputer({ strategy: 'median', addIndicator: true }),
  powerTransformer({ columns: ['total_rooms', 'total_bedrooms', 'population', 'households'] }),
  clipper({ columns: ['median_income'], percentiles: [0.5, 99.5] }),
  polynomialFeatures({ columns: ['median_income', 'housing_median_age'], degree: 2 }),
  standardScaler(),
  targetEncoder({ columns: ['ocean_proximity'], seed: 1 }),
];

console.log('5-fold CV RMSE (mean ± sd):');
for (const [model, params] of [
  ['ridge', { alpha: 1 }],
  ['gradient_boosting', { n_estimators: 200, learning_rate: 0.05 }],
] as const) {
  for (const [name, steps] of [
    ['plain', plain],
    ['engineered', engineered],
  ] as const) {
    const cv = crossValidate(pipeline(steps(), createLearner(model, params)), frame, 'median_house_value', folds, {
      task: 'regression',
    });
    console.log(`  ${model.padEnd(17)} ${name.padEnd(10)} ${cv.mean.rmse.toFixed(0)} ± ${cv.std.rmse.toFixed(0)}  (R² ${cv.mean.r2.toFixed(3)})`);
  }
}
