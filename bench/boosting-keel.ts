// One Keel configuration of the boosting benchmark, in a process of its own so its peak memory is its own: reads the
// float32 data the peers read, trains on the first NTR rows (float32 views of the file, no widened copy), predicts the
// rest.
// usage (from bench/boosting.ts): node --import tsx bench/boosting-keel.ts <dir> <N> <P> <NTR> <rounds> '<params json>'

import fs from 'node:fs';
import path from 'node:path';
import { rocAuc } from '../src/evaluate/index.ts';
import { gradientBoosting } from '../src/models/index.ts';
import { peakRssMb } from './peak.ts';

const [dir, nArg, pArg, ntrArg, roundsArg, paramsJson] = process.argv.slice(2);
const N = Number(nArg);
const P = Number(pArg);
const NTR = Number(ntrArg);
const raw = fs.readFileSync(path.join(dir, 'X.f32'));
const X = new Float32Array(raw.buffer, raw.byteOffset, N * P);
const y = fs.readFileSync(path.join(dir, 'y.u8'));
const toMatrix = (from: number, to: number) => ({
  data: X.subarray(from * P, to * P),
  rows: to - from,
  cols: P,
});
const train = toMatrix(0, NTR);
const yTrain = Float64Array.from(y.subarray(0, NTR));
const rssBefore = process.memoryUsage().rss / 2 ** 20;
let t = performance.now();
const m = gradientBoosting({
  n_estimators: Number(roundsArg),
  learning_rate: 0.1,
  min_samples_leaf: 20,
  reg_lambda: 0,
  ...JSON.parse(paramsJson),
}).fit(train, yTrain, 'binary', 2);
const fitS = (performance.now() - t) / 1000;
const test = toMatrix(NTR, N);
t = performance.now();
const out = m.predict(test).values;
const predictS = (performance.now() - t) / 1000;
// the peak of training and prediction, read before the benchmark's own scoring allocates its sort buffers
const peakFitPredict = peakRssMb();
// a second call: compiled code warm, as when a served or scoring model predicts batch after batch
t = performance.now();
m.predict(test);
const predictWarmS = (performance.now() - t) / 1000;
const p1 = Float64Array.from({ length: test.rows }, (_, i) => out[2 * i + 1]);
const yTest = Float64Array.from(y.subarray(NTR));
console.log(
  JSON.stringify({
    fit_s: fitS,
    predict_s: predictS,
    predict_warm_s: predictWarmS,
    roc_auc: rocAuc(yTest, p1),
    peak_rss_mb: peakFitPredict,
    peak_rss_with_scoring_mb: peakRssMb(),
    rss_before_fit_mb: rssBefore,
  }),
);
