// keel/tune: a define-by-run study with the TPE sampler, Optuna-style.
import { optimize, Study, tpeSampler } from 'keel/tune';

const study = await Study.open({ sampler: tpeSampler({ seed: 1 }) });
await optimize(
  study,
  (trial) => {
    const x = trial.suggestFloat('x', -10, 10);
    const y = trial.suggestFloat('y', -10, 10);
    return (x - 2) ** 2 + (y + 3) ** 2;
  },
  { untilFinished: 60 },
);
const best = study.bestTrial;
console.log(`best ${best.values?.[0].toFixed(4)} at`, best.params);
if ((best.values?.[0] ?? 99) > 2) throw new Error('TPE finds the bowl');
