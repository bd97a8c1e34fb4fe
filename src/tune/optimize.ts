// optimize(): runs an objective over many trials within limits (count, wall time, CPU-seconds, a study total) with
// a number of trials in flight at once. Pruned and failed trials are recorded, never thrown, unless failures pile
// up (then the last error is rethrown: a broken objective should stop the study, not burn its budget).

import { isKeelError, KeelError } from '../core/index.ts';
import { TuneErrors } from './errors.ts';
import type { Study } from './study.ts';
import type { Trial } from './trial.ts';
import type { FrozenTrial } from './types.ts';

export type ObjectiveResult = number | readonly number[];
export type Objective = (trial: Trial) => ObjectiveResult | Promise<ObjectiveResult>;

export interface OptimizeOptions {
  /** trials to run in this call */
  nTrials?: number;
  /** stop once the study holds this many finished (complete or pruned) trials: what a resumed study wants */
  untilFinished?: number;
  /** no new trial starts after this many milliseconds */
  timeoutMs?: number;
  /** no new trial starts once the trials of this call used this many process CPU-seconds */
  cpuBudgetSeconds?: number;
  /** trials in flight at once (default 1); the objective must await for this to overlap work */
  concurrency?: number;
  /** record a throwing objective as a failed trial and go on (default true) */
  catchErrors?: boolean;
  /** stop with the error after this many failures in a row (default 10) */
  maxConsecutiveFailures?: number;
  onTrialEnd?: (study: Study, trial: FrozenTrial) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface OptimizeSummary {
  trials: number;
  complete: number;
  pruned: number;
  failed: number;
  elapsedMs: number;
  cpuSeconds: number;
  /** why the loop stopped */
  stoppedBy: 'trials' | 'finished' | 'timeout' | 'cpu_budget' | 'aborted';
}

export async function optimize(
  study: Study,
  objective: Objective,
  options: OptimizeOptions = {},
): Promise<OptimizeSummary> {
  const concurrency = options.concurrency ?? 1;
  const catchErrors = options.catchErrors ?? true;
  const maxFailures = options.maxConsecutiveFailures ?? 10;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new KeelError(TuneErrors.BAD_OPTION, `concurrency must be a positive integer, got ${concurrency}`);
  }
  if (
    options.nTrials === undefined &&
    options.untilFinished === undefined &&
    options.timeoutMs === undefined &&
    options.cpuBudgetSeconds === undefined &&
    !options.signal
  ) {
    throw new KeelError(
      TuneErrors.BAD_OPTION,
      'optimize needs a limit: nTrials, untilFinished, timeoutMs, cpuBudgetSeconds or a signal',
    );
  }
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const summary: OptimizeSummary = {
    trials: 0,
    complete: 0,
    pruned: 0,
    failed: 0,
    elapsedMs: 0,
    cpuSeconds: 0,
    stoppedBy: 'trials',
  };
  let started = 0;
  let inFlight = 0;
  let consecutiveFailures = 0;
  let fatal: unknown = null;

  const cpuUsed = (): number => {
    const u = process.cpuUsage(cpu0);
    return (u.user + u.system) / 1e6;
  };
  const stopReason = (): OptimizeSummary['stoppedBy'] | null => {
    if (options.signal?.aborted) return 'aborted';
    if (options.nTrials !== undefined && started >= options.nTrials) return 'trials';
    if (options.untilFinished !== undefined && study.finishedCount + inFlight >= options.untilFinished)
      return 'finished';
    if (options.timeoutMs !== undefined && Date.now() - t0 >= options.timeoutMs) return 'timeout';
    if (options.cpuBudgetSeconds !== undefined && cpuUsed() >= options.cpuBudgetSeconds) return 'cpu_budget';
    return null;
  };

  async function runOne(): Promise<void> {
    const trial = study.ask();
    // the trial's start is stored before the objective runs, so a crash leaves it visible as interrupted
    await study.flush();
    let frozen: FrozenTrial;
    try {
      const result = await objective(trial);
      frozen = await study.tell(trial, result);
    } catch (err) {
      if (isKeelError(err, TuneErrors.TRIAL_PRUNED)) frozen = await study.tell(trial, { state: 'pruned' });
      else {
        frozen = await study.tell(trial, {
          state: 'failed',
          error: err instanceof Error ? err.message : String(err),
        });
        if (!catchErrors) fatal ??= err;
      }
    }
    summary.trials++;
    if (frozen.state === 'complete') summary.complete++;
    else if (frozen.state === 'pruned') summary.pruned++;
    else summary.failed++;
    if (frozen.state === 'failed') {
      consecutiveFailures++;
      if (consecutiveFailures >= maxFailures && !fatal) {
        fatal = new KeelError(
          TuneErrors.BAD_VALUE,
          `${consecutiveFailures} trials failed in a row; the last: ${frozen.error}`,
          { trial: frozen.number },
        );
      }
    } else consecutiveFailures = 0;
    await options.onTrialEnd?.(study, frozen);
  }

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      let reason = fatal ? 'aborted' : stopReason();
      while (!reason && inFlight < concurrency) {
        started++;
        inFlight++;
        runOne()
          .catch((err) => {
            fatal ??= err;
          })
          .finally(() => {
            inFlight--;
            pump();
          });
        reason = stopReason();
      }
      if (reason && inFlight === 0) {
        summary.stoppedBy = reason as OptimizeSummary['stoppedBy'];
        resolve();
      }
    };
    pump();
  });
  summary.elapsedMs = Date.now() - t0;
  summary.cpuSeconds = cpuUsed();
  await study.flush();
  if (fatal) throw fatal;
  return summary;
}
