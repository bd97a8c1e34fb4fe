// TPE and failed trials: a branch that always fails lands in the bad group, so a study under a pruner keeps to the
// branches that work whatever order its concurrent trials end in.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../core/index.ts';
import { Study, successiveHalvingPruner, type Trial, tpeSampler } from './index.ts';

type Outcome = number | { state: 'failed' | 'pruned'; error?: string };

/** The worker test's objective as steps: every yield is a point where another trial may run first. */
function* objective(t: Trial): Generator<void, Outcome> {
  const x = t.suggestFloat('x', -5, 5);
  yield;
  const kind = t.suggestCategorical('kind', ['good', 'bad', 'broken']);
  yield;
  if (kind === 'broken') return { state: 'failed', error: 'this branch always fails' };
  for (let step = 1; step <= 5; step++) {
    t.report(step, (x - 2) ** 2 + (kind === 'bad' ? 10 : 0) + 1 / step);
    yield;
    if (t.shouldPrune()) return { state: 'pruned' };
  }
  return (x - 2) ** 2 + (kind === 'bad' ? 10 : 0);
}

/** A study of `budget` trials, `concurrency` at a time, advanced in an order drawn from `seed`. */
async function interleavedStudy(seed: number, budget: number, concurrency: number) {
  const study = await Study.open({
    sampler: tpeSampler({ seed, nStartupTrials: 6 }),
    pruner: successiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
  });
  const order = createRng(10_000 + seed);
  const active: { trial: Trial; steps: Generator<void, Outcome> }[] = [];
  let started = 0;
  let streak = 0;
  let longestStreak = 0;
  while (started < budget || active.length > 0) {
    while (active.length < concurrency && started < budget) {
      const trial = study.ask();
      active.push({ trial, steps: objective(trial) });
      started++;
    }
    const i = Math.floor(order.next() * active.length);
    const step = active[i].steps.next();
    if (!step.done) continue;
    const ended = await study.tell(active[i].trial, step.value);
    active.splice(i, 1);
    streak = ended.state === 'failed' ? streak + 1 : 0;
    longestStreak = Math.max(longestStreak, streak);
  }
  return { trials: study.trials(), longestStreak };
}

describe('TPE learns from failed trials', () => {
  it('a study with an always-failing branch keeps to the working ones in any interleaving (60 orders)', async () => {
    let late = 0;
    let lateBroken = 0;
    for (let seed = 0; seed < 60; seed++) {
      const { trials, longestStreak } = await interleavedStudy(seed, 40, 2 + (seed % 3));
      assert.equal(trials.length, 40);
      // optimize() stops a study after 10 failures in a row; the model must never get near that
      assert.ok(longestStreak < 8, `seed ${seed}: ${longestStreak} failures in a row`);
      const broken = trials.filter((t) => t.params.kind === 'broken');
      assert.ok(broken.every((t) => t.state === 'failed'));
      const modelled = trials.slice(10);
      late += modelled.length;
      lateBroken += modelled.filter((t) => t.params.kind === 'broken').length;
      // the working branches reach the budget: most modelled trials are not broken
      assert.ok(
        modelled.filter((t) => t.params.kind !== 'broken').length >= 22,
        `seed ${seed}: ${modelled.filter((t) => t.params.kind === 'broken').length} of 30 modelled trials broken`,
      );
    }
    // failed trials left out of both groups gave the broken branch 16 % of the modelled trials here; learning from
    // them, about 5 % (the prior's share)
    assert.ok(lateBroken / late < 0.1, `broken share ${(lateBroken / late).toFixed(3)}`);
  });

  it('once pruned trials fill the bad group, the failing branch is not preferred', async () => {
    const study = await Study.open({
      sampler: tpeSampler({ seed: 3, nStartupTrials: 6, constantLiar: false }),
    });
    // a history like an ASHA study's: few completed trials, many pruned, and the broken branch failing each time
    const dists = {
      x: { type: 'float', low: -5, high: 5 },
      kind: { type: 'categorical', choices: ['good', 'bad', 'broken'] },
    } as const;
    const rng = createRng(5);
    for (let i = 0; i < 30; i++) {
      const t = study.ask({
        x: rng.next() * 10 - 5,
        kind: i % 3 === 0 ? 'broken' : i % 3 === 1 ? 'good' : 'bad',
      });
      const x = t.suggestFloat('x', dists.x.low, dists.x.high);
      const kind = t.suggestCategorical('kind', [...dists.kind.choices]);
      if (kind === 'broken') await study.tell(t, { state: 'failed', error: 'always fails' });
      else if (i < 6) await study.tell(t, (x - 2) ** 2 + (kind === 'bad' ? 10 : 0));
      else {
        t.report(1, (x - 2) ** 2 + (kind === 'bad' ? 10 : 0) + 1);
        await study.tell(t, { state: 'pruned' });
      }
    }
    let broken = 0;
    for (let i = 0; i < 200; i++) {
      const t = study.ask();
      const x = t.suggestFloat('x', -5, 5);
      const kind = t.suggestCategorical('kind', ['good', 'bad', 'broken']);
      if (kind === 'broken') {
        broken++;
        await study.tell(t, { state: 'failed', error: 'always fails' });
      } else {
        t.report(1, (x - 2) ** 2 + (kind === 'bad' ? 10 : 0) + 1);
        await study.tell(t, { state: 'pruned' });
      }
    }
    // 23 of 200 when failed trials were left out of both groups, 7 with them in the bad group
    assert.ok(broken < 15, `${broken} of 200 draws chose the failing branch`);
  });
});
