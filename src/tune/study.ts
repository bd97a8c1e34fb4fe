// Study: define-by-run optimisation. ask() hands out a Trial, tell() records its outcome, optimize() loops over an
// objective with trial/time limits and concurrency. Every change goes to the study's journal in order, so a study
// re-opened after a crash has every trial; trials that were running when it died are marked failed ("interrupted")
// and re-run once with the same params, so none is lost and none counted twice.

import { KeelError } from '../core/index.ts';
import {
  checkDistribution,
  type Distribution,
  type ParamValue,
  sameDistribution,
  toExternal,
  toInternal,
} from './distributions.ts';
import { TuneErrors } from './errors.ts';
import { MemoryJournal, newTrial, replay, type StudyEvent, type StudyJournal } from './journal.ts';
import { asLoss, nondominatedRanks } from './pareto.ts';
import { nopPruner } from './pruners.ts';
import { tpeSampler } from './samplers/tpe.ts';
import { Trial, type TrialHost } from './trial.ts';
import type { Direction, FrozenTrial, Pruner, Sampler, StudyView, TrialState } from './types.ts';

export const INTERRUPTED = 'interrupted';

export interface StudyOptions {
  name?: string;
  /** one per objective (default one 'minimize') */
  directions?: Direction[];
  /** names of the objectives, for reports and tracked metrics (default value, value_1, ...) */
  objectives?: string[];
  sampler?: Sampler;
  pruner?: Pruner;
  /** where the study lives (default in memory) */
  journal?: StudyJournal;
}

interface Pending {
  params: Record<string, ParamValue>;
  attrs: Record<string, unknown>;
}

export class Study implements StudyView, TrialHost {
  readonly name: string;
  readonly directions: Direction[];
  readonly objectives: string[];
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  private readonly journal: StudyJournal;
  private readonly all: FrozenTrial[];
  private readonly queue: Pending[] = [];
  private readonly fixed = new Map<number, Record<string, ParamValue>>();
  private readonly started = new Map<number, { t0: bigint; cpu0: NodeJS.CpuUsage }>();
  private writing: Promise<void> = Promise.resolve();
  private writeError: unknown = null;

  private constructor(
    options: Required<Omit<StudyOptions, 'journal'>> & { journal: StudyJournal },
    trials: FrozenTrial[],
  ) {
    this.name = options.name;
    this.directions = options.directions;
    this.objectives = options.objectives;
    this.sampler = options.sampler;
    this.pruner = options.pruner;
    this.journal = options.journal;
    this.all = trials;
  }

  /** Opens the study in its journal (creating it when new) and re-queues trials a crash interrupted. */
  static async open(options: StudyOptions = {}): Promise<Study> {
    const journal = options.journal ?? new MemoryJournal();
    const { header, trials } = replay(await journal.load());
    const directions = options.directions ?? header?.directions ?? ['minimize'];
    if (directions.length === 0 || directions.some((d) => d !== 'minimize' && d !== 'maximize')) {
      throw new KeelError(
        TuneErrors.BAD_OPTION,
        `directions must be 'minimize' or 'maximize', got ${directions}`,
      );
    }
    if (header && header.directions.join() !== directions.join()) {
      throw new KeelError(
        TuneErrors.STUDY_MISMATCH,
        `study "${header.name}" was created with directions [${header.directions}], not [${directions}]`,
      );
    }
    const objectives =
      options.objectives ??
      header?.objectives ??
      directions.map((_, i) => (directions.length === 1 ? 'value' : `value_${i}`));
    if (objectives.length !== directions.length) {
      throw new KeelError(
        TuneErrors.BAD_OPTION,
        `${objectives.length} objective names for ${directions.length} directions`,
      );
    }
    const study = new Study(
      {
        name: options.name ?? header?.name ?? 'study',
        directions,
        objectives,
        sampler: options.sampler ?? tpeSampler(),
        pruner: options.pruner ?? nopPruner(),
        journal,
      },
      trials,
    );
    if (!header) study.write({ op: 'study', name: study.name, directions, objectives });
    study.recoverInterrupted();
    await study.flush();
    return study;
  }

  private recoverInterrupted(): void {
    const now = new Date().toISOString();
    for (const t of this.all) {
      if (t.state !== 'running') continue;
      t.state = 'failed';
      t.error = INTERRUPTED;
      t.endedAt = now;
      this.write({
        op: 'finish',
        n: t.number,
        state: 'failed',
        values: null,
        at: now,
        ms: 0,
        cpu: 0,
        error: INTERRUPTED,
      });
    }
    // every interrupted trial is retried exactly once, even across several crashes
    const retried = new Set(this.all.map((t) => t.attrs.retryOf).filter((v) => typeof v === 'number'));
    for (const t of this.all) {
      if (t.error === INTERRUPTED && !retried.has(t.number)) {
        this.queue.push({ params: { ...t.params }, attrs: { retryOf: t.number } });
      }
    }
  }

  trials(): readonly FrozenTrial[] {
    return this.all;
  }

  /** Trials that finished (complete or pruned): the ones a trial budget counts. */
  get finishedCount(): number {
    return this.all.filter((t) => t.state === 'complete' || t.state === 'pruned').length;
  }

  /** The next trials to run with fixed params (warm starts, known good settings, retries). */
  enqueueTrial(params: Record<string, ParamValue>, attrs: Record<string, unknown> = {}): void {
    this.queue.push({ params: { ...params }, attrs: { ...attrs } });
  }

  /** Adds a finished trial from elsewhere (an earlier study, a baseline) so samplers learn from it. */
  addTrial(input: {
    params: Record<string, ParamValue>;
    distributions: Record<string, Distribution>;
    values: number[];
    attrs?: Record<string, unknown>;
  }): FrozenTrial {
    const trial = this.ask();
    for (const [name, dist] of Object.entries(input.distributions)) {
      checkDistribution(name, dist);
      this.record(trial.frozen, name, dist, toInternal(name, dist, input.params[name]));
    }
    for (const [k, v] of Object.entries(input.attrs ?? {})) this.setAttr(trial.frozen, k, v);
    this.finish(trial.frozen, 'complete', input.values);
    return trial.frozen;
  }

  ask(fixedParams?: Record<string, ParamValue>): Trial {
    const pending = fixedParams ? { params: fixedParams, attrs: {} } : this.queue.shift();
    const n = this.all.length;
    const frozen = newTrial(n, new Date().toISOString(), pending?.attrs);
    this.all.push(frozen);
    if (pending) this.fixed.set(n, pending.params);
    this.started.set(n, { t0: process.hrtime.bigint(), cpu0: process.cpuUsage() });
    this.write({ op: 'trial', n, at: frozen.startedAt, attrs: frozen.attrs });
    return new Trial(this, frozen);
  }

  /** Records a trial's outcome: its value(s), or a state ('pruned' keeps the last intermediate value). */
  async tell(
    trial: Trial | number,
    outcome: number | readonly number[] | { state: 'pruned' | 'failed'; error?: string },
  ): Promise<FrozenTrial> {
    const frozen = this.all[typeof trial === 'number' ? trial : trial.number];
    if (!frozen)
      throw new KeelError(TuneErrors.STUDY_MISMATCH, `no trial ${String(trial)} in study "${this.name}"`);
    if (frozen.state !== 'running') {
      throw new KeelError(
        TuneErrors.STUDY_MISMATCH,
        `trial ${frozen.number} was already told (${frozen.state})`,
      );
    }
    if (typeof outcome === 'object' && !Array.isArray(outcome) && 'state' in outcome) {
      if (outcome.state === 'pruned') {
        const last = Math.max(-1, ...frozen.intermediate.keys());
        this.finish(frozen, 'pruned', frozen.intermediate.get(last) ?? null);
      } else this.finish(frozen, 'failed', null, outcome.error ?? 'failed');
    } else {
      const values = typeof outcome === 'number' ? [outcome] : [...(outcome as readonly number[])];
      const bad = values.length !== this.directions.length || values.some((v) => !Number.isFinite(v));
      if (bad) {
        // a NaN or a wrong count is the objective's failure, recorded as such rather than poisoning the sampler
        this.finish(frozen, 'failed', null, `objective returned ${JSON.stringify(values)}`);
      } else this.finish(frozen, 'complete', values);
    }
    await this.flush();
    return frozen;
  }

  private finish(
    t: FrozenTrial,
    state: Exclude<TrialState, 'running'>,
    values: number[] | null,
    error?: string,
  ): void {
    const start = this.started.get(t.number);
    const ms = start ? Number(process.hrtime.bigint() - start.t0) / 1e6 : 0;
    const cpuNow = process.cpuUsage(start?.cpu0);
    const cpu = start ? (cpuNow.user + cpuNow.system) / 1e6 : 0;
    this.started.delete(t.number);
    this.fixed.delete(t.number);
    t.state = state;
    t.values = values;
    t.endedAt = new Date().toISOString();
    t.durationMs = ms;
    t.cpuSeconds = cpu;
    t.error = error ?? null;
    this.write({
      op: 'finish',
      n: t.number,
      state,
      values,
      at: t.endedAt,
      ms,
      cpu,
      ...(error ? { error } : {}),
    });
  }

  // --- TrialHost: what a Trial calls back into ---

  suggest(trial: FrozenTrial, name: string, dist: Distribution): ParamValue {
    if (trial.state !== 'running') {
      throw new KeelError(
        TuneErrors.STUDY_MISMATCH,
        `trial ${trial.number} has ended; it cannot suggest "${name}"`,
      );
    }
    checkDistribution(name, dist);
    const had = trial.distributions[name];
    if (had) {
      if (!sameDistribution(had, dist)) {
        throw new KeelError(
          TuneErrors.INCOMPATIBLE_PARAM,
          `param "${name}" was suggested twice with different ranges`,
          {
            param: name,
          },
        );
      }
      return trial.params[name];
    }
    const fixed = this.fixed.get(trial.number);
    const internal =
      fixed && name in fixed
        ? toInternal(name, dist, fixed[name])
        : this.sampler.sample(this, trial, name, dist);
    return this.record(trial, name, dist, internal);
  }

  private record(trial: FrozenTrial, name: string, dist: Distribution, internal: number): ParamValue {
    const value = toExternal(dist, internal);
    trial.internal[name] = internal;
    trial.params[name] = value;
    trial.distributions[name] = dist;
    this.write({ op: 'param', n: trial.number, name, dist, internal, value });
    return value;
  }

  report(trial: FrozenTrial, step: number, values: number[]): void {
    if (values.length !== this.directions.length || values.some((v) => !Number.isFinite(v))) {
      throw new KeelError(
        TuneErrors.BAD_VALUE,
        `trial ${trial.number}: report needs ${this.directions.length} finite value(s), got ${JSON.stringify(values)}`,
      );
    }
    trial.intermediate.set(step, values);
    this.write({ op: 'report', n: trial.number, step, values });
  }

  shouldPrune(trial: FrozenTrial): boolean {
    return this.pruner.prune(this, trial);
  }

  setAttr(trial: FrozenTrial, key: string, value: unknown): void {
    trial.attrs[key] = value;
    this.write({ op: 'attr', n: trial.number, key, value });
  }

  // --- results ---

  /** The best complete trial (one objective only; use bestTrials for several). */
  get bestTrial(): FrozenTrial {
    if (this.directions.length !== 1) {
      throw new KeelError(
        TuneErrors.BAD_OPTION,
        'a study with several objectives has a Pareto front: use bestTrials',
      );
    }
    const done = this.all.filter((t) => t.state === 'complete');
    if (done.length === 0)
      throw new KeelError(TuneErrors.NO_COMPLETED_TRIALS, `study "${this.name}" has no completed trial`);
    const sign = this.directions[0] === 'maximize' ? -1 : 1;
    return done.reduce((b, t) =>
      (t.values as number[])[0] * sign < (b.values as number[])[0] * sign ? t : b,
    );
  }

  /** The Pareto front of the complete trials (for one objective: the best trial alone). */
  get bestTrials(): FrozenTrial[] {
    const done = this.all.filter((t) => t.state === 'complete');
    if (done.length === 0) return [];
    const ranks = nondominatedRanks(done.map((t) => asLoss(t.values as number[], this.directions)));
    return done.filter((_, i) => ranks[i] === 0);
  }

  // --- the journal ---

  private write(event: StudyEvent): void {
    this.writing = this.writing
      .then(() => this.journal.append(event))
      .catch((err) => {
        this.writeError ??= err;
      });
  }

  /** Waits until every change so far is in the journal; rethrows the first write error. */
  async flush(): Promise<void> {
    await this.writing;
    if (this.writeError) throw this.writeError;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.journal.close?.();
  }
}
