// One served endpoint: its arms (models), how traffic is split among them (weights, sticky keys, a canary controller),
// copies to shadow arms (after the answer, bounded, never returned), an A/B test over posted outcomes, micro-batching.

import type { Frame } from '../data/index.ts';
import { concatFrames } from '../data/index.ts';
import type { ArmSpec, DeploymentSpec } from '../registry/index.ts';
import type { PipelineOutput, RecordValue } from '../transform/inference.ts';
import { SequentialAbTest } from './abtest.ts';
import type { AnswerParts } from './answer.ts';
import { MicroBatcher } from './batcher.ts';
import { CanaryController, type CanaryEvent } from './canary.ts';
import type { ServeMetrics } from './metrics.ts';
import type { LoadedModel } from './model.ts';
import { WeightedRouter } from './router.ts';
import type { ShadowHandler, ShadowWorker } from './shadow.ts';

/** A validated request: normalised field values, and the same rows as a frame on demand. */
export interface ScoreInput {
  count: number;
  records: Record<string, RecordValue>[];
  readonly frame: Frame;
  /** the request's JSON text, when there is one (shadow copies send it rather than cloning the records) */
  text?: string | null;
}

/** One shadow answer, the rows of one request. */
export interface ShadowAnswer {
  labels?: (string | number | boolean)[];
  values?: Float64Array;
}

/** What a shadow arm's copies came to: copies scored / failed / dropped, and row-by-row agreement. */
export interface ShadowStats {
  scored: number;
  failed: number;
  dropped: number;
  compared: number;
  agreed: number;
  absDiff: number;
}

export interface ArmRuntime {
  spec: ArmSpec;
  model: LoadedModel;
  batcher: MicroBatcher<ScoreInput> | null;
  /** shadow arms score on a worker thread */
  worker: ShadowWorker | null;
  /** what the server's responses need of this arm's model (metrics, response head), made once per model */
  answerCache: { model: LoadedModel; parts: AnswerParts } | null;
}

/** Score with the compiled fast path when the model has one (bit-identical), else through frames. */
export function scoreInput(model: LoadedModel, input: ScoreInput): PipelineOutput {
  return model.scoreRecords ? model.scoreRecords(input.records) : model.predict(input.frame);
}

function batcherFor(
  model: LoadedModel,
  batch: { maxRows: number; maxWaitMs: number } | undefined,
): MicroBatcher<ScoreInput> | null {
  if (!batch) return null;
  const scoreAll = (items: ScoreInput[]) =>
    model.scoreRecords
      ? model.scoreRecords(items.flatMap((i) => i.records))
      : model.predict(concatFrames(items.map((i) => i.frame)));
  return new MicroBatcher<ScoreInput>(scoreAll, (i) => i.count, batch);
}

export interface Answer {
  arm: ArmRuntime;
  /** the model that answered (captured at dispatch: a hot swap meanwhile does not change it) */
  model: LoadedModel;
  output: PipelineOutput;
  latencyMs: number;
  /** the canary failed and the baseline answered instead */
  fellBack: boolean;
}

export class Endpoint {
  readonly name: string;
  readonly spec: DeploymentSpec;
  readonly arms: ArmRuntime[];
  readonly canary: CanaryController | null;
  readonly ab: SequentialAbTest | null;
  /** the request header whose value keeps a caller on one arm (lower case) */
  readonly stickyHeader: string;
  private readonly router = new WeightedRouter(7);
  readonly shadowStats = new Map<string, ShadowStats>();
  private readonly shadowArms: ArmRuntime[];

  constructor(
    spec: DeploymentSpec,
    models: LoadedModel[],
    metrics: ServeMetrics,
    onCanaryEvent: (e: CanaryEvent) => void,
  ) {
    this.name = spec.name;
    this.spec = spec;
    this.stickyHeader = (spec.stickyHeader ?? 'x-request-key').toLowerCase();
    this.arms = spec.arms.map((a, i) => ({
      spec: a,
      model: models[i],
      batcher: batcherFor(models[i], spec.batch),
      worker: null,
      answerCache: null,
    }));
    this.live = this.arms.filter((a) => !a.spec.shadow);
    this.canary = spec.canary ? new CanaryController(spec.canary, onCanaryEvent) : null;
    const live = spec.arms.filter((a) => !a.shadow);
    this.ab = spec.abTest
      ? new SequentialAbTest({
          arms: [live[0].name, live[1].name],
          alpha: spec.abTest.alpha,
          higherIsBetter: spec.abTest.higherIsBetter,
        })
      : null;
    this.shadowArms = this.arms.filter((a) => a.spec.shadow);
    for (const a of this.shadowArms) {
      const stats = { scored: 0, failed: 0, dropped: 0, compared: 0, agreed: 0, absDiff: 0 };
      this.shadowStats.set(a.spec.name, stats);
      metrics.watchShadow(this.name, a.spec.name, stats);
    }
  }

  /** The arms that take traffic (fixed at construction; a hot swap mutates an arm in place). */
  readonly live: ArmRuntime[];

  /** Current traffic share of each live arm. */
  weights(): number[] {
    const live = this.live;
    if (this.canary) {
      const w = this.canary.weight();
      return live.map((a) => (a.spec.canary ? w : 1 - w));
    }
    return live.map((a) => a.spec.weight ?? 1);
  }

  private dispatch(
    arm: ArmRuntime,
    input: ScoreInput,
  ): { model: LoadedModel; result: Promise<PipelineOutput> | PipelineOutput } {
    const model = arm.model;
    const batcher = arm.batcher;
    return { model, result: batcher ? batcher.submit(input) : scoreInput(model, input) };
  }

  /** Replace an arm's model (hot swap): one assignment; requests already dispatched keep the old one. */
  swap(arm: ArmRuntime, model: LoadedModel): void {
    arm.batcher = batcherFor(model, this.spec.batch);
    arm.model = model;
  }

  /** Route, score and account for one request; synchronous when the chosen arm scores without batching. */
  answerNow(input: ScoreInput, key: string | undefined): Answer | Promise<Answer> {
    const live = this.live;
    // a lone arm needs no draw (and the generator's state stays as it was for deployments with several)
    const arm = live.length === 1 ? live[0] : live[this.router.pick(this.weights(), key)];
    if (arm.batcher) return this.answerAsync(arm, input);
    const t0 = performance.now();
    const model = arm.model;
    try {
      const output = scoreInput(model, input);
      const latencyMs = performance.now() - t0;
      if (this.canary) this.canary.record(arm.spec.canary ? 'canary' : 'baseline', true, latencyMs);
      return { arm, model, output, latencyMs, fellBack: false };
    } catch (err) {
      return this.fallBack(arm, input, err, t0);
    }
  }

  private async answerAsync(arm: ArmRuntime, input: ScoreInput): Promise<Answer> {
    const t0 = performance.now();
    try {
      const d = this.dispatch(arm, input);
      const output = await d.result;
      const latencyMs = performance.now() - t0;
      if (this.canary) this.canary.record(arm.spec.canary ? 'canary' : 'baseline', true, latencyMs);
      return { arm, model: d.model, output, latencyMs, fellBack: false };
    } catch (err) {
      return this.fallBack(arm, input, err, t0);
    }
  }

  /** A canary that failed is answered by the baseline, so the caller never pays for the experiment. */
  private fallBack(arm: ArmRuntime, input: ScoreInput, err: unknown, t0: number): Answer | Promise<Answer> {
    const latencyMs = performance.now() - t0;
    if (!this.canary) throw err;
    this.canary.record(arm.spec.canary ? 'canary' : 'baseline', false, latencyMs);
    if (!arm.spec.canary) throw err;
    const base = this.live.find((a) => !a.spec.canary) as ArmRuntime;
    const d = this.dispatch(base, input);
    const finish = (output: PipelineOutput): Answer => ({
      arm: base,
      model: d.model,
      output,
      latencyMs: performance.now() - t0,
      fellBack: true,
    });
    return d.result instanceof Promise ? d.result.then(finish) : finish(d.result);
  }

  /** called with each shadow answer (the server logs a sample of them) */
  onShadowAnswer:
    | ((arm: ArmRuntime, input: ScoreInput, answer: ShadowAnswer, latencyMs: number) => void)
    | null = null;

  /**
   * Copies to shadow arms after the primary answered, scored on the arm's worker thread; a full queue drops the copy
   * (counted), an error or a timeout counts as failed. Nothing here can delay or change the primary's answer.
   */
  shadow(input: ScoreInput, primary: PipelineOutput): void {
    const arms = this.shadowArms;
    if (arms.length === 0) return;
    const text = input.text || JSON.stringify({ instances: input.records });
    // a single row is held as its label or value, not the output object (see ShadowWorker.send); the input is kept
    // only when answers are logged
    const n = input.count;
    const held = n === 1 ? (primary.labels ? primary.labels[0] : null) : primary;
    const value = n === 1 && primary.values ? primary.values[0] : 0;
    const keep = this.onShadowAnswer ? input : null;
    for (const arm of arms) {
      if (!arm.worker?.send(text, n, held, value, keep))
        (this.shadowStats.get(arm.spec.name) as ShadowStats).dropped++;
    }
  }

  /** What a shadow arm's worker calls with each copy's answer: counts, row-by-row agreement, the log hook. */
  shadowHandler(arm: ArmRuntime): ShadowHandler {
    const stats = this.shadowStats.get(arm.spec.name) as ShadowStats;
    return (copy, batch, offset, error, latencyMs) => {
      if (!batch || error) {
        stats.failed++;
        return;
      }
      stats.scored++;
      const n = copy.rows;
      const classes = arm.model.artifact.pipeline.classes ?? [];
      for (let i = 0; i < n; i++) {
        stats.compared++;
        if (batch.values) {
          const x =
            n === 1 ? copy.primaryValue : ((copy.primary as PipelineOutput).values?.[i] ?? Number.NaN);
          const y = batch.values[offset + i];
          stats.absDiff += Math.abs(x - y);
          if (x === y) stats.agreed++;
        } else {
          const label = n === 1 ? copy.primary : (copy.primary as PipelineOutput).labels?.[i];
          if (batch.labelIndex && label === classes[batch.labelIndex[offset + i]]) stats.agreed++;
        }
      }
      if (this.onShadowAnswer && copy.input) {
        const index = batch.labelIndex?.subarray(offset, offset + n);
        this.onShadowAnswer(
          arm,
          copy.input as ScoreInput,
          {
            labels: index ? Array.from(index, (k) => classes[k]) : undefined,
            values: batch.values?.slice(offset, offset + n),
          },
          latencyMs,
        );
      }
    };
  }

  snapshot(): Record<string, unknown> {
    const live = this.live;
    const w = this.weights();
    const total = w.reduce((a, b) => a + b, 0) || 1;
    return {
      name: this.name,
      arms: this.arms.map((a) => ({
        name: a.spec.name,
        ref: a.spec.ref,
        model: a.model.name,
        version: a.model.version,
        role: a.spec.shadow ? 'shadow' : a.spec.canary ? 'canary' : 'serving',
        traffic: a.spec.shadow ? 0 : w[live.indexOf(a)] / total,
      })),
      canary: this.canary?.snapshot() ?? null,
      ab_test: this.ab ? { metric: this.spec.abTest?.metric, ...this.ab.result() } : null,
      shadows: Object.fromEntries(
        [...this.shadowStats].map(([k, s]) => [
          k,
          {
            ...s,
            agreement: s.compared ? s.agreed / s.compared : null,
            mean_abs_diff: s.compared ? s.absDiff / s.compared : null,
          },
        ]),
      ),
    };
  }
}
