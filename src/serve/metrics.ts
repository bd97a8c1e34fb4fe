// Prometheus metrics of the model server, in a registry of its own (no process-wide globals): requests, latency,
// errors by code, rows scored, in-flight requests, shadow traffic — labelled by model, version and arm.

import { Counter, Gauge, Histogram, Registry } from 'prom-client';

interface ArmMetrics {
  ok: { inc(n?: number): void };
  latency: { observe(v: number): void };
  rows: { inc(n?: number): void };
}

export class ServeMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'keel_serve_requests_total',
    help: 'Prediction requests by model, version, arm and HTTP status',
    labelNames: ['model', 'version', 'arm', 'status'],
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'keel_serve_request_duration_seconds',
    help: 'Prediction request latency by model, version and arm',
    labelNames: ['model', 'version', 'arm'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'keel_serve_errors_total',
    help: 'Refused or failed requests by model and error code',
    labelNames: ['model', 'code'],
    registers: [this.registry],
  });
  readonly rows = new Counter({
    name: 'keel_serve_rows_scored_total',
    help: 'Rows scored by model, version and arm',
    labelNames: ['model', 'version', 'arm'],
    registers: [this.registry],
  });
  readonly inflight = new Gauge({
    name: 'keel_serve_inflight_requests',
    help: 'Requests being handled',
    registers: [this.registry],
  });
  readonly shadow = new Counter({
    name: 'keel_serve_shadow_total',
    help: 'Shadow copies by model, arm and outcome (scored, failed, dropped)',
    labelNames: ['model', 'arm', 'outcome'],
    registers: [this.registry],
  });
  readonly swaps = new Counter({
    name: 'keel_serve_model_swaps_total',
    help: 'Hot swaps by model and outcome (swapped, kept)',
    labelNames: ['model', 'outcome'],
    registers: [this.registry],
  });

  private readonly children = new Map<string, ArmMetrics>();

  /** Label-bound children, cached: the hot path does no label lookups. */
  forArm(model: string, version: number, arm: string): ArmMetrics {
    const key = `${model}\u0000${version}\u0000${arm}`;
    let c = this.children.get(key);
    if (!c) {
      const v = String(version);
      c = {
        ok: this.requests.labels(model, v, arm, '200'),
        latency: this.latency.labels(model, v, arm),
        rows: this.rows.labels(model, v, arm),
      };
      this.children.set(key, c);
    }
    return c;
  }
}
