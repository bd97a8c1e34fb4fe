// The estimator contract suite: what every supervised learner must do, whatever its family — validated params, the
// tasks it claims, outputs of the right shape (probabilities summing to 1), seeded determinism (identical state
// bytes), state that survives the artifact codec and scores the same through the registered predictor, sample
// weights honoured, and a coded error for tasks it does not fit.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../core/index.ts';
import { decodeArtifact, encodeArtifact } from './codec.ts';
import type { Learner, Matrix, Predictor, State, Task } from './types.ts';

export interface ContractSubject {
  kind: string;
  make: (params?: Record<string, unknown>) => Learner;
  predictor: Predictor;
  /** params that keep the suite fast */
  quick?: Record<string, unknown>;
  /** the learner takes category codes (0, 1, 2…) only */
  codes?: boolean;
}

function dataset(task: Task, n = 240, seed = 7, codes = false): { X: Matrix; y: Float64Array; K: number } {
  const rng = createRng(seed);
  const X: Matrix = { data: new Float64Array(n * 3), rows: n, cols: 3 };
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rng.normal();
    X.data[3 * i] = codes ? Math.min(4, Math.max(0, Math.floor(a + 2.5))) : a;
    X.data[3 * i + 1] = codes ? Math.min(4, Math.max(0, Math.floor(b + 2.5))) : b;
    X.data[3 * i + 2] = rng.int(3); // small integer codes suit every family, categorical naive Bayes included
    const z = a + 0.5 * b + 0.3 * rng.normal();
    y[i] = task === 'regression' ? z : task === 'binary' ? (z > 0 ? 1 : 0) : z < -0.5 ? 0 : z < 0.5 ? 1 : 2;
  }
  return { X, y, K: task === 'regression' ? 0 : task === 'binary' ? 2 : 3 };
}

export function estimatorContract(subject: ContractSubject): void {
  const learner = subject.make(subject.quick);
  describe(`estimator contract: ${subject.kind}`, () => {
    it('refuses unknown params with a coded error naming them', () => {
      assert.throws(
        () => subject.make({ no_such_param: 1 }),
        (e: Error & { code?: string }) => e.code === 'ESTIMATOR_BAD_PARAM' && /no_such_param/.test(e.message),
      );
    });

    for (const task of ['binary', 'multiclass', 'regression'] as const) {
      if (!learner.tasks.includes(task)) {
        it(`refuses ${task} with ESTIMATOR_BAD_TASK`, () => {
          const { X, y, K } = dataset(task, 240, 7, subject.codes);
          assert.throws(() => learner.fit(X, y, task, K), { code: 'ESTIMATOR_BAD_TASK' });
        });
        continue;
      }
      it(`${task}: well-formed output, deterministic, codec round trip, predictor agreement`, () => {
        const { X, y, K } = dataset(task, 240, 7, subject.codes);
        const a = learner.fit(X, y, task, K);
        const b = subject.make(subject.quick).fit(X, y, task, K);
        assert.equal(a.kind, subject.kind);
        assert.deepEqual(
          encodeArtifact(a.state),
          encodeArtifact(b.state),
          'same data, same params: same bytes',
        );
        const out = a.predict(X);
        if (task === 'regression') {
          assert.equal(out.kind, 'values');
          assert.equal(out.values.length, X.rows);
        } else {
          assert.equal(out.kind, 'probabilities');
          assert.equal(out.values.length, X.rows * K);
          for (let i = 0; i < X.rows; i++) {
            let s = 0;
            for (let k = 0; k < K; k++) {
              const p = out.values[i * K + k];
              assert.ok(p >= 0 && p <= 1, `probability ${p}`);
              s += p;
            }
            assert.ok(Math.abs(s - 1) < 1e-9, `row ${i} sums to ${s}`);
          }
        }
        assert.ok(out.values.every((v) => Number.isFinite(v)));
        const decoded = decodeArtifact<State>(encodeArtifact(a.state));
        assert.deepEqual(
          subject.predictor(decoded, X).values,
          out.values,
          'the decoded state scores identically',
        );
      });
    }

    it('float32 features fit the same bytes and score the same as their float64 widening', () => {
      const task = learner.tasks[0];
      const { X, y, K } = dataset(task, 240, 7, subject.codes);
      const narrow: Matrix = { ...X, data: Float32Array.from(X.data) };
      const wide: Matrix = { ...X, data: Float64Array.from(narrow.data) };
      const a = learner.fit(narrow, y, task, K);
      const b = learner.fit(wide, y, task, K);
      assert.deepEqual(encodeArtifact(a.state), encodeArtifact(b.state));
      assert.deepEqual(a.predict(narrow).values, b.predict(wide).values);
      assert.deepEqual(subject.predictor(a.state, narrow).values, b.predict(wide).values);
    });

    it('honours sample weights: weighting some rows changes the predictions', () => {
      const task: Task = learner.tasks.includes('binary') ? 'binary' : 'regression';
      const { X, y, K } = dataset(task, 240, 7, subject.codes);
      const other = dataset(task, 240, 8, subject.codes).X;
      const ones = new Float64Array(X.rows).fill(1);
      const skew = Float64Array.from(ones, (_, i) =>
        y[i] === 1 || (task === 'regression' && y[i] > 0) ? 20 : 1,
      );
      const base = learner.fit(X, y, task, K, { sampleWeight: ones });
      const skewed = learner.fit(X, y, task, K, { sampleWeight: skew });
      assert.notDeepEqual(
        Array.from(skewed.predict(other).values),
        Array.from(base.predict(other).values),
        'weights must matter',
      );
    });
  });
}
