// Bin edges found from buckets of the values (edges.ts) against the edges of the sorted values, on samples shaped to
// put runs of equal values, empty buckets and bucket ends where the quantile cuts fall.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFloat64Sorter, createRng } from '../core/index.ts';
import { edgeScratch, featureEdges, quantileEdges } from './engine/edges.ts';

const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('boosting bin edges from buckets', () => {
  const rng = createRng(41);
  const m = 20_000;
  const samples: [string, () => number][] = [
    ['normal', () => rng.normal()],
    ['normal as float32', () => Math.fround(rng.normal())],
    ['heavy tail', () => Math.exp(3 * rng.normal())],
    ['one far outlier in a crowd', () => (rng.next() < 1e-4 ? 1e12 : rng.next())],
    ['integers 0..999 (long runs)', () => Math.floor(rng.next() * 1000)],
    ['300 distinct values', () => Math.floor(rng.next() * 300) / 7],
    ['100 distinct values (every midpoint)', () => Math.floor(rng.next() * 100)],
    ['two values', () => (rng.next() < 0.3 ? -1 : 2)],
    ['a run across many quantiles', () => (rng.next() < 0.6 ? 5 : rng.normal())],
    [
      'signed zeros and tiny values',
      () => [0, -0, 1e-300, -1e-300, rng.normal()][Math.floor(rng.next() * 5)],
    ],
    ['an infinite value', () => (rng.next() < 0.01 ? Number.POSITIVE_INFINITY : rng.normal())],
    ['one value', () => 3.25],
    ['subnormal spread', () => rng.next() * 1e-310],
  ];

  it('gives the sorted sample’s edges bit for bit, whatever the values', () => {
    const sort = createFloat64Sorter();
    const scratch = edgeScratch(m);
    for (const [what, draw] of samples) {
      for (const size of [m, 997, 256, 3, 1, 0]) {
        for (const maxBins of [255, 16, 2]) {
          const values = Float64Array.from({ length: size }, draw);
          const want = featureEdges(Float64Array.from(values).sort(), maxBins);
          const got = quantileEdges(values, maxBins, scratch, sort);
          assert.deepEqual(bytes(got), bytes(want), `${what}, ${size} values, ${maxBins} bins`);
        }
      }
    }
  });

  it('takes float32 samples as the same values widened', () => {
    const sort = createFloat64Sorter();
    const scratch = edgeScratch(m);
    for (const draw of [() => rng.normal(), () => Math.floor(rng.next() * 50), () => 7]) {
      const narrow = Float32Array.from({ length: m }, draw);
      const want = featureEdges(Float64Array.from(narrow).sort(), 255);
      assert.deepEqual(bytes(quantileEdges(narrow, 255, scratch, sort)), bytes(want));
    }
  });

  it('cuts a continuous sample at its quantiles', () => {
    const values = Float64Array.from({ length: m }, () => rng.next());
    const edges = quantileEdges(values, 255, edgeScratch(m), createFloat64Sorter());
    assert.equal(edges.length, 255);
    assert.equal(edges[254], Number.POSITIVE_INFINITY);
    // uniform values: the k-th cut near k / 255
    for (let k = 1; k < 254; k += 25)
      assert.ok(Math.abs(edges[k - 1] - k / 255) < 0.02, `cut ${k}: ${edges[k - 1]}`);
  });
});
