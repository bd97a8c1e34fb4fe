// Safe-delivery logic by simulation: canary guardrails (20 failing trials rolled back in time, 20 healthy trials never),
// the sequential A/B test's error rate under continuous peeking, and sticky weighted routing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../core/index.ts';
import { SequentialAbTest } from './abtest.ts';
import { CanaryController } from './canary.ts';
import { stickyPoint, WeightedRouter } from './router.ts';

/** Route simulated traffic; returns how many canary requests were served before the controller stopped running. */
function simulate(seed: number, canaryFailure: number, baselineFailure: number, canaryLatency = 4) {
  const rng = createRng(seed);
  const ctl = new CanaryController({ steps: [5, 25, 50, 100], minRequestsPerStep: 200 });
  let canaryRequests = 0;
  for (let i = 0; i < 200_000 && ctl.state === 'running'; i++) {
    const toCanary = rng.next() < ctl.weight();
    if (toCanary) canaryRequests++;
    const fail = rng.next() < (toCanary ? canaryFailure : baselineFailure);
    const latency = (toCanary ? canaryLatency : 4) + rng.next() * 2;
    ctl.record(toCanary ? 'canary' : 'baseline', !fail, latency);
  }
  return { state: ctl.state, canaryRequests, reason: ctl.reason };
}

describe('canary guardrails', () => {
  it('rolls back a canary failing 5% of requests within 400 canary requests, 20 of 20 times', () => {
    for (let t = 0; t < 20; t++) {
      const r = simulate(100 + t, 0.05, 0.0);
      assert.equal(r.state, 'rolled_back', `trial ${t}`);
      assert.ok(r.canaryRequests <= 400, `trial ${t}: ${r.canaryRequests} canary requests`);
      assert.match(r.reason ?? '', /error rate/);
    }
  });

  it('never rolls back a healthy canary (same 0.5% background failure as the baseline), 20 of 20 promoted', () => {
    for (let t = 0; t < 20; t++) {
      const r = simulate(500 + t, 0.005, 0.005);
      assert.equal(r.state, 'promoted', `trial ${t}: ${r.reason}`);
    }
  });

  it('rolls back a canary whose p99 latency is far above the baseline', () => {
    const r = simulate(7, 0, 0, 40);
    assert.equal(r.state, 'rolled_back');
    assert.match(r.reason ?? '', /p99/);
  });
});

describe('canary metric guardrail', () => {
  it("rolls back when the canary's outcome mean falls more than allowed below the baseline, and not otherwise", () => {
    const run = (canaryMean: number) => {
      const rng = createRng(3);
      const ctl = new CanaryController({
        steps: [50, 100],
        minRequestsPerStep: 100_000,
        metric: { maxRelativeDrop: 0.05, minSamples: 200 },
      });
      for (let i = 0; i < 2000 && ctl.state === 'running'; i++) {
        ctl.recordOutcome('baseline', 1 + 0.2 * rng.normal());
        ctl.recordOutcome('canary', canaryMean + 0.2 * rng.normal());
      }
      return ctl;
    };
    const worse = run(0.85);
    assert.equal(worse.state, 'rolled_back');
    assert.match(worse.reason ?? '', /metric mean/);
    assert.equal(run(0.99).state, 'running');
  });
});

describe('sequential A/B test', () => {
  it('keeps the false-positive rate under alpha while peeking after every observation', () => {
    let falsePositives = 0;
    const sims = 200;
    for (let s = 0; s < sims; s++) {
      const rng = createRng(1000 + s);
      const ab = new SequentialAbTest({ arms: ['A', 'B'], alpha: 0.05 });
      for (let i = 0; i < 1000; i++) {
        ab.add('A', rng.normal());
        ab.add('B', rng.normal());
      }
      if (ab.result().significant) falsePositives++;
    }
    assert.ok(falsePositives / sims <= 0.05, `false-positive rate ${falsePositives / sims}`);
  });

  it('finds a real difference and recommends the better arm', () => {
    let found = 0;
    for (let s = 0; s < 30; s++) {
      const rng = createRng(5000 + s);
      const ab = new SequentialAbTest({ arms: ['champion', 'challenger'], alpha: 0.05 });
      for (let i = 0; i < 2000; i++) {
        ab.add('champion', rng.normal());
        ab.add('challenger', rng.normal() + 0.2);
      }
      const r = ab.result();
      if (r.significant) {
        found++;
        assert.match(r.recommendation, /challenger is better/);
      }
    }
    assert.ok(found >= 27, `detected ${found} of 30`);
  });
});

describe('weighted routing', () => {
  it('is sticky per key and follows the weights', () => {
    const router = new WeightedRouter(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) {
      const key = `user-${i}`;
      const arm = router.pick([0.7, 0.2, 0.1], key);
      assert.equal(router.pick([0.7, 0.2, 0.1], key), arm);
      counts[arm]++;
    }
    assert.ok(Math.abs(counts[0] / 20_000 - 0.7) < 0.02, String(counts));
    assert.ok(Math.abs(counts[2] / 20_000 - 0.1) < 0.02, String(counts));
    assert.ok(stickyPoint('a') !== stickyPoint('b'));
    assert.equal(router.pick([0, 1]), 1);
  });
});
