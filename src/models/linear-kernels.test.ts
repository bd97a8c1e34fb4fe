// Logistic regression's WebAssembly passes against its JavaScript loops: the same coefficients, bit for bit.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../core/index.ts';
import { fitLogistic } from './linear/fit.ts';

describe('logistic regression engines', () => {
  it('WebAssembly and JavaScript passes fit bit-identical coefficients, with weights', () => {
    const n = 5000;
    const p = 9;
    const rng = createRng(31);
    const data = new Float64Array(n * p);
    const y = new Float64Array(n);
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let z = 0.3;
      for (let j = 0; j < p; j++) {
        const v = rng.normal();
        data[i * p + j] = v;
        z += (j % 3 === 0 ? 0.8 : -0.2) * v;
      }
      y[i] = z + rng.normal() > 0 ? 1 : 0;
      w[i] = 0.5 + rng.next();
    }
    const X = { data, rows: n, cols: p };
    const params = { C: 0.5, max_iter: 200, tol: 1e-10 };
    const a = fitLogistic(X, y, 2, params, w, 'wasm');
    const b = fitLogistic(X, y, 2, params, w, 'js');
    assert.deepEqual(Array.from(a.coef), Array.from(b.coef));
    assert.deepEqual(Array.from(a.intercept), Array.from(b.intercept));
    const narrow = Float32Array.from(data);
    const c = fitLogistic({ data: narrow, rows: n, cols: p }, y, 2, params, w, 'wasm');
    const d = fitLogistic({ data: Float64Array.from(narrow), rows: n, cols: p }, y, 2, params, w, 'js');
    assert.deepEqual(Array.from(c.coef), Array.from(d.coef), 'float32 rows fit as their float64 widening');
    assert.ok(
      a.coef.some((c) => Math.abs(c) > 0.1),
      'a real fit',
    );
  });
});
