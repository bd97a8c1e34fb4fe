// The hand-written response JSON equals JSON.stringify of the same answer; per-arm metrics render as Prometheus text.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PipelineOutput } from '../transform/inference.ts';
import { type AnswerParts, answerJson, predictionObjects } from './answer.ts';
import { ArmStats, LATENCY_BUCKETS, ServeMetrics } from './metrics.ts';

function parts(task: string, classes: (string | number | boolean)[]): AnswerParts {
  return {
    stats: new ArmStats({ model: 'm', version: '3', arm: 'a' }),
    classes,
    classKeys: classes.map((c) => `${JSON.stringify(String(c))}:`),
    head: `${JSON.stringify({ model: 'm "q"', version: 3, arm: 'a', task }).slice(0, -1)},"predictions":[`,
    sensitive: new Set(),
  };
}

const expected = (task: string, classes: (string | number | boolean)[], output: PipelineOutput, n: number) =>
  JSON.stringify({
    model: 'm "q"',
    version: 3,
    arm: 'a',
    task,
    predictions: predictionObjects(output, classes, n),
  });

describe('answerJson', () => {
  it('writes classification answers as JSON.stringify does, odd class names and tiny numbers included', () => {
    const classes = ['<=50K', 'quote "x"', 'ünï\ncode'];
    const probabilities = new Float64Array([0.1, 0.2, 0.7, 1e-300, 5e-324, 1 - 1e-16, 1 / 3, 2 / 3, 0]);
    const output: PipelineOutput = {
      task: 'multiclass',
      probabilities,
      labels: [classes[2], classes[2], classes[1]],
    };
    const text = answerJson(parts('multiclass', classes), output, 3);
    assert.equal(text, expected('multiclass', classes, output, 3));
    assert.deepEqual(JSON.parse(text).predictions[1].probabilities['ünï\ncode'], 1 - 1e-16);
  });

  it('writes numeric and boolean labels and regression values (non-finite ones as null)', () => {
    const bin = {
      task: 'binary',
      probabilities: new Float64Array([0.25, 0.75]),
      labels: [true],
    } as PipelineOutput;
    assert.equal(
      answerJson(parts('binary', [false, true]), bin, 1),
      expected('binary', [false, true], bin, 1),
    );
    const reg: PipelineOutput = { task: 'regression', values: new Float64Array([1.5, -0, Number.NaN, 1e21]) };
    const text = answerJson(parts('regression', []), reg, 4);
    assert.equal(text, expected('regression', [], reg, 4));
    assert.deepEqual(
      JSON.parse(text).predictions.map((p: { value: number | null }) => p.value),
      [1.5, 0, null, 1e21],
    );
  });
});

describe('ServeMetrics', () => {
  it('renders each arm as cumulative histogram buckets, a sum, a count and request / row counters', async () => {
    const metrics = new ServeMetrics(() => 7);
    const s = metrics.forArm('m', 2, 'a');
    assert.equal(metrics.forArm('m', 2, 'a'), s);
    const latencies = [0.0001, 0.0005, 0.0007, 0.003, 0.2, 9];
    for (const l of latencies) s.record(l, 2);
    const text = await metrics.registry.metrics();
    const line = (name: string) => {
      const m = text.match(new RegExp(`^${name.replace(/[{}+."]/g, '\\$&')} (\\S+)$`, 'm'));
      assert.ok(m, `${name} in\n${text}`);
      return Number(m[1]);
    };
    const labels = 'model="m",version="2",arm="a"';
    for (const le of [...LATENCY_BUCKETS, '+Inf']) {
      const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : (le as number);
      assert.equal(
        line(`keel_serve_request_duration_seconds_bucket{${labels},le="${le}"}`),
        latencies.filter((l) => l <= bound).length,
      );
    }
    assert.equal(line(`keel_serve_request_duration_seconds_count{${labels}}`), latencies.length);
    assert.ok(Math.abs(line(`keel_serve_request_duration_seconds_sum{${labels}}`) - 9.2043) < 1e-12);
    assert.equal(line(`keel_serve_requests_total{${labels},status="200"}`), 6);
    assert.equal(line(`keel_serve_rows_scored_total{${labels}}`), 12);
    assert.equal(line('keel_serve_inflight_requests'), 7);
    assert.match(text, /# TYPE keel_serve_request_duration_seconds histogram/);
  });
});
