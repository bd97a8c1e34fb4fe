// The contract every sampler passes: values inside their distribution for every kind of param, the same seed
// giving the same trials, and conditional params that only appear in their branch.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { cardinality } from './distributions.ts';
import { optimize } from './optimize.ts';
import { Study } from './study.ts';
import type { Trial } from './trial.ts';
import type { Sampler } from './types.ts';

const CHOICES = ['gbdt', 'dart', null, true, 3] as const;

function mixedObjective(trial: Trial): number {
  const lr = trial.suggestFloat('lr', 1e-4, 1, { log: true });
  const frac = trial.suggestFloat('frac', 0.1, 0.9, { step: 0.1 });
  const depth = trial.suggestInt('depth', 2, 12);
  const leaves = trial.suggestInt('leaves', 4, 256, { log: true });
  const even = trial.suggestInt('even', 0, 20, { step: 4 });
  const kind = trial.suggestCategorical('kind', CHOICES);
  let extra = 0;
  if (kind === 'gbdt') extra = trial.suggestFloat('gbdt_only', -1, 1);
  return (
    (Math.log10(lr) + 2) ** 2 +
    (frac - 0.3) ** 2 +
    Math.abs(depth - 6) +
    Math.abs(leaves - 31) / 31 +
    even / 20 +
    extra ** 2
  );
}

export function samplerContract(makeSampler: (seed: number) => Sampler, nTrials = 40): void {
  it('keeps every value inside its distribution, on its grid', async () => {
    const study = await Study.open({ sampler: makeSampler(1) });
    await optimize(study, mixedObjective, { nTrials });
    for (const t of study.trials()) {
      assert.equal(t.state, 'complete');
      const p = t.params as Record<string, number | string | null | boolean>;
      assert.ok((p.lr as number) >= 1e-4 && (p.lr as number) <= 1);
      assert.ok(
        Math.abs((p.frac as number) * 10 - Math.round((p.frac as number) * 10)) < 1e-9,
        `frac ${p.frac}`,
      );
      assert.ok((p.frac as number) >= 0.1 - 1e-12 && (p.frac as number) <= 0.9 + 1e-12);
      assert.ok(Number.isInteger(p.depth) && (p.depth as number) >= 2 && (p.depth as number) <= 12);
      assert.ok(Number.isInteger(p.leaves) && (p.leaves as number) >= 4 && (p.leaves as number) <= 256);
      assert.ok([0, 4, 8, 12, 16, 20].includes(p.even as number), `even ${p.even}`);
      assert.ok((CHOICES as readonly unknown[]).includes(p.kind));
      assert.equal('gbdt_only' in p, p.kind === 'gbdt', 'a conditional param appears exactly in its branch');
      for (const [name, d] of Object.entries(t.distributions)) assert.ok(cardinality(d) >= 1, name);
    }
  });

  it('gives the same trials for the same seed', async () => {
    const run = async (): Promise<unknown[]> => {
      const study = await Study.open({ sampler: makeSampler(7) });
      await optimize(study, mixedObjective, { nTrials: Math.min(nTrials, 25) });
      return study.trials().map((t) => t.params);
    };
    assert.deepEqual(await run(), await run());
  });
}
