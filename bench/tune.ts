// Tuning benchmark: Keel's TPE and random search against Optuna's (Debian's python3-optuna, driven over a pipe so
// both tune the very same objective evaluated here), 10 seeds each, on standard test functions and on boosting
// hyperparameters for Adult; then ASHA against no pruning on the boosting task (best ROC-AUC and CPU-seconds).
// usage: bash bench/setup.sh (once, as root); node --import tsx bench/tune.ts [--seeds 10] [--seed-offset 0] [--trials 50]
//        [--only functions|boosting|asha] [--asha-seeds 10] [--asha-share 0.45]

import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  nopPruner,
  optimize,
  type Pruner,
  randomSampler,
  type Sampler,
  Study,
  successiveHalvingPruner,
  tpeSampler,
} from '../src/tune/index.ts';
import { type BenchTask, boostingBenchTask, boostingTask, FUNCTIONS, suggest } from './tune-tasks.ts';

const arg = (n: string, d: string) => {
  const i = process.argv.indexOf(`--${n}`);
  return i >= 0 ? process.argv[i + 1] : d;
};
const SEEDS = Number(arg('seeds', '10'));
/** first seed (held-out seeds for choosing defaults: e.g. --seed-offset 100) */
const SEED0 = Number(arg('seed-offset', '0'));
const TRIALS = Number(arg('trials', '50'));
const ONLY = arg('only', 'all');
const ASHA_MIN = Number(arg('asha-min', '30'));
const ASHA_ETA = Number(arg('asha-eta', '2'));
const ASHA_BOOT = Number(arg('asha-bootstrap', '1'));
const ASHA_SEEDS = Number(arg('asha-seeds', '10'));
/** ASHA's CPU budget as a share of the unpruned study's CPU-seconds (it stops starting trials past it) */
const ASHA_SHARE = Number(arg('asha-share', '0.45'));
const PY = '/usr/bin/python3';
const DRIVER = path.join(path.dirname(new URL(import.meta.url).pathname), 'peers/optuna_driver.py');

/** best-so-far after each trial */
function runningBest(values: number[]): number[] {
  let b = Number.POSITIVE_INFINITY;
  return values.map((v) => (b = Math.min(b, v)));
}

async function keelRun(task: BenchTask, sampler: Sampler, n: number): Promise<number[]> {
  const study = await Study.open({ sampler });
  const values: number[] = [];
  await optimize(
    study,
    (t) => {
      const v = task.evaluate(suggest(t, task.space));
      values.push(v);
      return v;
    },
    { nTrials: n },
  );
  return runningBest(values);
}

async function optunaRun(
  task: BenchTask,
  sampler: 'tpe' | 'random',
  seed: number,
  n: number,
): Promise<number[]> {
  const child = spawn(PY, [DRIVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.write(`${JSON.stringify({ sampler, seed, n_trials: n, space: task.space })}\n`);
  const values: number[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    const msg = JSON.parse(line);
    if (msg.done) break;
    const v = task.evaluate(msg.params);
    values.push(v);
    child.stdin.write(`${JSON.stringify({ value: v })}\n`);
  }
  child.stdin.end();
  await new Promise((r) => child.on('close', r));
  if (values.length !== n) throw new Error(`optuna driver stopped after ${values.length} of ${n} trials`);
  return runningBest(values);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** the median over seeds of the best-so-far after each trial */
const medianCurve = (curves: number[][]): number[] =>
  Array.from({ length: Math.min(...curves.map((c) => c.length)) }, (_, k) => median(curves.map((c) => c[k])));
const reach = (curve: number[], target: number): number => {
  const k = curve.findIndex((v) => v <= target + 1e-12);
  return k < 0 ? Number.POSITIVE_INFINITY : k + 1;
};
const fmt = (v: number) =>
  Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(5)) : `>${TRIALS}`;
const fmtReach = (v: number, horizon: number) => (Number.isFinite(v) ? String(v) : `>${horizon}`);

interface Row {
  task: string;
  target: number;
  bests: Record<string, number>;
  reaches: Record<string, number>;
  horizon: number;
}

const SAMPLERS = arg('samplers', 'keel tpe,optuna tpe,keel random,optuna random').split(',');

/** Keel's samplers run to `keelHorizon` trials so "trials to reach" can be seen past TRIALS when they need more. */
async function compare(task: BenchTask, keelHorizon: number): Promise<Row> {
  const curves: Record<string, number[][]> = Object.fromEntries(SAMPLERS.map((n) => [n, []]));
  for (let seed = SEED0; seed < SEED0 + SEEDS; seed++) {
    for (const name of SAMPLERS) {
      const [lib, kind] = name.split(' ');
      const curve =
        lib === 'keel'
          ? await keelRun(task, kind === 'tpe' ? tpeSampler({ seed }) : randomSampler({ seed }), keelHorizon)
          : await optunaRun(task, kind as 'tpe' | 'random', seed, TRIALS);
      curves[name].push(curve);
    }
    process.stderr.write(`  ${task.name}: seed ${seed - SEED0 + 1}/${SEEDS}\n`);
  }
  const reference = curves['optuna tpe'] ?? curves[SAMPLERS[0]];
  const target = median(reference.map((c) => c[TRIALS - 1]));
  const bests: Record<string, number> = {};
  const reaches: Record<string, number> = {};
  for (const [name, cs] of Object.entries(curves)) {
    bests[name] = median(cs.map((c) => c[TRIALS - 1]));
    reaches[name] = reach(medianCurve(cs), target);
  }
  if (process.env.TUNE_BENCH_DUMP) {
    const fs = await import('node:fs');
    fs.appendFileSync(process.env.TUNE_BENCH_DUMP, `${JSON.stringify({ task: task.name, curves })}\n`);
  }
  return { task: task.name, target, bests, reaches, horizon: keelHorizon };
}

function printRows(rows: Row[]): void {
  const names = SAMPLERS;
  console.log(
    `\nmedian over ${SEEDS} seeds of the best value after ${TRIALS} trials (minimised); "reach" = the trial at which the` +
      ` median best-so-far curve first matches Optuna TPE's median best at ${TRIALS}`,
  );
  console.log(
    [
      'task',
      ...names.map((n) => `${n} best`),
      ...names.map((n) => `${n} reach`),
      'keel<=optuna',
      'random worse than own tpe',
      'random worse than both tpes',
    ].join(' | '),
  );
  for (const r of rows) {
    const ok = (r.reaches['keel tpe'] ?? Infinity) <= (r.reaches['optuna tpe'] ?? Infinity);
    const tpeWorst = Math.max(r.bests['keel tpe'] ?? -Infinity, r.bests['optuna tpe'] ?? -Infinity);
    const randomBest = Math.min(r.bests['keel random'] ?? Infinity, r.bests['optuna random'] ?? Infinity);
    // the reading: each library's random search worse than its own TPE; the stricter column beside it
    const ownWorse = ['keel', 'optuna'].every(
      (lib) => (r.bests[`${lib} random`] ?? Infinity) > (r.bests[`${lib} tpe`] ?? -Infinity),
    );
    console.log(
      [
        r.task,
        ...names.map((n) => fmt(r.bests[n])),
        ...names.map((n) => fmtReach(r.reaches[n], n.startsWith('keel') ? r.horizon : TRIALS)),
        ok ? 'yes' : 'NO',
        ownWorse ? 'yes' : 'NO',
        randomBest > tpeWorst ? 'yes' : 'NO',
      ].join(' | '),
    );
  }
}

async function ashaCompare(): Promise<void> {
  const rounds = 150;
  const { fit, space } = await boostingTask(rounds);
  const nTrials = 40;
  const seeds = ASHA_SEEDS;
  const results: Record<string, { best: number[]; cpu: number[]; pruned: number[]; trials: number[] }> = {
    'no pruning': { best: [], cpu: [], pruned: [], trials: [] },
    ASHA: { best: [], cpu: [], pruned: [], trials: [] },
  };
  for (let k = 0; k < seeds; k++) {
    const seed = SEED0 + k;
    for (const [name, pruner] of [
      ['no pruning', nopPruner()],
      [
        'ASHA',
        successiveHalvingPruner({
          minResource: ASHA_MIN,
          reductionFactor: ASHA_ETA,
          bootstrapCount: ASHA_BOOT,
        }),
      ],
    ] as [string, Pruner][]) {
      const study = await Study.open({ directions: ['maximize'], sampler: tpeSampler({ seed }), pruner });
      const rungs = new Set(Array.from({ length: 12 }, (_, k) => ASHA_MIN * ASHA_ETA ** k));
      const summary = await optimize(
        study,
        (t) =>
          fit(suggest(t, space), (round, auc) => {
            if (!rungs.has(round)) return;
            t.report(round, auc());
            t.pruneIfNeeded();
          }),
        // ASHA gets half the CPU-seconds the unpruned study used on the same seed, and as many trials as fit in them
        name === 'ASHA'
          ? { nTrials: 50 * nTrials, cpuBudgetSeconds: ASHA_SHARE * results['no pruning'].cpu[k] }
          : { nTrials },
      );
      results[name].trials.push(summary.trials);
      results[name].best.push(study.bestTrial.values?.[0] as number);
      results[name].cpu.push(summary.cpuSeconds);
      results[name].pruned.push(summary.pruned);
      process.stderr.write(
        `  asha: seed ${seed} (${k + 1}/${seeds}) ${name}: best ${study.bestTrial.values?.[0].toFixed(4)}, ${summary.cpuSeconds.toFixed(1)} CPU-s, ${summary.pruned} pruned\n`,
      );
    }
  }
  const b0 = median(results['no pruning'].best);
  const b1 = median(results.ASHA.best);
  const c0 = median(results['no pruning'].cpu);
  const c1 = median(results.ASHA.cpu);
  console.log(
    `\nASHA vs no pruning: boosting on Adult (${rounds} rounds, first rung ${ASHA_MIN}, eta ${ASHA_ETA}, bootstrap ${ASHA_BOOT}), TPE, ${nTrials} trials, ${seeds} seeds from ${SEED0} (medians)`,
  );
  console.log(`no pruning: best ROC-AUC ${b0.toFixed(4)}, ${c0.toFixed(1)} CPU-s, ${nTrials} trials`);
  console.log(
    `ASHA:       best ROC-AUC ${b1.toFixed(4)}, ${c1.toFixed(1)} CPU-s, ${median(results.ASHA.pruned)} of ${median(results.ASHA.trials)} trials pruned (budget ${ASHA_SHARE} of the unpruned CPU-seconds)`,
  );
  const diffs = results.ASHA.best.map((b, i) => b - results['no pruning'].best[i]);
  console.log(
    `difference ${(b1 - b0).toFixed(5)} ROC-AUC (target within 0.002; median of the paired per-seed differences ${median(diffs).toFixed(5)}); CPU ratio ${(c1 / c0).toFixed(3)} (target <= 0.50)`,
  );
  console.log(
    `per seed: ROC-AUC differences ${diffs.map((d) => d.toFixed(4)).join(', ')}; CPU ratios ${results.ASHA.cpu.map((c, i) => (c / results['no pruning'].cpu[i]).toFixed(2)).join(', ')}`,
  );
}

const rows: Row[] = [];
if (ONLY === 'all' || ONLY === 'functions')
  for (const f of FUNCTIONS) rows.push(await compare(f, 2 * TRIALS));
if (ONLY === 'all' || ONLY === 'boosting') rows.push(await compare(await boostingBenchTask(), TRIALS));
if (rows.length > 0) printRows(rows);
if (ONLY === 'all' || ONLY === 'asha') await ashaCompare();
