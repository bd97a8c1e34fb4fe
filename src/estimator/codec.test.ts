// The artifact codec: exact round trips of JSON + typed arrays, and refusal of any tampered or truncated byte.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeArtifact, encodeArtifact, resolveParams } from './index.ts';

const state = {
  kind: 'demo',
  n: 3,
  ok: true,
  none: null,
  inf: Number.POSITIVE_INFINITY,
  weights: Float64Array.of(0.1, -2.5, Number.NaN, 1e300),
  codes: Int32Array.of(-1, 0, 7),
  flags: Uint8Array.of(1, 0, 1),
  nested: [{ name: 'a', edges: Float64Array.of(1, 2) }, 'x'],
};

describe('artifact codec', () => {
  it('round-trips values and typed arrays exactly', () => {
    const bytes = encodeArtifact(state as never);
    const back = decodeArtifact<typeof state>(bytes);
    assert.equal(back.kind, 'demo');
    assert.equal(back.inf, Number.POSITIVE_INFINITY);
    assert.ok(back.weights instanceof Float64Array);
    assert.deepEqual([...back.weights], [...state.weights]);
    assert.ok(back.codes instanceof Int32Array);
    assert.deepEqual([...back.codes], [-1, 0, 7]);
    assert.deepEqual([...back.flags], [1, 0, 1]);
    assert.deepEqual([...(back.nested[0] as { edges: Float64Array }).edges], [1, 2]);
    // same value, same bytes
    assert.deepEqual(encodeArtifact(state as never), bytes);
  });

  it('refuses a flipped byte anywhere in the body, a truncation, and foreign bytes', () => {
    const bytes = encodeArtifact(state as never);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3] ^= 0xff;
    assert.throws(() => decodeArtifact(flipped), { code: 'ESTIMATOR_ARTIFACT_CORRUPT' });
    assert.throws(() => decodeArtifact(bytes.subarray(0, bytes.length - 8)), {
      code: 'ESTIMATOR_ARTIFACT_CORRUPT',
    });
    assert.throws(() => decodeArtifact(Buffer.from('not an artifact at all')), {
      code: 'ESTIMATOR_ARTIFACT_CORRUPT',
    });
  });
});

describe('params', () => {
  const specs = {
    rate: { type: 'number', default: 0.1, min: 0, exclusiveMin: true },
    depth: { type: 'number', default: 3, min: 1, integer: true },
    mode: { type: 'enum', default: 'a', values: ['a', 'b'] },
  } as const;

  it('fills defaults and coerces numeric strings', () => {
    assert.deepEqual(resolveParams('demo', specs, { depth: '5' }), { rate: 0.1, depth: 5, mode: 'a' });
  });

  it('names the param in a coded error', () => {
    assert.throws(
      () => resolveParams('demo', specs, { rate: 0 }),
      (e: Error & { code?: string; details?: { param?: string } }) => {
        return e.code === 'ESTIMATOR_BAD_PARAM' && e.details?.param === 'rate' && /rate/.test(e.message);
      },
    );
    assert.throws(() => resolveParams('demo', specs, { depth: 2.5 }), { code: 'ESTIMATOR_BAD_PARAM' });
    assert.throws(() => resolveParams('demo', specs, { mode: 'c' }), { code: 'ESTIMATOR_BAD_PARAM' });
    assert.throws(() => resolveParams('demo', specs, { typo: 1 }), /unknown param "typo"/);
  });
});
