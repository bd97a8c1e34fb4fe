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

/** A metric prom-client's Registry can render, its values computed when scraped. */
function scrapedMetric(
  name: string,
  help: string,
  type: 'counter' | 'histogram',
  values: () => MetricValue[],
) {
  return {
    name,
    help,
    type,
    aggregator: 'sum' as const,
    get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
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
    const perArm = (f: (s: ArmStats) => MetricValue[]) => () => [...this.arms.values()].flatMap(f);
    const reg = (m: ReturnType<typeof scrapedMetric>) =>
      this.registry.registerMetric(m as unknown as Parameters<Registry['registerMetric']>[0]);
    reg(
      scrapedMetric(
        'keel_serve_requests_total',
        'Prediction requests by model, version, arm and HTTP status',
        'counter',
        perArm((s) => [{ labels: { ...s.labels, status: '200' }, value: s.ok }]),
      ),
    );
    reg(
      scrapedMetric(
        'keel_serve_request_duration_seconds',
        'Prediction request latency by model, version and arm',
        'histogram',
        perArm((s) => {
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
        }),
      ),
    );
    const shadows = this.shadows;
    reg(
      scrapedMetric(
        'keel_serve_shadow_total',
        'Shadow copies by model, arm and outcome (scored, failed, dropped)',
        'counter',
        () =>
          shadows.flatMap(({ model, arm, counts }) =>
            (['scored', 'failed', 'dropped'] as const).map((outcome) => ({
              labels: { model, arm, outcome },
              value: counts[outcome],
            })),
          ),
      ),
    );
    reg(
      scrapedMetric(
        'keel_serve_rows_scored_total',
        'Rows scored by model, version and arm',
        'counter',
        perArm((s) => [{ labels: s.labels, value: s.rows }]),
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
