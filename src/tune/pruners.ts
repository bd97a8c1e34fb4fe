// Pruners: stop trials whose intermediate values trail the others'. All compare a trial with the other trials at
// the same step, so they work whatever the objective reports (validation loss per boosting round, per epoch...).
// With several objectives, "better" means an earlier place in the Pareto order of the values reported.

import { KeelError, median } from '../core/index.ts';
import { TuneErrors } from './errors.ts';
import { asLoss, paretoOrder } from './pareto.ts';
import type { FrozenTrial, Pruner, StudyView } from './types.ts';

export function nopPruner(): Pruner {
  return { name: 'none', prune: () => false };
}

function lastStep(t: FrozenTrial): number | undefined {
  let last: number | undefined;
  for (const s of t.intermediate.keys()) if (last === undefined || s > last) last = s;
  return last;
}

export interface MedianPrunerOptions {
  /** no pruning until this many trials have completed (default 5) */
  nStartupTrials?: number;
  /** no pruning before this step within a trial (default 0) */
  nWarmupSteps?: number;
  /** prune only at steps that are multiples of this (default 1) */
  intervalSteps?: number;
}

/** Prunes when the trial's best value so far is worse than the median of completed trials at the same step. */
export function medianPruner(options: MedianPrunerOptions = {}): Pruner {
  const nStartup = options.nStartupTrials ?? 5;
  const warmup = options.nWarmupSteps ?? 0;
  const interval = options.intervalSteps ?? 1;
  return {
    name: 'median',
    prune(study: StudyView, trial: FrozenTrial): boolean {
      const step = lastStep(trial);
      if (step === undefined || step < warmup || (step - warmup) % interval !== 0) return false;
      const done = study.trials().filter((t) => t.state === 'complete');
      if (done.length < nStartup) return false;
      const dirs = study.directions;
      const others = done.map((t) => t.intermediate.get(step)).filter((v): v is number[] => v !== undefined);
      if (others.length === 0) return false;
      let best = Number.POSITIVE_INFINITY;
      for (const [s, v] of trial.intermediate) if (s <= step) best = Math.min(best, asLoss(v, dirs)[0]);
      return best > median(others.map((v) => asLoss(v, dirs)[0]));
    },
  };
}

export interface SuccessiveHalvingOptions {
  /** the first rung's step (default 1) */
  minResource?: number;
  /** keep the top 1/eta at each rung (default 3) */
  reductionFactor?: number;
  /** skip the first s rungs (default 0) */
  minEarlyStoppingRate?: number;
  /** trials a rung needs before it prunes anyone (default 1: asynchronous, as ASHA) */
  bootstrapCount?: number;
}

/** Rung k sits at step minResource * eta^(k + s); the value a trial reported at its latest step ≤ the rung is used. */
function rungValue(t: FrozenTrial, rungStep: number): number[] | undefined {
  let at: number | undefined;
  for (const s of t.intermediate.keys()) if (s <= rungStep && (at === undefined || s > at)) at = s;
  return at === undefined ? undefined : t.intermediate.get(at);
}

function reached(t: FrozenTrial, rungStep: number): boolean {
  const last = lastStep(t);
  return last !== undefined && last >= rungStep;
}

/** Asynchronous successive halving (ASHA): at each rung a trial continues only if it is in the top 1/eta so far. */
export function successiveHalvingPruner(options: SuccessiveHalvingOptions = {}): Pruner & {
  rungs(maxStep: number): number[];
} {
  const r = options.minResource ?? 1;
  const eta = options.reductionFactor ?? 3;
  const s0 = options.minEarlyStoppingRate ?? 0;
  const bootstrap = options.bootstrapCount ?? 1;
  if (!(r > 0) || !(eta >= 2) || !(s0 >= 0) || !(bootstrap >= 1)) {
    throw new KeelError(TuneErrors.BAD_OPTION, 'successive halving: minResource > 0, reductionFactor >= 2');
  }
  const rungs = (maxStep: number): number[] => {
    const out: number[] = [];
    for (let k = 0; ; k++) {
      const step = r * eta ** (k + s0);
      if (step > maxStep) return out;
      out.push(step);
    }
  };
  return {
    name: 'successive_halving',
    rungs,
    prune(study: StudyView, trial: FrozenTrial, filter?: (t: FrozenTrial) => boolean): boolean {
      const step = lastStep(trial);
      if (step === undefined) return false;
      const rung = rungs(step).pop();
      if (rung === undefined) return false;
      // decide once per rung: the first report at or past it
      const previous = [...trial.intermediate.keys()].filter((s) => s < step);
      if (previous.some((s) => s >= rung)) return false;
      const competitors = study
        .trials()
        .filter((t) => t.number !== trial.number && reached(t, rung) && (!filter || filter(t)))
        .map((t) => rungValue(t, rung) as number[]);
      if (competitors.length + 1 < bootstrap) return false;
      const mine = rungValue(trial, rung) as number[];
      const all = [mine, ...competitors].map((v) => asLoss(v, study.directions));
      const order = paretoOrder(all);
      const keep = Math.max(1, Math.floor(all.length / eta));
      return order.indexOf(0) >= keep;
    },
  } as Pruner & { rungs(maxStep: number): number[] };
}

export interface HyperbandOptions {
  minResource?: number;
  /** the most steps a trial can report (sets the number of brackets) */
  maxResource: number;
  reductionFactor?: number;
}

/**
 * Hyperband: several successive-halving brackets, each starting its rungs later; a trial belongs to one bracket
 * (chosen from its number) and is compared only with trials of that bracket.
 */
export function hyperbandPruner(options: HyperbandOptions): Pruner {
  const r = options.minResource ?? 1;
  const eta = options.reductionFactor ?? 3;
  if (!(options.maxResource > r))
    throw new KeelError(TuneErrors.BAD_OPTION, 'hyperband: maxResource > minResource');
  const nBrackets = Math.floor(Math.log(options.maxResource / r) / Math.log(eta)) + 1;
  // brackets that prune early get more trials, as in the original budget split
  const budgets = Array.from({ length: nBrackets }, (_, s) =>
    Math.ceil((nBrackets * eta ** (nBrackets - 1 - s)) / (nBrackets - s)),
  );
  const total = budgets.reduce((a, b) => a + b, 0);
  const bracketOf = (n: number): number => {
    let x = (Math.imul(n + 1, 0x9e3779b1) >>> 0) % total;
    for (let s = 0; s < nBrackets; s++) {
      if (x < budgets[s]) return s;
      x -= budgets[s];
    }
    return nBrackets - 1;
  };
  const brackets = Array.from({ length: nBrackets }, (_, s) =>
    successiveHalvingPruner({ minResource: r, reductionFactor: eta, minEarlyStoppingRate: s }),
  );
  return {
    name: 'hyperband',
    prune(study: StudyView, trial: FrozenTrial): boolean {
      const b = bracketOf(trial.number);
      const sh = brackets[b] as unknown as {
        prune(s: StudyView, t: FrozenTrial, f: (t: FrozenTrial) => boolean): boolean;
      };
      return sh.prune(study, trial, (t) => bracketOf(t.number) === b);
    },
  };
}
