// Training of the multilayer perceptron: seeded initialisation, mini-batch Adam on cross-entropy (softmax) or squared
// error, inverted dropout on hidden layers, L2 penalty, early stopping on a held-out share with the best weights kept.

import { createRng, shuffleInPlace } from '../../core/index.ts';
import { type FitOptions, type Matrix, requireFinite, type Task } from '../../estimator/index.ts';
import type { MlpParams } from './params.ts';
import { forward, softmaxInPlace } from './predict.ts';
import type { MlpState } from './state.ts';

export function fitMlp(
  X: Matrix,
  y: Float64Array,
  task: Task,
  K: number,
  p: MlpParams,
  weight?: Float64Array,
  onProgress?: (done: number, total: number) => void,
  onIteration?: FitOptions['onIteration'],
): MlpState {
  requireFinite(X.data, X.cols, 'multilayer perceptrons');
  const rng = createRng(p.seed);
  const regression = task === 'regression';
  const nOut = regression ? 1 : K;
  const sizes = Int32Array.from([X.cols, ...p.hidden_layers.split(',').map(Number), nOut]);
  const L = sizes.length - 1;
  const weights: Float64Array[] = [];
  const biases: Float64Array[] = [];
  for (let l = 0; l < L; l++) {
    const scale = Math.sqrt((p.activation === 'relu' && l < L - 1 ? 2 : 1) / sizes[l]);
    weights.push(Float64Array.from({ length: sizes[l] * sizes[l + 1] }, () => rng.normal() * scale));
    biases.push(new Float64Array(sizes[l + 1]));
  }
  let yMean = 0;
  let yScale = 1;
  if (regression) {
    for (let i = 0; i < y.length; i++) yMean += y[i];
    yMean /= y.length;
    let v = 0;
    for (let i = 0; i < y.length; i++) v += (y[i] - yMean) ** 2;
    yScale = Math.sqrt(v / y.length) || 1;
  }
  const state: MlpState = {
    task: task as MlpState['task'],
    activation: p.activation,
    sizes,
    weights,
    biases,
    epochs: 0,
    bestValidationLoss: Number.NaN,
    yMean,
    yScale,
  };
  const target = regression ? Float64Array.from(y, (v) => (v - yMean) / yScale) : y;
  const order = Array.from({ length: X.rows }, (_, i) => i);
  shuffleInPlace(order, rng);
  const nVal = p.early_stopping ? Math.max(1, Math.floor(X.rows * p.validation_fraction)) : 0;
  const val = order.slice(0, nVal);
  const train = order.slice(nVal);
  const w = weight ?? new Float64Array(X.rows).fill(1);
  const gather = (rows: number[]) => {
    const data = new Float64Array(rows.length * X.cols);
    rows.forEach((r, k) => {
      data.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), k * X.cols);
    });
    return data;
  };
  const lossOf = (rows: number[]): number => {
    const out = forward(state, gather(rows), rows.length).at(-1) as Float64Array;
    let loss = 0;
    let tw = 0;
    if (!regression) softmaxInPlace(out, rows.length, nOut);
    rows.forEach((r, i) => {
      const e = regression
        ? 0.5 * (out[i] - target[r]) ** 2
        : -Math.log(Math.max(out[i * nOut + target[r]], 1e-15));
      loss += w[r] * e;
      tw += w[r];
    });
    return loss / tw;
  };
  const m = [...weights, ...biases].map((a) => new Float64Array(a.length));
  const v = [...weights, ...biases].map((a) => new Float64Array(a.length));
  let step = 0;
  let best = Number.POSITIVE_INFINITY;
  let bestParams: Float64Array[] | null = null;
  let stale = 0;
  for (let epoch = 0; epoch < p.max_epochs; epoch++) {
    shuffleInPlace(train, rng);
    for (let start = 0; start < train.length; start += p.batch_size) {
      const rows = train.slice(start, start + p.batch_size);
      const B = rows.length;
      const masks = Array.from(sizes.slice(1, -1)).map((units) => {
        if (p.dropout <= 0) return null;
        const keep = 1 - p.dropout;
        return Float64Array.from({ length: B * units }, () => (rng.next() < keep ? 1 / keep : 0));
      });
      const acts = forward(state, gather(rows), B, masks);
      const out = Float64Array.from(acts[L]);
      if (!regression) softmaxInPlace(out, B, nOut);
      let tw = 0;
      for (const r of rows) tw += w[r];
      // output delta: (prediction − target) per row, weighted, averaged over the batch's weight
      let delta = new Float64Array(B * nOut);
      rows.forEach((r, i) => {
        const wi = w[r] / tw;
        if (regression) delta[i] = wi * (out[i] - target[r]);
        else
          for (let k = 0; k < nOut; k++)
            delta[i * nOut + k] = wi * (out[i * nOut + k] - (k === target[r] ? 1 : 0));
      });
      const gradsW: Float64Array[] = new Array(L);
      const gradsB: Float64Array[] = new Array(L);
      for (let l = L - 1; l >= 0; l--) {
        const nIn = sizes[l];
        const nO = sizes[l + 1];
        const A = acts[l];
        const gW = new Float64Array(nIn * nO);
        const gB = new Float64Array(nO);
        for (let i = 0; i < B; i++) {
          for (let o = 0; o < nO; o++) gB[o] += delta[i * nO + o];
          for (let k = 0; k < nIn; k++) {
            const a = A[i * nIn + k];
            if (a === 0) continue;
            for (let o = 0; o < nO; o++) gW[k * nO + o] += a * delta[i * nO + o];
          }
        }
        const W = weights[l];
        for (let q = 0; q < gW.length; q++) gW[q] += p.alpha * W[q];
        gradsW[l] = gW;
        gradsB[l] = gB;
        if (l > 0) {
          const prev = new Float64Array(B * nIn);
          for (let i = 0; i < B; i++) {
            for (let k = 0; k < nIn; k++) {
              let sum = 0;
              for (let o = 0; o < nO; o++) sum += delta[i * nO + o] * W[k * nO + o];
              const a = A[i * nIn + k];
              const deriv = p.activation === 'relu' ? (a > 0 ? 1 : 0) : 1 - a * a;
              const mask = masks[l - 1];
              prev[i * nIn + k] = sum * deriv * (mask ? mask[i * nIn + k] : 1);
            }
          }
          delta = prev;
        }
      }
      // Adam
      step++;
      const lr = (p.learning_rate * Math.sqrt(1 - 0.999 ** step)) / (1 - 0.9 ** step);
      const params = [...weights, ...biases];
      const grads = [...gradsW, ...gradsB];
      params.forEach((P, j) => {
        const G = grads[j];
        const M = m[j];
        const V = v[j];
        for (let q = 0; q < P.length; q++) {
          M[q] = 0.9 * M[q] + 0.1 * G[q];
          V[q] = 0.999 * V[q] + 0.001 * G[q] * G[q];
          P[q] -= (lr * M[q]) / (Math.sqrt(V[q]) + 1e-8);
        }
      });
    }
    state.epochs = epoch + 1;
    onProgress?.(epoch + 1, p.max_epochs);
    const valLoss = p.early_stopping ? lossOf(val) : null;
    onIteration?.(epoch + 1, { validationLoss: valLoss, validationScores: null });
    if (valLoss !== null) {
      const loss = valLoss;
      if (loss < best - 1e-6) {
        best = loss;
        bestParams = [...weights, ...biases].map((a) => Float64Array.from(a));
        stale = 0;
      } else if (++stale >= p.patience) break;
    }
  }
  if (bestParams) {
    for (let l = 0; l < L; l++) {
      weights[l].set(bestParams[l]);
      biases[l].set(bestParams[L + l]);
    }
    state.bestValidationLoss = best;
  }
  return state;
}
