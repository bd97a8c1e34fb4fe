// Prometheus metrics of the model server, in a registry of its own (no process-wide globals): requests, latency,
// errors by code, rows scored, in-flight requests, shadow traffic — labelled by model, version and arm.
// The per-request metrics (requests, latency, rows) are plain numbers on an ArmStats the hot path holds directly; they
// become Prometheus series only when /metrics is scraped, so a request pays a few additions, not label lookups.

import { Counter, Gauge, Registry } from 'prom-client';

/** Latency buckets in seconds (upper bounds; +Inf is implicit). */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** One (model, version, arm)'s successful requests, rows scored and latency histogram. */
export class ArmStats {
  ok = 0;
  rows = 0;
  latencySum = 0;
  /** per bucket, not cumulative; the last slot is +Inf */
  readonly buckets = new Float64Array(LATENCY_BUCKETS.length + 1);
  constructor(readonly labels: { model: string; version: string; arm: string }) {}

  /** Account for one answered request. */
  record(latencySeconds: number, rows: number): void {
    this.ok++;
    this.rows += rows;
    this.latencySum += latencySeconds;
    let b = 0;
    while (b < LATENCY_BUCKETS.length && latencySeconds > LATENCY_BUCKETS[b]) b++;
    this.buckets[b]++;
  }
}

export interface ShadowCounts {
  scored: number;
  failed: number;
  dropped: number;
}

type MetricValue = { labels: Record<string, string>; value: number; metricName?: string };

/** A metric prom-client's Registry can render, computed from the ArmStats at scrape time. */
function armMetric(
  name: string,
  help: string,
  type: 'counter' | 'histogram',
  all: () => Iterable<ArmStats>,
  values: (s: ArmStats) => MetricValue[],
) {
  return {
    name,
    help,
    type,
    aggregator: 'sum' as const,
    get: async () => ({ name, help, type, aggregator: 'sum', values: [...all()].flatMap(values) }),
    reset: () => {},
  };
}

export class ServeMetrics {
  readonly registry = new Registry();
  readonly errors = new Counter({
    name: 'keel_serve_errors_total',
    help: 'Refused or failed requests by model and error code',
    labelNames: ['model', 'code'],
    registers: [this.registry],
  });
  readonly swaps = new Counter({
    name: 'keel_serve_model_swaps_total',
    help: 'Hot swaps by model and outcome (swapped, kept)',
    labelNames: ['model', 'outcome'],
    registers: [this.registry],
  });
  private readonly arms = new Map<string, ArmStats>();
  private readonly shadows: { model: string; arm: string; counts: ShadowCounts }[] = [];

  /** inFlight: read when scraped */
  constructor(inFlight: () => number = () => 0) {
    new Gauge({
      name: 'keel_serve_inflight_requests',
      help: 'Requests being handled',
      registers: [this.registry],
      collect() {
        this.set(inFlight());
      },
    });
    const all = () => this.arms.values();
    const reg = (m: ReturnType<typeof armMetric>) =>
      this.registry.registerMetric(m as unknown as Parameters<Registry['registerMetric']>[0]);
    reg(
      armMetric(
        'keel_serve_requests_total',
        'Prediction requests by model, version, arm and HTTP status',
        'counter',
        all,
        (s) => [{ labels: { ...s.labels, status: '200' }, value: s.ok }],
      ),
    );
    reg(
      armMetric(
        'keel_serve_request_duration_seconds',
        'Prediction request latency by model, version and arm',
        'histogram',
        all,
        (s) => {
          const out: MetricValue[] = [];
          let cumulative = 0;
          for (let b = 0; b <= LATENCY_BUCKETS.length; b++) {
            cumulative += s.buckets[b];
            const le = b < LATENCY_BUCKETS.length ? String(LATENCY_BUCKETS[b]) : '+Inf';
            out.push({
              labels: { ...s.labels, le },
              value: cumulative,
              metricName: 'keel_serve_request_duration_seconds_bucket',
            });
          }
          out.push({
            labels: s.labels,
            value: s.latencySum,
            metricName: 'keel_serve_request_duration_seconds_sum',
          });
          out.push({
            labels: s.labels,
            value: s.ok,
            metricName: 'keel_serve_request_duration_seconds_count',
          });
          return out;
        },
      ),
    );
    const shadows = this.shadows;
    const shadowHelp = 'Shadow copies by model, arm and outcome (scored, failed, dropped)';
    reg({
      name: 'keel_serve_shadow_total',
      help: shadowHelp,
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({
        name: 'keel_serve_shadow_total',
        help: shadowHelp,
        type: 'counter',
        aggregator: 'sum',
        values: shadows.flatMap(({ model, arm, counts }) =>
          (['scored', 'failed', 'dropped'] as const).map((outcome) => ({
            labels: { model, arm, outcome },
            value: counts[outcome],
          })),
        ),
      }),
      reset: () => {},
    });
    reg(
      armMetric(
        'keel_serve_rows_scored_total',
        'Rows scored by model, version and arm',
        'counter',
        all,
        (s) => [{ labels: s.labels, value: s.rows }],
      ),
    );
  }

  /** Report a shadow arm's copy counts (kept by its endpoint) as keel_serve_shadow_total. */
  watchShadow(model: string, arm: string, counts: ShadowCounts): void {
    this.shadows.push({ model, arm, counts });
  }

  /** The stats of one (model, version, arm); callers keep the object, so this lookup is off the hot path. */
  forArm(model: string, version: number, arm: string): ArmStats {
    const key = `${model}\u0000${version}\u0000${arm}`;
    let s = this.arms.get(key);
    if (!s) {
      s = new ArmStats({ model, version: String(version), arm });
      this.arms.set(key, s);
    }
    return s;
  }
}
