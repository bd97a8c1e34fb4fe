// The multilayer perceptron: learns what a linear model cannot (a circular boundary), fits a smooth regression,
// stops early with its best weights, is deterministic per seed, and round-trips through an artifact.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng } from '../core/index.ts';
import { decodeArtifact, encodeArtifact, type Matrix, type State } from '../estimator/index.ts';
import { accuracy, r2Score } from '../evaluate/index.ts';
import { createLearner, logisticRegression, multilayerPerceptron, predictorFor } from './index.ts';
import type { MlpState } from './neural/state.ts';

function circle(n: number, seed: number): { X: Matrix; y: Float64Array } {
  const rng = createRng(seed);
  const data = new Float64Array(n * 2);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rng.next() * 4 - 2;
    const b = rng.next() * 4 - 2;
    data[2 * i] = a;
    data[2 * i + 1] = b;
    y[i] = a * a + b * b < 1.5 ? 1 : 0;
  }
  return { X: { data, rows: n, cols: 2 }, y };
}

const labels = (probs: Float64Array, n: number) =>
  Float64Array.from({ length: n }, (_, i) => (probs[2 * i + 1] > probs[2 * i] ? 1 : 0));

describe('multilayer perceptron', () => {
  it('separates a circle that logistic regression cannot', () => {
    const train = circle(1500, 1);
    const test = circle(500, 2);
    const mlp = multilayerPerceptron({
      hidden_layers: '32,16',
      learning_rate: 0.01,
      max_epochs: 150,
      seed: 3,
    }).fit(train.X, train.y, 'binary', 2);
    const accMlp = accuracy(test.y, labels(mlp.predict(test.X).values, 500));
    const accLin = accuracy(
      test.y,
      labels(logisticRegression().fit(train.X, train.y, 'binary', 2).predict(test.X).values, 500),
    );
    assert.ok(accMlp > 0.93, `mlp accuracy ${accMlp}`);
    assert.ok(accLin < 0.75, `logistic accuracy ${accLin}`);
  });

  it('fits a smooth regression (tanh, dropout) and keeps its best validation weights', () => {
    const rng = createRng(9);
    const n = 800;
    const X = { data: Float64Array.from({ length: n }, () => rng.next() * 6 - 3), rows: n, cols: 1 };
    const y = Float64Array.from(X.data, (x) => Math.sin(x) * 3 + 10);
    const m = multilayerPerceptron({
      hidden_layers: '32',
      activation: 'tanh',
      dropout: 0.1,
      learning_rate: 0.01,
      max_epochs: 300,
      seed: 1,
    }).fit(X, y, 'regression', 0);
    const r2 = r2Score(y, m.predict(X).values);
    assert.ok(r2 > 0.95, `r2 ${r2}`);
    const s = m.state as MlpState;
    assert.ok(Number.isFinite(s.bestValidationLoss));
    assert.ok(s.epochs <= 300);
  });

  it('is deterministic per seed, round-trips through an artifact, and refuses bad params', () => {
    const { X, y } = circle(300, 4);
    const a = multilayerPerceptron({ max_epochs: 5, seed: 2 }).fit(X, y, 'binary', 2);
    const b = multilayerPerceptron({ max_epochs: 5, seed: 2 }).fit(X, y, 'binary', 2);
    assert.deepEqual(encodeArtifact(a.state), encodeArtifact(b.state));
    const decoded = decodeArtifact<State>(encodeArtifact(a.state));
    assert.deepEqual(predictorFor('mlp')(decoded, X).values, a.predict(X).values);
    assert.throws(() => createLearner('mlp', { hidden_layers: '64,x' }), /hidden_layers/);
    assert.throws(() => createLearner('mlp', { dropout: 1 }), /dropout/);
    assert.equal(createLearner('neural_net', { hidden_layers: [8, 4] }).params.hidden_layers, '8,4');
  });
});

describe('multilayer perceptron onIteration', () => {
  it('reports each epoch with the validation loss, and a throw stops training', () => {
    const { X, y } = circle(400, 3);
    const seen: [number, number | null][] = [];
    multilayerPerceptron({ max_epochs: 15, seed: 1, patience: 100 }).fit(X, y, 'binary', 2, {
      onIteration: (epoch, info) => {
        seen.push([epoch, info.validationLoss]);
      },
    });
    assert.deepEqual(
      seen.map(([e]) => e),
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
    assert.ok(seen.every(([, loss]) => typeof loss === 'number' && loss > 0));
    let calls = 0;
    assert.throws(
      () =>
        multilayerPerceptron({ max_epochs: 50, seed: 1 }).fit(X, y, 'binary', 2, {
          onIteration: (epoch) => {
            calls++;
            if (epoch === 4) throw new Error('pruned');
          },
        }),
      /pruned/,
    );
    assert.equal(calls, 4);
  });
});
