// Trial: what an objective sees. Suggestions are define-by-run: each suggest call samples (or replays) one param.

import { KeelError } from '../core/index.ts';
import type { Choice, Distribution, ParamValue } from './distributions.ts';
import { TuneErrors } from './errors.ts';
import type { FrozenTrial } from './types.ts';

/** The narrow study surface a trial talks to (implemented by Study). */
export interface TrialHost {
  suggest(trial: FrozenTrial, name: string, dist: Distribution): ParamValue;
  report(trial: FrozenTrial, step: number, values: number[]): void;
  shouldPrune(trial: FrozenTrial): boolean;
  setAttr(trial: FrozenTrial, key: string, value: unknown): void;
  flush(): Promise<void>;
}

export interface FloatOptions {
  log?: boolean;
  step?: number;
}

export interface IntOptions {
  log?: boolean;
  step?: number;
}

export class Trial {
  constructor(
    private readonly host: TrialHost,
    /** live record: params fill in as they are suggested */
    readonly frozen: FrozenTrial,
  ) {}

  get number(): number {
    return this.frozen.number;
  }

  get params(): Readonly<Record<string, ParamValue>> {
    return this.frozen.params;
  }

  suggestFloat(name: string, low: number, high: number, options: FloatOptions = {}): number {
    const dist: Distribution = { type: 'float', low, high, log: options.log ?? false };
    if (options.step !== undefined) dist.step = options.step;
    return this.host.suggest(this.frozen, name, dist) as number;
  }

  suggestInt(name: string, low: number, high: number, options: IntOptions = {}): number {
    return this.host.suggest(this.frozen, name, {
      type: 'int',
      low,
      high,
      log: options.log ?? false,
      step: options.step ?? 1,
    }) as number;
  }

  suggestCategorical<T extends Choice>(name: string, choices: readonly T[]): T {
    return this.host.suggest(this.frozen, name, { type: 'categorical', choices: [...choices] }) as T;
  }

  /** Reports an intermediate value (one per objective) at a step: boosting rounds, epochs, rungs of data. */
  report(step: number, value: number | readonly number[]): void {
    if (!Number.isInteger(step) || step < 0) {
      throw new KeelError(TuneErrors.BAD_VALUE, `report step must be a non-negative integer, got ${step}`);
    }
    const values = typeof value === 'number' ? [value] : [...value];
    this.host.report(this.frozen, step, values);
  }

  /** Whether the pruner would stop this trial now, given what it has reported. */
  shouldPrune(): boolean {
    return this.host.shouldPrune(this.frozen);
  }

  /** Throws the pruned signal when the pruner says so; call after report() in a training loop. */
  pruneIfNeeded(): void {
    if (this.shouldPrune()) throw prunedSignal(this.frozen);
  }

  setAttr(key: string, value: unknown): void {
    this.host.setAttr(this.frozen, key, value);
  }

  /**
   * Waits until what this trial recorded so far (its params) is in the study's storage. An objective that suggests
   * everything first and then trains synchronously should await this in between: a crash during training then
   * leaves the trial's params behind, and the resumed study re-runs it with them.
   */
  flush(): Promise<void> {
    return this.host.flush();
  }
}

export function prunedSignal(trial: FrozenTrial): KeelError {
  const last = [...trial.intermediate.keys()].pop();
  return new KeelError(TuneErrors.TRIAL_PRUNED, `trial ${trial.number} pruned at step ${last}`);
}
