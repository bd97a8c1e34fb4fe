// Tree-structured Parzen Estimator. Finished trials are split into a good group (the best gamma(n), by value or by
// Pareto order; pruned trials rank after completed ones, the furthest-reaching first) and the rest, which also holds
// every failed trial (a branch that always fails is then avoided, not scored by the prior alone); candidates drawn
// from the good group's Parzen mixture l(x) are ranked by log l(x) - log g(x) and the best is taken. Multivariate mode
// models the params every finished trial shares jointly; params that only some trials have (conditional branches) are
// modelled on their own from those trials.
// Kernel widths come from each point's gaps to its neighbours, per dimension, in both modes (parzen.ts).

import { KeelError } from '../../core/index.ts';
import { type Distribution, sameDistribution, snap } from '../distributions.ts';
import { TuneErrors } from '../errors.ts';
import { asLoss, paretoOrder } from '../pareto.ts';
import type { FrozenTrial, Sampler, StudyView } from '../types.ts';
import {
  categoricalKernels,
  drawFrom,
  fromModel,
  type Kernels,
  logDensity,
  type Mixture,
  numericKernels,
  numericSpace,
  toModel,
} from './parzen.ts';
import { trialRng, uniformDraw } from './random.ts';

export interface TpeOptions {
  seed?: number;
  /** random trials before the model takes over (default 10; finished trials count, completed or pruned) */
  nStartupTrials?: number;
  /** candidates drawn from l(x) per decision (default 24) */
  nCandidates?: number;
  /** model the shared params jointly (default true) */
  multivariate?: boolean;
  /**
   * size of the good group for n finished trials (default min(ceil(0.2 n), 25): a wider good group than Optuna's
   * 0.1 n measured better on bench/tune.ts's test functions, on held-out seeds too)
   */
  gamma?: (n: number) => number;
  priorWeight?: number;
  /** count running trials as bad ones, so concurrent workers spread out (default true) */
  constantLiar?: boolean;
  /**
   * kernel widths of numeric params (default 'gaps': per point and dimension, from the gaps to its neighbours —
   * chosen over 'scott', Optuna's multivariate rule, on held-out seeds of bench/tune.ts's test functions)
   */
  bandwidth?: 'gaps' | 'scott';
}

interface Plan {
  values: Map<string, number>;
}

/** a trial the model learns from: completed with values, or pruned (ranked by how far it got) */
const isFinished = (t: FrozenTrial): boolean =>
  (t.state === 'complete' && !!t.values) || t.state === 'pruned';

export function tpeSampler(options: TpeOptions = {}): Sampler {
  const seed = options.seed ?? 0;
  const nStartup = options.nStartupTrials ?? 10;
  const nCandidates = options.nCandidates ?? 24;
  const multivariate = options.multivariate ?? true;
  const gamma = options.gamma ?? ((n: number) => Math.min(Math.ceil(0.2 * n), 25));
  const priorWeight = options.priorWeight ?? 1;
  const constantLiar = options.constantLiar ?? true;
  const bandwidth = options.bandwidth ?? 'gaps';
  if (!(nCandidates >= 1) || !(nStartup >= 0) || !(priorWeight > 0)) {
    throw new KeelError(TuneErrors.BAD_OPTION, 'tpe: nCandidates >= 1, nStartupTrials >= 0, priorWeight > 0');
  }
  if (bandwidth !== 'gaps' && bandwidth !== 'scott') {
    throw new KeelError(
      TuneErrors.BAD_OPTION,
      `tpe: bandwidth must be 'gaps' or 'scott', got ${String(bandwidth)}`,
    );
  }
  const plans = new Map<number, Plan>();

  /** Finished trials ranked best first, then the running ones (constant liar) at the very end. */
  function ranked(study: StudyView, current: FrozenTrial): { order: FrozenTrial[]; nBelow: number } {
    const all = study.trials();
    const complete = all.filter((t) => t.state === 'complete' && t.values);
    const pruned = all.filter((t) => t.state === 'pruned');
    const losses = complete.map((t) => asLoss(t.values as number[], study.directions));
    const order = paretoOrder(losses).map((i) => complete[i]);
    // pruned trials: the further they got the better; then by their last value
    const lastStep = (t: FrozenTrial): number => Math.max(-1, ...t.intermediate.keys());
    const prunedLoss = (t: FrozenTrial): number => {
      const v = t.intermediate.get(lastStep(t));
      return v ? asLoss(v, study.directions)[0] : Number.POSITIVE_INFINITY;
    };
    pruned.sort((a, b) => lastStep(b) - lastStep(a) || prunedLoss(a) - prunedLoss(b));
    const running = constantLiar
      ? all.filter((t) => t.state === 'running' && t.number !== current.number)
      : [];
    // failed trials rank last among the ended ones: without them, a failing branch is absent from both groups, and
    // once pruned trials fill the bad group its l/g ratio (the priors' alone) beats every branch that works
    const failed = all.filter((t) => t.state === 'failed');
    // as Optuna: when too few trials have completed, the good group is filled with the pruned ones that got furthest
    // (under a pruner few trials complete; a good group of completed trials alone would stay tiny or empty)
    const finished = [...order, ...pruned];
    return {
      order: [...finished, ...failed, ...running],
      nBelow: Math.min(gamma(finished.length), finished.length),
    };
  }

  function kernels(trials: readonly FrozenTrial[], name: string, dist: Distribution, dims: number): Kernels {
    const obs = trials.map((t) => t.internal[name]);
    if (dist.type === 'categorical') return categoricalKernels(dist.choices.length, obs, priorWeight);
    const space = numericSpace(dist);
    return numericKernels(
      space,
      obs.map((v) => toModel(space, v)),
      dims,
      bandwidth,
    );
  }

  function weights(trials: readonly FrozenTrial[]): Float64Array {
    // older trials count less once there are many (a linear ramp over all but the newest 25)
    const n = trials.length;
    const w = new Float64Array(n + 1);
    const byAge = trials.map((t, i) => [t.number, i]).sort((a, b) => a[0] - b[0]);
    byAge.forEach(([, i], rank) => {
      w[i] = n <= 25 ? 1 : rank >= n - 25 ? 1 : 1 / n + ((1 - 1 / n) * rank) / (n - 25);
    });
    w[n] = priorWeight;
    return w;
  }

  /** Draws candidates from l over the given params and returns the one with the best l/g ratio. */
  function choose(
    trial: FrozenTrial,
    names: string[],
    dists: Distribution[],
    below: FrozenTrial[],
    above: FrozenTrial[],
    salt: string,
  ): number[] {
    const dims = names.length > 1 ? names.length : 0;
    const l: Mixture = {
      weights: weights(below),
      dims: names.map((n, d) => kernels(below, n, dists[d], dims)),
    };
    const g: Mixture = {
      weights: weights(above),
      dims: names.map((n, d) => kernels(above, n, dists[d], dims)),
    };
    const rng = trialRng(seed, trial.number, salt);
    let best: number[] = [];
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < nCandidates; c++) {
      const x = drawFrom(l, rng).map((v, d) => {
        const dist = dists[d];
        if (dist.type === 'categorical') return v;
        // snap onto the param's grid in model space so the density is evaluated where the value will land
        const space = (l.dims[d] as Extract<Kernels, { kind: 'numeric' }>).space;
        return toModel(space, snap(dist, fromModel(space, v)));
      });
      const score = logDensity(l, x) - logDensity(g, x);
      if (score > bestScore || best.length === 0) {
        bestScore = score;
        best = x;
      }
    }
    return best.map((v, d) => {
      const dist = dists[d];
      if (dist.type === 'categorical') return v;
      const space = (l.dims[d] as Extract<Kernels, { kind: 'numeric' }>).space;
      return snap(dist, fromModel(space, v));
    });
  }

  function split(order: FrozenTrial[], nBelow: number): [FrozenTrial[], FrozenTrial[]] {
    return [order.slice(0, nBelow), order.slice(nBelow)];
  }

  function planJoint(study: StudyView, trial: FrozenTrial): Plan {
    const plan: Plan = { values: new Map() };
    // start-up counts pruned trials too (as Optuna does): under a pruner most trials end pruned, and counting only
    // completed ones would keep the study on random draws for most of its budget
    const finished = study.trials().filter(isFinished);
    if (finished.length < nStartup || finished.length === 0) return plan;
    // the params every finished trial has, with one distribution
    const first = finished[0];
    const names = Object.keys(first.distributions).filter((n) =>
      finished.every(
        (t) => t.distributions[n] && sameDistribution(t.distributions[n], first.distributions[n]),
      ),
    );
    if (names.length < 2) return plan;
    names.sort();
    const { order, nBelow } = ranked(study, trial);
    const usable = order.filter((t) =>
      names.every((n) => t.distributions[n] && sameDistribution(t.distributions[n], first.distributions[n])),
    );
    const [below, above] = split(usable, Math.min(nBelow, usable.length));
    if (below.length === 0) return plan;
    const dists = names.map((n) => first.distributions[n]);
    const x = choose(trial, names, dists, below, above, '#joint');
    names.forEach((n, d) => {
      plan.values.set(n, x[d]);
    });
    return plan;
  }

  return {
    name: 'tpe',
    sample(study: StudyView, trial: FrozenTrial, name: string, dist: Distribution): number {
      if (multivariate) {
        let plan = plans.get(trial.number);
        if (!plan) {
          plan = planJoint(study, trial);
          plans.set(trial.number, plan);
          // plans of trials that have ended are never read again
          for (const k of plans.keys()) if (k < trial.number - 1000) plans.delete(k);
        }
        const planned = plan.values.get(name);
        const firstHaving = study.trials().find((t) => isFinished(t) && t.distributions[name]);
        const firstDist = firstHaving?.distributions[name];
        if (planned !== undefined && firstDist && sameDistribution(firstDist, dist)) return planned;
      }
      const { order } = ranked(study, trial);
      const having = order.filter(
        (t) => t.distributions[name] && sameDistribution(t.distributions[name], dist),
      );
      // the good group among the trials that have this param (a conditional branch has fewer)
      const finishedHaving = having.filter(isFinished).length;
      if (finishedHaving < Math.max(nStartup, 1))
        return uniformDraw(trialRng(seed, trial.number, name), dist);
      const cut = Math.max(1, gamma(finishedHaving));
      const [below, above] = split(having, Math.min(cut, finishedHaving));
      return choose(trial, [name], [dist], below, above, name)[0];
    },
  };
}
