// Pure numeric kernels: seeded RNG, quantiles, moments, L-BFGS and Cholesky.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  choleskySolve,
  createFloat64Sorter,
  createRng,
  median,
  minimizeLbfgs,
  moments,
  quantileSorted,
  shuffleInPlace,
} from './index.ts';

describe('rng', () => {
  it('is deterministic per seed and uniform-ish', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(
      xs,
      Array.from({ length: 5 }, () => b.next()),
    );
    assert.notDeepEqual(
      xs,
      Array.from({ length: 5 }, () => c.next()),
    );
    const r = createRng(1);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const v = r.next();
      assert.ok(v >= 0 && v < 1);
      sum += v;
    }
    assert.ok(Math.abs(sum / 20000 - 0.5) < 0.01);
  });

  it('shuffles to a permutation', () => {
    const arr = Array.from({ length: 50 }, (_, i) => i);
    shuffleInPlace(arr, createRng(3));
    assert.deepEqual(
      [...arr].sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.notDeepEqual(
      arr,
      Array.from({ length: 50 }, (_, i) => i),
    );
  });
});

describe('createFloat64Sorter', () => {
  it('orders doubles exactly as Float64Array.prototype.sort, signed zeros, infinities and NaN included', () => {
    const rng = createRng(77);
    const sort = createFloat64Sorter(); // one sorter for every size: its buffers are reused and regrown
    const specials = [0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 5e-324, -5e-324];
    for (const n of [100, 5000, 300_000]) {
      for (const kind of ['wide', 'float32', 'few']) {
        const a = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const v = rng.normal() * 10 ** Math.floor(rng.next() * 12 - 6);
          a[i] =
            rng.next() < 0.01
              ? specials[i % specials.length]
              : kind === 'float32'
                ? Math.fround(v)
                : kind === 'few'
                  ? Math.round(v * 3) % 7
                  : v;
        }
        const expected = Float64Array.from(a).sort();
        const got = sort(a);
        assert.equal(got, a, 'sorted in place');
        for (let i = 0; i < n; i++) {
          if (!Object.is(got[i], expected[i]))
            assert.fail(`${kind} ${n}: [${i}] ${got[i]} vs ${expected[i]}`);
        }
      }
    }
  });
});

describe('stats', () => {
  it('quantiles interpolate linearly like numpy', () => {
    const s = Float64Array.of(1, 2, 3, 4);
    assert.equal(quantileSorted(s, 0.5), 2.5);
    assert.equal(quantileSorted(s, 0.25), 1.75);
    assert.equal(median([5, Number.NaN, 1, 3]), 3);
  });

  it('moments skip missing values; variance is population variance', () => {
    const m = moments([1, 2, 3, 4, Number.NaN]);
    assert.equal(m.count, 4);
    assert.equal(m.mean, 2.5);
    assert.equal(m.variance, 1.25);
    assert.equal(m.min, 1);
    assert.equal(m.max, 4);
  });
});

describe('optimisation and linear algebra', () => {
  it('L-BFGS finds the minimum of the Rosenbrock function', () => {
    const res = minimizeLbfgs(
      (x, g) => {
        const [a, b] = [x[0], x[1]];
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.of(-1.2, 1),
      { maxIter: 500, gradTol: 1e-8 },
    );
    assert.ok(Math.abs(res.x[0] - 1) < 1e-5 && Math.abs(res.x[1] - 1) < 1e-5, `got ${res.x}`);
  });

  it('Cholesky solves an SPD system and refuses a non-SPD one', () => {
    const A = Float64Array.of(4, 2, 2, 3);
    const x = choleskySolve(A, Float64Array.of(2, 1), 2);
    assert.ok(Math.abs(4 * x[0] + 2 * x[1] - 2) < 1e-12 && Math.abs(2 * x[0] + 3 * x[1] - 1) < 1e-12);
    assert.throws(() => choleskySolve(Float64Array.of(1, 2, 2, 1), Float64Array.of(1, 1), 2));
  });
});
