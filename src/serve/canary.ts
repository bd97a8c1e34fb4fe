// Canary controller: traffic steps (e.g. 5% → 25% → 50% → 100%) that advance only while guardrails hold. The error
// guardrail is a sequential binomial test — the canary's failures against a tolerated rate, checked after every
// canary request at a small significance level, evidence accumulating across steps — and the latency guardrail
// compares p99s. A breach sends all traffic back to the baseline at once and says why.

import { binomialUpperTail, KeelError, quantileSorted } from '../core/index.ts';
import { RegistryErrors } from '../registry/index.ts';

export interface CanarySpec {
  /** traffic percentages for the canary, in order; the last is usually 100 */
  steps: number[];
  /** canary requests a step needs before it may advance */
  minRequestsPerStep?: number;
  /** the failure rate tolerated before the test may call a breach (at least twice the baseline's) */
  toleratedErrorRate?: number;
  /** significance of each sequential check of the error guardrail */
  alpha?: number;
  /** p99(canary) may be at most latencyFactor × p99(baseline) + latencySlackMs */
  latencyFactor?: number;
  latencySlackMs?: number;
  /** an optional metric guardrail over outcomes posted for each arm (e.g. conversion): the canary's mean may not fall
   * more than maxRelativeDrop below the baseline's once both have minSamples */
  metric?: { higherIsBetter?: boolean; maxRelativeDrop?: number; minSamples?: number };
}

export type CanaryEvent =
  | { kind: 'advanced'; step: number; percent: number; at: string }
  | { kind: 'promoted'; at: string }
  | { kind: 'rolled_back'; reason: string; at: string; evidence: Record<string, number> };

const WINDOW = 2000;

interface Side {
  n: number;
  errors: number;
  latencies: number[];
}

export class CanaryController {
  readonly spec: Required<Omit<CanarySpec, 'metric'>> & Pick<CanarySpec, 'metric'>;
  private readonly outcomes = { canary: { n: 0, sum: 0 }, baseline: { n: 0, sum: 0 } };
  state: 'running' | 'promoted' | 'rolled_back' = 'running';
  step = 0;
  reason: string | null = null;
  private readonly canary: Side = { n: 0, errors: 0, latencies: [] };
  private readonly baseline: Side = { n: 0, errors: 0, latencies: [] };
  private stepRequests = 0;
  private readonly onEvent: (e: CanaryEvent) => void;

  constructor(spec: CanarySpec, onEvent: (e: CanaryEvent) => void = () => {}) {
    if (!spec.steps.length || spec.steps.some((s) => !(s >= 0 && s <= 100))) {
      throw new KeelError(RegistryErrors.BAD_DEPLOYMENT, 'canary steps are percentages from 0 to 100');
    }
    this.spec = {
      steps: spec.steps,
      minRequestsPerStep: spec.minRequestsPerStep ?? 200,
      toleratedErrorRate: spec.toleratedErrorRate ?? 0.01,
      alpha: spec.alpha ?? 1e-4,
      latencyFactor: spec.latencyFactor ?? 2,
      latencySlackMs: spec.latencySlackMs ?? 5,
      metric: spec.metric,
    };
    this.onEvent = onEvent;
  }

  /** The canary's share of traffic now (0..1). */
  weight(): number {
    if (this.state === 'rolled_back') return 0;
    if (this.state === 'promoted') return 1;
    return this.spec.steps[this.step] / 100;
  }

  snapshot(): Record<string, unknown> {
    return {
      state: this.state,
      step: this.step,
      percent: Math.round(this.weight() * 100),
      reason: this.reason,
      canary: { requests: this.canary.n, errors: this.canary.errors },
      baseline: { requests: this.baseline.n, errors: this.baseline.errors },
    };
  }

  record(side: 'canary' | 'baseline', ok: boolean, latencyMs: number): void {
    if (this.state !== 'running') return;
    const s = side === 'canary' ? this.canary : this.baseline;
    s.n++;
    if (!ok) s.errors++;
    s.latencies.push(latencyMs);
    if (s.latencies.length > WINDOW) s.latencies.shift();
    if (side === 'canary') {
      this.stepRequests++;
      this.check();
    }
  }

  /** A business or model metric observed for a request served by one side. */
  recordOutcome(side: 'canary' | 'baseline', value: number): void {
    const m = this.spec.metric;
    if (!m || this.state !== 'running' || !Number.isFinite(value)) return;
    const o = this.outcomes[side];
    o.n++;
    o.sum += value;
    const c = this.outcomes.canary;
    const b = this.outcomes.baseline;
    const min = m.minSamples ?? 100;
    if (c.n < min || b.n < min) return;
    const cm = c.sum / c.n;
    const bm = b.sum / b.n;
    const drop = ((m.higherIsBetter ?? true) ? bm - cm : cm - bm) / Math.max(Math.abs(bm), 1e-12);
    const allowed = m.maxRelativeDrop ?? 0.05;
    if (drop > allowed) {
      this.rollback(
        `canary metric mean ${cm.toPrecision(4)} is ${(100 * drop).toFixed(1)}% worse than the baseline's ${bm.toPrecision(4)} (allowed ${(100 * allowed).toFixed(1)}%)`,
        {
          canary_mean: cm,
          baseline_mean: bm,
          relative_drop: drop,
        },
      );
    }
  }

  private check(): void {
    const c = this.canary;
    const b = this.baseline;
    const tolerated = Math.max(this.spec.toleratedErrorRate, b.n > 0 ? (2 * b.errors) / b.n : 0);
    if (c.errors > 0) {
      const tail = binomialUpperTail(c.errors, c.n, tolerated);
      if (tail < this.spec.alpha) {
        this.rollback(
          `canary error rate ${(c.errors / c.n).toFixed(4)} (${c.errors} of ${c.n}) exceeds the tolerated ${tolerated.toFixed(4)} (p = ${tail.toExponential(2)})`,
          { canary_errors: c.errors, canary_requests: c.n, tolerated_rate: tolerated, p_value: tail },
        );
        return;
      }
    }
    if (c.latencies.length >= 50 && b.latencies.length >= 50) {
      const p99c = quantileSorted(Float64Array.from(c.latencies).sort(), 0.99);
      const p99b = quantileSorted(Float64Array.from(b.latencies).sort(), 0.99);
      if (p99c > this.spec.latencyFactor * p99b + this.spec.latencySlackMs) {
        this.rollback(
          `canary p99 ${p99c.toFixed(2)} ms exceeds ${this.spec.latencyFactor}× baseline p99 ${p99b.toFixed(2)} ms + ${this.spec.latencySlackMs} ms`,
          { canary_p99_ms: p99c, baseline_p99_ms: p99b },
        );
        return;
      }
    }
    if (this.stepRequests >= this.spec.minRequestsPerStep) {
      if (this.step + 1 < this.spec.steps.length) {
        this.step++;
        // error evidence keeps accumulating; the latency windows restart with the new traffic mix
        this.stepRequests = 0;
        c.latencies = [];
        b.latencies = [];
        this.onEvent({
          kind: 'advanced',
          step: this.step,
          percent: this.spec.steps[this.step],
          at: new Date().toISOString(),
        });
      } else {
        this.state = 'promoted';
        this.onEvent({ kind: 'promoted', at: new Date().toISOString() });
      }
    }
  }

  private rollback(reason: string, evidence: Record<string, number>): void {
    this.state = 'rolled_back';
    this.reason = reason;
    this.onEvent({ kind: 'rolled_back', reason, at: new Date().toISOString(), evidence });
  }
}
