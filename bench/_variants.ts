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
const med = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[4] + s[5]) / 2;
};
const variants: Record<string, (seed: number) => ReturnType<typeof tpeSampler>> = {
  mv: (seed) => tpeSampler({ seed }),
  indep: (seed) => tpeSampler({ seed, multivariate: false }),
};
for (const f of FUNCTIONS) {
  const line = [f.name];
  for (const [name, mk] of Object.entries(variants)) {
    const bests = [];
    for (let seed = 0; seed < 10; seed++) {
      const st = await Study.open({ sampler: mk(seed) });
      await optimize(st, (t) => f.evaluate(suggest(t, f.space)), { nTrials: 50 });
      bests.push(st.bestTrial.values?.[0] as number);
    }
    line.push(`${name} ${med(bests).toPrecision(5)}`);
  }
  console.log(line.join(' | '));
}
