// Fits every model family (and six boosting configurations) on fixed data and prints the SHA-256 of each fitted
// state, encoded as an artifact: run before and after a refactoring of models/ to show that no model changed.
// Usage: node --import tsx scripts/dev/model-hashes.ts [> hashes.json]

import { createRng } from '../../src/core/index.ts';
import { encodeArtifact, type Matrix, sha256Hex, type Task } from '../../src/estimator/index.ts';
import { createLearner, createUnsupervised, modelKinds } from '../../src/models/index.ts';

const n = 1500;
const p = 6;
const rng = createRng(7);
const data = new Float64Array(n * p);
for (let i = 0; i < n * p; i++) data[i] = rng.next() * 4 - 2 + (i % 7 === 0 ? Number.NaN : 0);
const X: Matrix = { data, rows: n, cols: p };
// complete rows for the families that refuse missing values
const full: Matrix = { data: data.map((v) => (Number.isNaN(v) ? 0 : v)), rows: n, cols: p };
const score = (i: number) =>
  (Number.isNaN(data[i * p]) ? 0 : data[i * p]) - 0.5 * (full.data[i * p + 1] ?? 0) + rng.next();
const yReg = Float64Array.from({ length: n }, (_, i) => score(i));
const yBin = Float64Array.from(yReg, (v) => (v > 0 ? 1 : 0));
const yMulti = Float64Array.from(yReg, (v) => (v < -0.7 ? 0 : v < 0.7 ? 1 : 2));

const NAN_OK = new Set(['gradient_boosting']);
// category codes for categorical naive Bayes
const codes: Matrix = {
  data: full.data.map((v) => Math.min(3, Math.floor(Math.abs(v) * 2))),
  rows: n,
  cols: p,
};
const inputOf = (kind: string) => (kind === 'categorical_nb' ? codes : NAN_OK.has(kind) ? X : full);
const out: Record<string, string> = {};
const hash = (name: string, state: unknown) => {
  out[name] = sha256Hex(encodeArtifact(state as Record<string, unknown>)).slice(0, 16);
};
for (const kind of modelKinds) {
  const learner = createLearner(kind, {});
  for (const task of learner.tasks as Task[]) {
    const y = task === 'regression' ? yReg : task === 'binary' ? yBin : yMulti;
    const k = task === 'regression' ? 0 : task === 'binary' ? 2 : 3;
    const m = createLearner(kind, kind === 'mlp' ? { max_epochs: 20 } : {}).fit(inputOf(kind), y, task, k);
    hash(`${kind}/${task}`, m.state);
  }
}
const boosting: Record<string, Record<string, unknown>> = {
  'leaves31-1thread': { n_estimators: 40, n_threads: 1 },
  'leaves31-2threads': { n_estimators: 40, n_threads: 2 },
  depth6: { n_estimators: 40, max_depth: 6, max_leaves: 64, n_threads: 2 },
  'subsample-colsample': { n_estimators: 40, subsample: 0.7, colsample_bytree: 0.6, seed: 3 },
  'l1-minsplit': { n_estimators: 40, reg_alpha: 0.5, min_split_gain: 0.01 },
  'early-stopping': { n_estimators: 200, early_stopping_rounds: 5 },
};
for (const [name, params] of Object.entries(boosting))
  hash(`boosting:${name}`, createLearner('gradient_boosting', params).fit(X, yBin, 'binary', 2).state);
for (const kind of ['kmeans', 'pca', 'isolation_forest'])
  hash(`${kind}`, createUnsupervised(kind, {}).fit(full).state);
console.log(JSON.stringify(out, null, 1));
