// Studies, samplers and pruners: the sampler contract for each sampler, TPE against random search, Pareto fronts,
// pruning decisions, limits and concurrency of optimize(), and a file journal that survives being re-opened.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isKeelError } from '../core/index.ts';
import {
  FileJournal,
  gridSampler,
  hyperbandPruner,
  medianPruner,
  nondominatedRanks,
  optimize,
  optimizeInWorkers,
  randomSampler,
  Study,
  successiveHalvingPruner,
  type Trial,
  TuneErrors,
  tpeSampler,
} from './index.ts';
import { samplerContract } from './sampler-contract.ts';
import { numericKernels, numericSpace } from './samplers/parzen.ts';

describe('sampler contract: random', () => samplerContract((seed) => randomSampler({ seed })));
describe('sampler contract: tpe (multivariate)', () => samplerContract((seed) => tpeSampler({ seed }), 50));
describe('sampler contract: tpe (independent)', () =>
  samplerContract((seed) => tpeSampler({ seed, multivariate: false }), 50));
describe('sampler contract: tpe (multivariate, Scott widths)', () =>
  samplerContract((seed) => tpeSampler({ seed, bandwidth: 'scott' }), 50));

function sphere(trial: Trial): number {
  let s = 0;
  for (let d = 0; d < 4; d++) s += (trial.suggestFloat(`x${d}`, -5, 5) - 1) ** 2;
  return s;
}

async function bestOf(sampler: ReturnType<typeof tpeSampler>, n: number): Promise<number> {
  const study = await Study.open({ sampler });
  await optimize(study, sphere, { nTrials: n });
  return study.bestTrial.values?.[0] as number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
}

describe('TPE', () => {
  it('beats random search on a 4-d sphere (median of 5 seeds, 60 trials)', async () => {
    const tpe: number[] = [];
    const rnd: number[] = [];
    for (let seed = 0; seed < 5; seed++) {
      tpe.push(await bestOf(tpeSampler({ seed }), 60));
      rnd.push(await bestOf(randomSampler({ seed }), 60));
    }
    assert.ok(median(tpe) < median(rnd) / 2, `tpe ${median(tpe)} vs random ${median(rnd)}`);
  });

  it('learns which branch of a conditional space is better', async () => {
    const study = await Study.open({ sampler: tpeSampler({ seed: 3 }) });
    await optimize(
      study,
      (t) => {
        const kind = t.suggestCategorical('kind', ['a', 'b']);
        return kind === 'a' ? 1 + t.suggestFloat('xa', 0, 1) : t.suggestFloat('xb', 0, 1) ** 2;
      },
      { nTrials: 60 },
    );
    const late = study
      .trials()
      .slice(30)
      .filter((t) => t.params.kind === 'b').length;
    assert.ok(late >= 20, `after learning, branch b should dominate: ${late} of 30`);
    assert.ok((study.bestTrial.values as number[])[0] < 0.01);
  });

  it('spreads concurrent trials apart (constant liar) and stays deterministic per seed', async () => {
    // 12 finished trials, then 6 asked at once (as 6 workers would): their x values
    const concurrentDraws = async (seed: number, constantLiar: boolean): Promise<number[]> => {
      const study = await Study.open({ sampler: tpeSampler({ seed, nStartupTrials: 5, constantLiar }) });
      for (let i = 0; i < 12; i++) {
        const t = study.ask();
        const x = t.suggestFloat('x', -5, 5);
        await study.tell(t, (x - 2) ** 2);
      }
      const running = Array.from({ length: 6 }, () => study.ask());
      return running.map((t) => t.suggestFloat('x', -5, 5));
    };
    const range = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
    for (let seed = 0; seed < 8; seed++) {
      const liar = await concurrentDraws(seed, true);
      const alone = await concurrentDraws(seed, false);
      // without the liar every worker draws near the same optimum (ranges 0.10-0.84 on these seeds); with it the
      // running trials count as bad and push the next ones elsewhere (3.1-6.8)
      assert.ok(
        range(liar) > 2 && range(liar) > 2 * range(alone),
        `seed ${seed}: ${range(liar)} vs ${range(alone)}`,
      );
      assert.deepEqual(await concurrentDraws(seed, true), liar, `seed ${seed} draws the same again`);
    }
  });

  it('learns from pruned trials when none complete (start-up and good group count them, as Optuna)', async () => {
    for (const multivariate of [true, false]) {
      const study = await Study.open({ sampler: tpeSampler({ seed: 1, multivariate }) });
      const losses: number[] = [];
      for (let n = 0; n < 40; n++) {
        const trial = study.ask();
        const x = trial.suggestFloat('x', 0, 1);
        const y = trial.suggestFloat('y', 0, 1);
        const loss = (x - 0.8) ** 2 + (y - 0.3) ** 2;
        losses.push(loss);
        // every trial is pruned after one report: the sampler has only pruned trials to learn from
        trial.report(1, loss);
        await study.tell(trial, { state: 'pruned' });
      }
      assert.equal(study.trials().filter((t) => t.state === 'complete').length, 0);
      // uniform draws put the median loss near 0.2 (0.19-0.37 for seeds 1-3 and 11 when pruned trials were ignored); a model of the good pruned trials goes to (0.8, 0.3)
      const late = median(losses.slice(20));
      assert.ok(late < 0.05, `multivariate ${multivariate}: median loss of trials 20-39 ${late}`);
    }
  });

  it('gives crowded points narrower kernels than lone ones in a joint model (gaps), equal ones with Scott', () => {
    const space = numericSpace({ type: 'float', low: 0, high: 10, log: false });
    // 19 points crowded in [1, 1.9] and a lone one at 8 (n = 20: the floor on widths is range / 21)
    const obs = [...Array.from({ length: 19 }, (_, i) => 1 + i * 0.05), 8];
    const gaps = numericKernels(space, obs, 3, 'gaps');
    const scott = numericKernels(space, obs, 3, 'scott');
    assert.ok(gaps.kind === 'numeric' && scott.kind === 'numeric');
    const floor = 10 / 21;
    for (let i = 0; i < 18; i++) assert.ok(Math.abs(gaps.sigma[i] - floor) < 1e-12, String(gaps.sigma[i]));
    // a point takes its larger gap: the crowd's top one reaches across to the prior's centre at 5
    assert.ok(Math.abs(gaps.sigma[18] - 3.1) < 1e-12, String(gaps.sigma[18]));
    // the outermost point takes its inner gap: 3 to the prior's centre at 5
    assert.ok(Math.abs(gaps.sigma[19] - 3) < 1e-12, String(gaps.sigma[19]));
    // Scott's rule: 0.2 n^(-1/(d+4)) × range for every observation
    const s = 0.2 * 20 ** (-1 / 7) * 10;
    for (let i = 0; i < 20; i++) assert.ok(Math.abs(scott.sigma[i] - s) < 1e-12);
    assert.equal(gaps.sigma[20], 10);
    assert.throws(
      () => tpeSampler({ bandwidth: 'wide' as 'gaps' }),
      (e) => isKeelError(e, TuneErrors.BAD_OPTION) && /bandwidth/.test((e as Error).message),
    );
  });
});

describe('grid sampler', () => {
  it('visits every cell once before repeating', async () => {
    const grid = gridSampler({ a: [1, 2, 3], b: ['x', 'y'] });
    const study = await Study.open({ sampler: grid });
    await optimize(
      study,
      (t) => t.suggestInt('a', 1, 3) + (t.suggestCategorical('b', ['x', 'y']) === 'x' ? 0 : 10),
      {
        nTrials: grid.size,
      },
    );
    const cells = new Set(study.trials().map((t) => `${t.params.a}${t.params.b}`));
    assert.equal(cells.size, 6);
  });

  it('rejects a param outside the grid with a coded error', async () => {
    const study = await Study.open({ sampler: gridSampler({ a: [1] }) });
    const trial = study.ask();
    assert.throws(
      () => trial.suggestFloat('zzz', 0, 1),
      (e) => isKeelError(e, TuneErrors.BAD_OPTION),
    );
  });
});

describe('study', () => {
  it('names the param in distribution errors and refuses a changed range within a trial', async () => {
    const study = await Study.open();
    const trial = study.ask();
    assert.throws(
      () => trial.suggestFloat('lr', 1, 0),
      (e) => isKeelError(e, TuneErrors.BAD_DISTRIBUTION) && (e.details as { param: string }).param === 'lr',
    );
    assert.throws(
      () => trial.suggestFloat('lr2', 0, 1, { log: true }),
      (e) => isKeelError(e, TuneErrors.BAD_DISTRIBUTION),
    );
    trial.suggestInt('n', 1, 10);
    assert.throws(
      () => trial.suggestInt('n', 1, 20),
      (e) => isKeelError(e, TuneErrors.INCOMPATIBLE_PARAM),
    );
  });

  it('records NaN as a failed trial, refuses a second tell, and has no best before a completed trial', async () => {
    const study = await Study.open();
    assert.throws(
      () => study.bestTrial,
      (e) => isKeelError(e, TuneErrors.NO_COMPLETED_TRIALS),
    );
    const t = study.ask();
    const frozen = await study.tell(t, Number.NaN);
    assert.equal(frozen.state, 'failed');
    await assert.rejects(study.tell(t, 1), (e) => isKeelError(e, TuneErrors.STUDY_MISMATCH));
  });

  it('replays enqueued params and warm-start trials', async () => {
    const first = await Study.open({ sampler: randomSampler({ seed: 1 }) });
    await optimize(first, sphere, { nTrials: 15 });
    const second = await Study.open({ sampler: tpeSampler({ seed: 1, nStartupTrials: 10 }) });
    for (const t of first.trials()) {
      second.addTrial({ params: t.params, distributions: t.distributions, values: t.values as number[] });
    }
    second.enqueueTrial({ x0: 1, x1: 1, x2: 1, x3: 1 });
    await optimize(second, sphere, { nTrials: 1 });
    assert.equal(second.trials().length, 16);
    assert.equal(second.bestTrial.values?.[0], 0);
  });

  it('stops on each limit and runs trials concurrently', async () => {
    const study = await Study.open({ sampler: randomSampler() });
    let live = 0;
    let peak = 0;
    const slow = async (t: Trial): Promise<number> => {
      live++;
      peak = Math.max(peak, live);
      await new Promise((r) => setTimeout(r, 20));
      live--;
      return t.suggestFloat('x', 0, 1);
    };
    const s1 = await optimize(study, slow, { nTrials: 8, concurrency: 4 });
    assert.equal(s1.trials, 8);
    assert.equal(peak, 4);
    const s2 = await optimize(study, slow, { untilFinished: 10 });
    assert.equal(s2.stoppedBy, 'finished');
    assert.equal(study.finishedCount, 10);
    const s3 = await optimize(study, slow, { timeoutMs: 100 });
    assert.equal(s3.stoppedBy, 'timeout');
    assert.ok(s3.trials >= 2 && s3.trials <= 8, `${s3.trials} trials in 100 ms of 20 ms trials`);
    await assert.rejects(optimize(study, slow, {}), (e) => isKeelError(e, TuneErrors.BAD_OPTION));
  });

  it('stops a study whose objective keeps failing, with the error', async () => {
    const study = await Study.open();
    await assert.rejects(
      optimize(
        study,
        () => {
          throw new Error('bug in objective');
        },
        { nTrials: 50, maxConsecutiveFailures: 3 },
      ),
      /bug in objective/,
    );
    assert.equal(study.trials().length, 3);
  });

  it('returns the Pareto front for several objectives', async () => {
    const study = await Study.open({
      directions: ['minimize', 'maximize'],
      sampler: tpeSampler({ seed: 2 }),
    });
    await optimize(
      study,
      (t) => {
        const x = t.suggestFloat('x', 0, 1);
        return [x * x, x];
      },
      { nTrials: 30 },
    );
    const front = study.bestTrials;
    // every trial is on the front of (x², -x)? No: x² rises with x, so each x trades one for the other: all are.
    assert.equal(front.length, study.trials().filter((t) => t.state === 'complete').length);
    const ranks = nondominatedRanks([
      [1, 1],
      [0, 2],
      [2, 2],
      [0, 0],
    ]);
    assert.deepEqual(ranks, [1, 1, 2, 0]);
    assert.throws(
      () => study.bestTrial,
      (e) => isKeelError(e, TuneErrors.BAD_OPTION),
    );
  });
});

/** Curves: trial k's loss at step s is (k % 5) + 1/(s+1); lower k%5 is better at every step. */
async function curveStudy(pruner: ReturnType<typeof medianPruner>, n: number, steps: number) {
  const study = await Study.open({ pruner, sampler: randomSampler() });
  let stepsRun = 0;
  await optimize(
    study,
    (t) => {
      const q = t.number % 5;
      let v = 0;
      for (let s = 1; s <= steps; s++) {
        v = q + 1 / (s + 1);
        stepsRun++;
        t.report(s, v);
        t.pruneIfNeeded();
      }
      return v;
    },
    { nTrials: n },
  );
  return { study, stepsRun };
}

describe('pruners', () => {
  it('median prunes trials worse than the median and keeps the best ones', async () => {
    const { study, stepsRun } = await curveStudy(medianPruner({ nStartupTrials: 5 }), 20, 10);
    const pruned = study.trials().filter((t) => t.state === 'pruned');
    assert.ok(pruned.length >= 6, `${pruned.length} pruned`);
    // the median of completed curves falls as the bad ones are pruned, so q = 2 may go too; the best never does
    assert.ok(
      pruned.every((t) => t.number % 5 >= 2),
      'only curves worse than the median are pruned',
    );
    const late = study.trials().filter((t) => t.number >= 5 && t.number % 5 >= 3);
    assert.ok(
      late.every((t) => t.state === 'pruned'),
      'every clearly worse curve after start-up is pruned',
    );
    assert.ok(stepsRun < 200);
  });

  it('ASHA decides once per rung and keeps the top 1/eta', async () => {
    const sh = successiveHalvingPruner({ minResource: 1, reductionFactor: 3 });
    assert.deepEqual(sh.rungs(30), [1, 3, 9, 27]);
    const { study, stepsRun } = await curveStudy(sh, 30, 27);
    const complete = study.trials().filter((t) => t.state === 'complete');
    assert.ok(
      complete.every((t) => t.number % 5 === 0 || t.number < 5),
      'only the best curve survives',
    );
    assert.ok(stepsRun < 30 * 27 * 0.5, `${stepsRun} steps of ${30 * 27}`);
    for (const t of study.trials().filter((x) => x.state === 'pruned')) {
      const last = Math.max(...t.intermediate.keys());
      assert.ok([1, 3, 9, 27].includes(last), `pruned at a rung, not at step ${last}`);
    }
  });

  it('Hyperband prunes within brackets', async () => {
    const { study } = await curveStudy(hyperbandPruner({ maxResource: 27 }), 40, 27);
    assert.ok(study.trials().some((t) => t.state === 'pruned'));
    assert.ok(study.trials().some((t) => t.state === 'complete'));
  });
});

describe('file journal', () => {
  it('re-opens a study with every trial, drops a torn last line, and re-runs an interrupted trial once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-tune-'));
    const file = path.join(dir, 'study.jsonl');
    const a = await Study.open({
      name: 's',
      journal: new FileJournal(file),
      sampler: randomSampler({ seed: 1 }),
    });
    await optimize(a, sphere, { nTrials: 5 });
    const hanging = a.ask();
    hanging.suggestFloat('x0', -5, 5);
    await a.close();
    fs.appendFileSync(file, '{"op":"report","n":5,'); // a write cut short by a crash
    const b = await Study.open({ journal: new FileJournal(file), sampler: randomSampler({ seed: 1 }) });
    assert.equal(b.name, 's');
    assert.equal(b.trials()[5].state, 'failed');
    await optimize(b, sphere, { untilFinished: 8 });
    assert.equal(b.finishedCount, 8);
    const retries = b.trials().filter((t) => t.attrs.retryOf === 5);
    assert.equal(retries.length, 1);
    assert.equal(retries[0].params.x0, hanging.params.x0);
    await b.close();
    const c = await Study.open({ journal: new FileJournal(file) });
    assert.equal(c.trials().filter((t) => t.attrs.retryOf === 5).length, 1, 'not retried twice');
    assert.equal(c.finishedCount, 8);
    await assert.rejects(Study.open({ journal: new FileJournal(file), directions: ['maximize'] }), (e) =>
      isKeelError(e, TuneErrors.STUDY_MISMATCH),
    );
    fs.rmSync(dir, { recursive: true });
  });
});

describe('parallel trials on worker threads', () => {
  const module = new URL('./test-objective.ts', import.meta.url).href;

  it('runs trials on several threads with suggestions, reports, pruning and failures handled by the study', async () => {
    const study = await Study.open({
      sampler: tpeSampler({ seed: 1, nStartupTrials: 6 }),
      pruner: successiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
    });
    // one trial of the failing branch for certain, so the failure path is checked in every run
    study.enqueueTrial({ x: 0, kind: 'broken' });
    const summary = await optimizeInWorkers(
      study,
      { module, workers: 2, data: { spin: 2 } },
      { nTrials: 24 },
    );
    assert.equal(summary.trials, 24);
    const trials = study.trials();
    assert.equal(trials.length, 24);
    const threads = new Set(trials.map((t) => t.attrs.thread).filter((v) => v !== undefined));
    assert.ok(threads.size === 2 && !threads.has(0), `trials ran on worker threads ${[...threads]}`);
    assert.ok(
      trials.some((t) => t.state === 'pruned'),
      'pruned across workers',
    );
    const broken = trials.filter((t) => t.params.kind === 'broken');
    assert.ok(broken.length >= 1, 'the enqueued broken trial ran');
    assert.ok(broken.every((t) => t.state === 'failed' && t.error === 'this branch always fails'));
    assert.ok(trials.filter((t) => t.state === 'complete').every((t) => t.intermediate.size === 5));
  });

  it('reports a module without the objective as a coded error', async () => {
    const study = await Study.open();
    await assert.rejects(
      optimizeInWorkers(study, { module, exportName: 'nothing', workers: 1 }, { nTrials: 1 }),
      (e) => isKeelError(e, TuneErrors.WORKER_FAILED),
    );
  });
});

describe('pruning with several objectives', () => {
  it('ASHA keeps the trials early in the Pareto order of the reported vectors', async () => {
    const study = await Study.open({
      directions: ['maximize', 'minimize'],
      sampler: randomSampler(),
      pruner: successiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
    });
    await optimize(
      study,
      (t) => {
        // q = 0 is best on both objectives, q = 2 worst on both: a clear Pareto order
        const q = t.number % 3;
        let v: number[] = [];
        for (let s = 1; s <= 9; s++) {
          v = [1 - q / 10 - 1 / (s + 1), q + s / 100];
          t.report(s, v);
          t.pruneIfNeeded();
        }
        return v;
      },
      { nTrials: 18 },
    );
    const complete = study.trials().filter((t) => t.state === 'complete');
    assert.ok(complete.length >= 1);
    assert.ok(
      complete.every((t) => t.number % 3 === 0 || t.number < 3),
      'only dominating curves complete',
    );
    assert.ok(
      study
        .trials()
        .filter((t) => t.number % 3 === 2 && t.number > 2)
        .every((t) => t.state === 'pruned'),
    );
    assert.ok(study.bestTrials.every((t) => t.number % 3 === 0));
  });
});
