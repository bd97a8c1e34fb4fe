// Random forest and logistic regression against scikit-learn, and the random forest against the JS peer
// ml-random-forest, on the same seeded data in one run.
// usage: node --import tsx bench/forest.ts [--forest-rows 200000] [--linear-rows 1000000] [--js-rows 4000]

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RandomForestClassifier as MlRandomForest } from 'ml-random-forest';
import { createRng } from '../src/core/index.ts';
import { accuracy, rocAuc } from '../src/evaluate/index.ts';
import { logisticRegression, randomForest } from '../src/models/index.ts';

const arg = (n: string, d: string) => {
  const i = process.argv.indexOf(`--${n}`);
  return i >= 0 ? Number(process.argv[i + 1]) : Number(d);
};
const NF = arg('forest-rows', '200000');
const NL = arg('linear-rows', '1000000');
const NJ = arg('js-rows', '4000');
const P = 28;
const N = Math.max(NF, NL, NJ) + 50_000;
const rng = createRng(99);
const X = new Float64Array(N * P);
const y = new Float64Array(N);
for (let i = 0; i < N; i++) {
  let z = 0;
  for (let j = 0; j < P; j++) {
    const v = rng.normal();
    X[i * P + j] = v;
    if (j < 8) z += (j % 2 ? 0.6 : -0.4) * v;
  }
  z += 0.8 * X[i * P] * X[i * P + 1] + 0.7 * rng.normal();
  y[i] = z > 0 ? 1 : 0;
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-forest-'));
fs.writeFileSync(path.join(dir, 'X.f64'), Buffer.from(X.buffer));
fs.writeFileSync(path.join(dir, 'y.f64'), Buffer.from(y.buffer));
const peers = spawnSync(
  '/usr/bin/python3',
  [
    path.join(path.dirname(new URL(import.meta.url).pathname), 'peers/forest_linear_peers.py'),
    dir,
    String(P),
    String(NF),
    String(NL),
  ],
  {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  },
);
if (peers.status !== 0) console.error(peers.stderr);
const [skRf, skLr] = peers.stdout
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const rows: Record<string, string | number>[] = [];
const test = { data: X.subarray((N - 50_000) * P), rows: 50_000, cols: P };
const yTest = y.subarray(N - 50_000);
const slice = (n: number) => ({ data: X.subarray(0, n * P), rows: n, cols: P });
const labels = (v: Float64Array) =>
  Float64Array.from({ length: v.length / 2 }, (_, i) => (v[2 * i + 1] > v[2 * i] ? 1 : 0));

let t = performance.now();
const rf = randomForest({ n_estimators: 100, seed: 0 }).fit(slice(NF), y.subarray(0, NF), 'binary', 2);
const rfFit = (performance.now() - t) / 1000;
const rfAcc = accuracy(yTest, labels(rf.predict(test).values));
console.error(`random forest on ${NF} rows: ${rfFit.toFixed(1)} s`);
rows.push({
  run: `random forest, 100 trees, ${NF.toLocaleString()} rows`,
  'scikit-learn s': skRf.fit_s.toFixed(1),
  'keel s': rfFit.toFixed(1),
  'keel / peer': (rfFit / skRf.fit_s).toFixed(2),
  note: `accuracy keel ${rfAcc.toFixed(4)} vs ${skRf.accuracy.toFixed(4)}`,
});

// logistic regression on standardised features; coefficients compared with scikit-learn's
const lin = slice(NL);
const mu = new Float64Array(P);
const sd = new Float64Array(P);
for (let i = 0; i < NL; i++) for (let j = 0; j < P; j++) mu[j] += lin.data[i * P + j] / NL;
for (let i = 0; i < NL; i++) for (let j = 0; j < P; j++) sd[j] += (lin.data[i * P + j] - mu[j]) ** 2 / NL;
const std = {
  data: Float64Array.from(lin.data, (v, q) => (v - mu[q % P]) / Math.sqrt(sd[q % P])),
  rows: NL,
  cols: P,
};
t = performance.now();
const lr = logisticRegression({ C: 1, max_iter: 1000, tol: 1e-8 }).fit(std, y.subarray(0, NL), 'binary', 2);
const lrFit = (performance.now() - t) / 1000;
console.error(`logistic regression on ${NL} rows: ${lrFit.toFixed(1)} s`);
const coef = (lr.state as { coef: Float64Array }).coef;
let coefDiff = 0;
for (let j = 0; j < P; j++) coefDiff = Math.max(coefDiff, Math.abs(coef[j] - skLr.coef[j]));
rows.push({
  run: `logistic regression, ${NL.toLocaleString()} × ${P}`,
  'scikit-learn s': skLr.fit_s.toFixed(1),
  'keel s': lrFit.toFixed(1),
  'keel / peer': (lrFit / skLr.fit_s).toFixed(2),
  note: `max |coef − scikit-learn| ${coefDiff.toExponential(2)}`,
});

// the JS peer on a small sample
const small = slice(NJ);
const matrix2d = Array.from({ length: NJ }, (_, i) => Array.from(small.data.subarray(i * P, (i + 1) * P)));
t = performance.now();
const ml = new MlRandomForest({ nEstimators: 100, seed: 1 });
ml.train(matrix2d, Array.from(y.subarray(0, NJ)));
const mlFit = (performance.now() - t) / 1000;
console.error(`ml-random-forest on ${NJ} rows: ${mlFit.toFixed(1)} s`);
const testRows = Array.from({ length: 5000 }, (_, i) => Array.from(test.data.subarray(i * P, (i + 1) * P)));
const mlPred = Float64Array.from(ml.predict(testRows) as number[]);
t = performance.now();
const krf = randomForest({ n_estimators: 100, seed: 0 }).fit(small, y.subarray(0, NJ), 'binary', 2);
const kFit = (performance.now() - t) / 1000;
const kp = krf.predict({ data: test.data.subarray(0, 5000 * P), rows: 5000, cols: P }).values;
const kAuc = rocAuc(
  yTest.subarray(0, 5000),
  Float64Array.from({ length: 5000 }, (_, i) => kp[2 * i + 1]),
);
const mlAuc = rocAuc(yTest.subarray(0, 5000), mlPred);
rows.push({
  run: `random forest, 100 trees, ${NJ.toLocaleString()} rows`,
  'ml-random-forest s': mlFit.toFixed(1),
  'keel s': kFit.toFixed(2),
  'keel / peer': (kFit / mlFit).toFixed(4),
  note: `speed-up ${(mlFit / kFit).toFixed(0)}×; ROC-AUC keel ${kAuc.toFixed(4)} vs ml-random-forest ${mlAuc.toFixed(4)} (its hard votes)`,
});
console.log(`forest / linear benchmark — ${os.cpus().length} cores, ${new Date().toISOString()}`);
console.table(rows);
fs.rmSync(dir, { recursive: true, force: true });
