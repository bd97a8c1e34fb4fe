// scratch: Keel TPE variants vs stored Optuna curves (not committed)
import fs from 'node:fs';
import { optimize, Study, type Trial, tpeSampler } from '../src/tune/index.ts';
import { FUNCTIONS, type SpaceParam } from './tune-tasks.ts';

function suggest(trial: Trial, space: SpaceParam[]) {
  const p: Record<string, number | string> = {};
  for (const s of space) {
    if (s.type === 'float') p[s.name] = trial.suggestFloat(s.name, s.low, s.high, { log: s.log });
    else if (s.type === 'int') p[s.name] = trial.suggestInt(s.name, s.low, s.high, { log: s.log });
    else p[s.name] = trial.suggestCategorical(s.name, s.choices);
  }
  return p;
}
const S = Number(process.argv[2] ?? 30);
const med = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const opt = new Map(
  fs
    .readFileSync('/tmp/optuna30.jsonl', 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .map((o) => [o.task, o.curves['optuna tpe'] as number[][]]),
);
const g = (r: number) => (n: number) => Math.min(Math.ceil(r * n), 25);
const variants: Record<string, (seed: number) => ReturnType<typeof tpeSampler>> = {
  g20c48: (seed) => tpeSampler({ seed, gamma: g(0.2), nCandidates: 48 }),
  g20s5: (seed) => tpeSampler({ seed, gamma: g(0.2), nStartupTrials: 5 }),
};
for (const f of FUNCTIONS) {
  const oc = opt.get(f.name) as number[][];
  const line = [f.name, `optuna ${med(oc.map((c) => c[49])).toPrecision(5)}`];
  for (const [name, mk] of Object.entries(variants)) {
    const bests = [];
    for (let seed = 0; seed < S; seed++) {
      const st = await Study.open({ sampler: mk(seed) });
      await optimize(st, (t) => f.evaluate(suggest(t, f.space)), { nTrials: 50 });
      bests.push(st.bestTrial.values?.[0] as number);
    }
    line.push(`${name} ${med(bests).toPrecision(5)}`);
  }
  console.log(line.join(' | '));
}
