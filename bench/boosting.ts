// Boosting benchmark: Keel's gradient boosting against XGBoost (hist, 2 threads) and scikit-learn's
// HistGradientBoosting on the same seeded Higgs-like data (28 features, 70/30 split), in one run.
// usage: bash bench/setup.sh (once, as root); node --import tsx bench/boosting.ts [--rows 1000000] [--rounds 100]

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRng } from '../src/core/index.ts';

const arg = (n: string, d: string) => {
  const i = process.argv.indexOf(`--${n}`);
  return i >= 0 ? process.argv[i + 1] : d;
};
const N = Number(arg('rows', '1000000'));
const P = 28;
const ROUNDS = Number(arg('rounds', '100'));
const LEAVES = 31;
const NTR = Math.floor(N * 0.7);

// Higgs-like: 21 "low-level" noisy features and 7 "high-level" features derived from them; a nonlinear boundary
const rng = createRng(2024);
const X = new Float32Array(N * P);
const y = new Uint8Array(N);
for (let i = 0; i < N; i++) {
  const low = Array.from({ length: 21 }, () => rng.normal());
  const high = [
    Math.hypot(low[0], low[1]),
    low[2] * low[3],
    Math.abs(low[4] - low[5]),
    Math.tanh(low[6] + low[7]),
    low[8] ** 2 - low[9],
    Math.sin(low[10]) * low[11],
    Math.max(low[12], low[13]),
  ];
  const z =
    0.8 * high[0] -
    1.2 +
    0.6 * high[1] +
    0.5 * high[3] -
    0.3 * high[4] +
    0.4 * high[5] +
    0.3 * low[14] +
    0.8 * rng.normal();
  y[i] = z > 0 ? 1 : 0;
  for (let j = 0; j < 21; j++) X[i * P + j] = low[j];
  for (let j = 0; j < 7; j++) X[i * P + 21 + j] = high[j];
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-boost-'));
fs.writeFileSync(path.join(dir, 'X.f32'), Buffer.from(X.buffer));
fs.writeFileSync(path.join(dir, 'y.u8'), Buffer.from(y.buffer));

const rows: Record<string, string | number>[] = [];
const peers = spawnSync(
  '/usr/bin/python3',
  [
    path.join(path.dirname(new URL(import.meta.url).pathname), 'peers/boosting_peers.py'),
    dir,
    String(N),
    String(P),
    String(NTR),
    String(ROUNDS),
    String(LEAVES),
  ],
  {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  },
);
if (peers.status !== 0) {
  console.error(peers.stderr);
  console.error('peers failed: run bash bench/setup.sh first');
}
/** What a peer or a Keel child reports for one configuration. */
interface RunResult {
  name: string;
  fit_s: number;
  predict_s: number;
  /** a second prediction call, compiled code warm */
  predict_warm_s: number;
  roc_auc: number;
  peak_rss_mb: number;
}

const peerResults = peers.stdout
  .trim()
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as RunResult);

// each Keel configuration runs in a child process, so the peak memory reported is that configuration's alone; every
// peak (peers too) is read after prediction, before the benchmark scores the predictions
const keel: (RunResult & { peak_rss_with_scoring_mb: number })[] = [];
for (const [name, params] of [
  ['keel, 31 leaves, 1 thread', { max_leaves: LEAVES, n_threads: 1 }],
  ['keel, 31 leaves, 2 threads', { max_leaves: LEAVES, n_threads: 2 }],
  ['keel, depth 6, 2 threads', { max_depth: 6, max_leaves: 64, n_threads: 2 }],
] as const) {
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(path.dirname(new URL(import.meta.url).pathname), 'boosting-keel.ts'),
      dir,
      String(N),
      String(P),
      String(NTR),
      String(ROUNDS),
      JSON.stringify(params),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (child.status !== 0) {
    console.error(child.stderr);
    throw new Error(`${name} failed`);
  }
  const r = JSON.parse(child.stdout.trim().split('\n').pop() as string);
  keel.push({ name, ...r });
  console.error(`${name}: fit ${r.fit_s.toFixed(2)} s, RSS before fit ${Math.round(r.rss_before_fit_mb)} MB`);
}
const xgb31 = peerResults.find((r) => r.name.includes('31'));
const xgbD6 = peerResults.find((r) => r.name.includes('depth 6'));
const hgb = peerResults.find((r) => r.name.includes('scikit'));
for (const r of [...peerResults, ...keel]) {
  rows.push({
    run: r.name,
    'fit s': r.fit_s.toFixed(2),
    'predict s': r.predict_s.toFixed(3),
    'again s': r.predict_warm_s.toFixed(3),
    roc_auc: r.roc_auc.toFixed(4),
    'peak RSS MB': Math.round(r.peak_rss_mb),
  });
}
console.log(
  `boosting benchmark — ${N.toLocaleString()} × ${P}, ${ROUNDS} rounds, lr 0.1, 70/30, ${os.cpus().length} cores, ${new Date().toISOString()}`,
);
console.table(rows);
const [k31one, k31, kD6] = keel;
if (xgb31 && xgbD6 && hgb) {
  console.log(
    `fit time Keel / XGBoost (31 leaves): ${(k31.fit_s / xgb31.fit_s).toFixed(2)} (target <= 1.5); depth 6: ${(kD6.fit_s / xgbD6.fit_s).toFixed(2)}`,
  );
  console.log(`fit time Keel / scikit-learn HGB: ${(k31.fit_s / hgb.fit_s).toFixed(2)} (target <= 1.5)`);
  console.log(`Keel 2 threads vs 1: ${(k31one.fit_s / k31.fit_s).toFixed(2)}x faster`);
  console.log(`ROC-AUC Keel − XGBoost: ${(k31.roc_auc - xgb31.roc_auc).toFixed(4)} (target within 0.003)`);
  console.log(
    `predict time Keel / XGBoost on ${(N - NTR).toLocaleString()} rows: ${(k31.predict_s / xgb31.predict_s).toFixed(2)} (target <= 1); depth 6: ${(kD6.predict_s / xgbD6.predict_s).toFixed(2)}; called again: ${(k31.predict_warm_s / xgb31.predict_warm_s).toFixed(2)}, depth 6 ${(kD6.predict_warm_s / xgbD6.predict_warm_s).toFixed(2)}`,
  );
  console.log(
    `Keel peak RSS through fit and predict ${Math.round(k31.peak_rss_mb)} MB vs 3 × float32 data = ${Math.round((3 * N * P * 4) / 2 ** 20)} MB (target <=; the process also holds the whole float32 file, train and test rows as views of it; ${Math.round(k31.peak_rss_with_scoring_mb)} MB once the benchmark has scored the predictions)`,
  );
}
fs.rmSync(dir, { recursive: true, force: true });
