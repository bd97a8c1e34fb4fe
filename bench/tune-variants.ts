// How Keel's TPE defaults were chosen: several TPE settings on the test functions of bench/tune.ts, 30 seeds each,
// against Optuna's TPE curves stored by a previous run of bench/tune.ts.
// usage: TUNE_BENCH_DUMP=/tmp/optuna.jsonl node --import tsx bench/tune.ts --only functions --seeds 30 \
//          --samplers "optuna tpe"
//        node --import tsx bench/tune-variants.ts /tmp/optuna.jsonl [seeds]

import fs from 'node:fs';
import { optimize, Study, tpeSampler } from '../src/tune/index.ts';
import { FUNCTIONS, suggest } from './tune-tasks.ts';

const dump = process.argv[2];
const SEEDS = Number(process.argv[3] ?? 30);
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
  'gamma 0.1 n (Optuna)': (seed) => tpeSampler({ seed, gamma: gamma(0.1) }),
  'gamma 0.1 n, independent': (seed) => tpeSampler({ seed, gamma: gamma(0.1), multivariate: false }),
  'gamma 0.15 n': (seed) => tpeSampler({ seed, gamma: gamma(0.15) }),
  'gamma 0.2 n (default)': (seed) => tpeSampler({ seed }),
  'gamma 0.2 n, 48 candidates': (seed) => tpeSampler({ seed, nCandidates: 48 }),
};
console.log(`median best after 50 trials over ${SEEDS} seeds (minimised)`);
console.log(['task', 'optuna tpe', ...Object.keys(variants)].join(' | '));
for (const f of FUNCTIONS) {
  const curves = optuna.get(f.name);
  const line = [f.name, curves ? median(curves.map((c) => c[49])).toPrecision(5) : '-'];
  for (const make of Object.values(variants)) {
    const bests: number[] = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const study = await Study.open({ sampler: make(seed) });
      await optimize(study, (t) => f.evaluate(suggest(t, f.space)), { nTrials: 50 });
      bests.push(study.bestTrial.values?.[0] as number);
    }
    line.push(median(bests).toPrecision(5));
  }
  console.log(line.join(' | '));
}
