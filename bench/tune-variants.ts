// How Keel's TPE defaults were chosen: several TPE settings on the test functions of bench/tune.ts, 30 seeds each,
// against Optuna's TPE curves stored by a previous run of bench/tune.ts on the same seeds. Defaults are chosen on
// held-out seeds (100–129), checked on others (200–229), and judged by bench/tune.ts on seeds 0–9.
// usage: TUNE_BENCH_DUMP=/tmp/optuna.jsonl node --import tsx bench/tune.ts --only functions --seeds 30 \
//          --seed-offset 100 --samplers "optuna tpe"
//        node --import tsx bench/tune-variants.ts /tmp/optuna.jsonl [seeds] [first seed]

import fs from 'node:fs';
import { optimize, Study, tpeSampler } from '../src/tune/index.ts';
import { type BenchTask, BOOSTING_TASK_NAME, boostingBenchTask, FUNCTIONS, suggest } from './tune-tasks.ts';

const dump = process.argv[2];
const SEEDS = Number(process.argv[3] ?? 30);
const SEED0 = Number(process.argv[4] ?? 0);
if (!dump) throw new Error('usage: bench/tune-variants.ts <optuna curves .jsonl> [seeds]');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const optuna = new Map(
  fs
    .readFileSync(dump, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .map((o) => [o.task, o.curves['optuna tpe'] as number[][]]),
);
const gamma = (r: number) => (n: number) => Math.min(Math.ceil(r * n), 25);
const variants: Record<string, (seed: number) => ReturnType<typeof tpeSampler>> = {
  'scott (before)': (seed) => tpeSampler({ seed, bandwidth: 'scott' }),
  'gaps (default)': (seed) => tpeSampler({ seed }),
  'gaps, gamma 0.1 n': (seed) => tpeSampler({ seed, gamma: gamma(0.1) }),
  'gaps, gamma 0.15 n': (seed) => tpeSampler({ seed, gamma: gamma(0.15) }),
  'gaps, gamma 0.25 n': (seed) => tpeSampler({ seed, gamma: gamma(0.25) }),
  'gaps, 48 candidates': (seed) => tpeSampler({ seed, nCandidates: 48 }),
};
/** the trial at which the median best-so-far curve first reaches the target */
const reach = (curves: number[][], target: number): string => {
  for (let k = 0; k < curves[0].length; k++)
    if (median(curves.map((c) => c[k])) <= target + 1e-12) return String(k + 1);
  return `>${curves[0].length}`;
};
console.log(
  `median best after 50 trials over ${SEEDS} seeds from ${SEED0} (minimised) / trial reaching Optuna's median best at 50`,
);
console.log(['task', 'optuna tpe', ...Object.keys(variants)].join(' | '));
/** the tasks whose Optuna curves the file holds: the functions, and the boosting task if it was dumped too */
const tasks: BenchTask[] = FUNCTIONS.filter((f) => optuna.has(f.name));
if (optuna.has(BOOSTING_TASK_NAME)) tasks.push(await boostingBenchTask());
for (const f of tasks) {
  const curves = optuna.get(f.name);
  const target = curves ? median(curves.map((c) => c[49])) : Number.NaN;
  const line = [f.name, curves ? `${target.toPrecision(5)} / ${reach(curves, target)}` : '-'];
  for (const make of Object.values(variants)) {
    const runs: number[][] = [];
    for (let seed = SEED0; seed < SEED0 + SEEDS; seed++) {
      const study = await Study.open({ sampler: make(seed) });
      const values: number[] = [];
      await optimize(
        study,
        (t) => {
          const v = f.evaluate(suggest(t, f.space));
          values.push(Math.min(v, values.at(-1) ?? v));
          return v;
        },
        { nTrials: f.name === BOOSTING_TASK_NAME ? 50 : 60 },
      );
      runs.push(values);
    }
    line.push(`${median(runs.map((r) => r[49])).toPrecision(5)} / ${reach(runs, target)}`);
  }
  console.log(line.join(' | '));
}
