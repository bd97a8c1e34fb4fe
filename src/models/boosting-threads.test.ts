// Gradient boosting's training engine: the WebAssembly histogram kernel against the JavaScript one (bit for bit),
// the branch-free binning against a plain binary search, and models that are byte-identical for any thread count.

import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRng, shuffleInPlace } from '../core/index.ts';
import { encodeArtifact, type Matrix } from '../estimator/index.ts';
import { kernelsModule, UNROLL_MAX_FEATURES, unrolledKernelModule } from './boosting/kernels-wasm.ts';
import { gradients } from './boosting/losses.ts';
import { compiledRawScores, rawScores, wasmCompiledRawScores } from './boosting/predict.ts';
import {
  closePredictionHelpers,
  predictionHelperStats,
  warmPredictionHelpers,
} from './boosting/predict-pool.ts';
import { PARALLEL_MIN_ROWS, parallelWasmRawScores } from './boosting/predict-threads.ts';
import { createRowStore, partitionRows } from './boosting/rows.ts';
import type { BoostingState } from './boosting/state.ts';
import { HistogramBuilder } from './boosting/threads.ts';
import { walkProgram } from './boosting/walk-wasm.ts';
import { binEdges, binMatrix, binOf } from './engine/binning.ts';
import { gradientBoosting } from './index.ts';

function randomMatrix(n: number, p: number, seed: number): Matrix {
  const rng = createRng(seed);
  const data = new Float64Array(n * p);
  for (let i = 0; i < n * p; i++) {
    const f = i % p;
    // a mix: continuous, a few distinct values, and missing values
    data[i] =
      f % 3 === 0
        ? rng.normal()
        : f % 3 === 1
          ? Math.floor(rng.next() * 5)
          : rng.next() < 0.2
            ? NaN
            : rng.next();
  }
  return { data, rows: n, cols: p };
}

describe('boosting engine', () => {
  it('the WebAssembly kernel compiles here', () => {
    assert.ok(kernelsModule(), 'WebAssembly with shared memory should be available on Node 20');
  });

  it('unrolled, general WebAssembly and JavaScript histograms are bit-identical, direct, through an index, and sparse', () => {
    const n = 40_000;
    const p = 7;
    const X = randomMatrix(n, p, 3);
    const b = binMatrix(X, 255);
    assert.ok(unrolledKernelModule(b.offsets, p), 'WebAssembly SIMD should be available on Node 20');
    assert.equal(
      unrolledKernelModule(b.offsets, UNROLL_MAX_FEATURES + 1),
      null,
      'wide data: the general kernel',
    );
    const wasmRows = createRowStore(b, n, p, 'wasm');
    const generalRows = createRowStore(b, n, p, 'wasm-general');
    const jsRows = createRowStore(b, n, p, 'js');
    assert.ok(wasmRows.memory && generalRows.memory && !jsRows.memory);
    assert.notEqual(wasmRows.module, generalRows.module);
    const rng = createRng(4);
    let m = 0;
    for (let i = 0; i < n; i++) {
      const g = rng.normal();
      const h = rng.next();
      for (const s of [wasmRows, generalRows, jsRows]) {
        s.gh[2 * i] = g;
        s.gh[2 * i + 1] = h;
      }
      if (rng.next() < 0.3) {
        for (const s of [wasmRows, generalRows, jsRows]) s.idx[m] = i;
        m++;
      }
    }
    // indexed ranges are summed with the look-ahead (ROWS_SPARSE): batches of 16 rows touched ahead, clamped to the
    // range's last position; the last ranges are shorter than a batch, one ending on the last position an index holds
    for (const [start, end, direct] of [
      [0, n, true],
      [0, m, false],
      [17, 17 + 1000, false],
      [m - 5, m, false],
      [n - 3, n, false],
      [m - 1, m, false],
    ] as const) {
      const a = new Float64Array(wasmRows.shape.size);
      const g = new Float64Array(generalRows.shape.size);
      const c = new Float64Array(jsRows.shape.size);
      new HistogramBuilder(wasmRows, 1).build(start, end, a, direct);
      new HistogramBuilder(generalRows, 1).build(start, end, g, direct);
      new HistogramBuilder(jsRows, 1).build(start, end, c, direct);
      assert.deepEqual(Buffer.from(a.buffer), Buffer.from(c.buffer));
      assert.deepEqual(Buffer.from(g.buffer), Buffer.from(c.buffer));
      // the count lane adds up to the rows summed
      let count = 0;
      for (let o = 2; o < (b.offsets[1] - b.offsets[0]) * 3; o += 3) count += a[o];
      assert.equal(count, end - start);
    }
  });

  it('the WebAssembly partition orders rows exactly as the JavaScript one, missing values either way', () => {
    const n = 30_000;
    const p = 6;
    const b = binMatrix(randomMatrix(n, p, 23), 255);
    const wasmRows = createRowStore(b, n, p, 'wasm');
    const jsRows = createRowStore(b, n, p, 'js');
    assert.ok(wasmRows.partition && !jsRows.partition);
    const rng = createRng(24);
    for (let i = 0; i < n; i++) wasmRows.idx[i] = jsRows.idx[i] = i;
    let split = 0;
    for (let round = 0; round < 12; round++) {
      const start = Math.floor(rng.next() * 1000);
      const end = n - Math.floor(rng.next() * 1000);
      const feature = round % p;
      const bin = Math.floor(rng.next() * b.nBins[feature]);
      const missingLeft = round % 2 === 0;
      const a = partitionRows(wasmRows, start, end, feature, bin, missingLeft);
      const c = partitionRows(jsRows, start, end, feature, bin, missingLeft);
      assert.equal(a, c);
      if (a > start && a < end) split++;
      assert.deepEqual(
        Buffer.from(wasmRows.idx.buffer, wasmRows.idx.byteOffset, n * 4),
        Buffer.from(jsRows.idx.buffer, jsRows.idx.byteOffset, n * 4),
      );
    }
    assert.ok(split >= 6, `rows went both ways in ${split} of 12 partitions`);
    // ranges of no rows, of less than a batch of eight, of one batch exactly, of a batch and a tail
    for (const [start, end] of [
      [5, 5],
      [7, 12],
      [100, 108],
      [200, 213],
      [n - 3, n],
    ]) {
      const a = partitionRows(wasmRows, start, end, 1, 100, true);
      assert.equal(a, partitionRows(jsRows, start, end, 1, 100, true));
      assert.deepEqual(
        Buffer.from(wasmRows.idx.buffer, wasmRows.idx.byteOffset, n * 4),
        Buffer.from(jsRows.idx.buffer, jsRows.idx.byteOffset, n * 4),
      );
    }
  });

  it('a long node is partitioned over threads into the order of one pass', async () => {
    const n = 100_000;
    const p = 5;
    const b = binMatrix(randomMatrix(n, p, 29), 255);
    const rows = createRowStore(b, n, p, 'wasm', 3);
    const one = createRowStore(b, n, p, 'js');
    const hists = new HistogramBuilder(rows, 3);
    try {
      const rng = createRng(30);
      for (let i = 0; i < n; i++) rows.idx[i] = one.idx[i] = i;
      const deadline = Date.now() + 20_000;
      // nodes of two chunks exactly, of many with a short last one, of all rows; missing rows either way
      const ranges = [
        [5000, 5000 + 2 * 16_384],
        [123, 98_765],
        [0, n],
      ];
      for (let round = 0; round < 12 || (hists.workerBlocks === 0 && Date.now() < deadline); round++) {
        const [start, end] = ranges[round % ranges.length];
        const feature = round % p;
        const bin = Math.floor(rng.next() * b.nBins[feature]);
        const missingLeft = round % 2 === 1;
        const a = hists.partition(start, end, feature, bin, missingLeft);
        assert.equal(a, partitionRows(one, start, end, feature, bin, missingLeft));
        assert.deepEqual(
          Buffer.from(rows.idx.buffer, rows.idx.byteOffset, n * 4),
          Buffer.from(one.idx.buffer, one.idx.byteOffset, n * 4),
        );
        await sleep(5);
      }
      assert.ok(hists.workerBlocks > 0, 'the helpers partitioned some chunks');
    } finally {
      hists.close();
    }
  });

  it('branch-free binning gives the bins a plain binary search gives', () => {
    const X = randomMatrix(5000, 6, 5);
    const b = binMatrix(X, 32);
    const edges = binEdges(X, 32);
    for (let i = 0; i < X.rows; i++) {
      for (let f = 0; f < X.cols; f++) {
        const v = X.data[i * X.cols + f];
        const want = Number.isNaN(v) ? b.nBins[f] : binOf(edges[f], v);
        assert.equal(b.bins[i * X.cols + f], want);
      }
    }
  });

  it("bins assigned in WebAssembly windows, on one thread or three, are binning.ts's bins and their transpose", async () => {
    const n = 30_000;
    const p = 7;
    const X64 = randomMatrix(n, p, 31);
    for (let i = 0; i < n; i++) {
      X64.data[i * p + 5] = 3; // a constant feature: one bin
      X64.data[i * p + 6] = Number.NaN; // no values at all: the missing bin
    }
    for (const X of [X64, { ...X64, data: Float32Array.from(X64.data) }]) {
      // some values exactly on an edge (the bin it closes, not the next one)
      const edges = binEdges(X, 255);
      for (let i = 0; i < 500; i++) X.data[i * p] = edges[0][i % (edges[0].length - 1)];
      const { bins, ...layout } = binMatrix(X, 255, edges);
      const want = createRowStore({ bins, ...layout }, n, p);
      // 2n / p = 8,571 rows per window: four windows of up to three claims each
      const one = createRowStore(layout, n, p);
      new HistogramBuilder(one, 1).assignBins(X, layout.edges);
      assert.deepEqual(Buffer.from(one.bins), Buffer.from(bins));
      assert.deepEqual(Buffer.from(one.cols), Buffer.from(want.cols));
      const rows = createRowStore(layout, n, p);
      const three = new HistogramBuilder(rows, 3);
      try {
        const deadline = Date.now() + 20_000;
        // workers take a moment to start; until then the training thread bins every window itself
        do {
          rows.bins.fill(0);
          rows.cols.fill(0);
          three.assignBins(X, layout.edges);
          assert.deepEqual(Buffer.from(rows.bins), Buffer.from(bins));
          assert.deepEqual(Buffer.from(rows.cols), Buffer.from(want.cols));
          await new Promise((r) => setTimeout(r, 20));
        } while (three.workerBlocks === 0 && Date.now() < deadline);
        assert.ok(three.workerBlocks > 0, 'the workers binned some rows');
      } finally {
        three.close();
      }
    }
  });

  it('worker threads sum blocks (and add them up) into the same histogram as one thread', async () => {
    const n = 100_000;
    // the block histograms are added on every thread two elements at a time: an even histogram size, and an odd one
    // whose last element (the count of the last feature's missing bin) is not zero
    const rngX = createRng(11);
    const odd = {
      data: Float64Array.from({ length: 2 * n }, (_, i) =>
        i % 2 === 0 ? rngX.normal() : rngX.next() < 0.3 ? Number.NaN : Math.floor(3 * rngX.next()),
      ),
      rows: n,
      cols: 2,
    };
    for (const [X, maxBins, size] of [
      [randomMatrix(n, 5, 9), 255, 2340],
      [odd, 254, 777],
    ] as [Matrix, number, number][]) {
      const p = X.cols;
      const b = binMatrix(X, maxBins);
      const rows = createRowStore(b, n, p);
      assert.equal(rows.shape.size, size);
      const rng = createRng(10);
      for (let i = 0; i < n; i++) {
        rows.gh[2 * i] = rng.normal();
        rows.gh[2 * i + 1] = rng.next();
        rows.idx[i] = n - 1 - i;
      }
      const one = new Float64Array(rows.shape.size);
      new HistogramBuilder(rows, 1).build(0, n, one, false);
      const three = new HistogramBuilder(rows, 3);
      try {
        const deadline = Date.now() + 20_000;
        // workers take a moment to start; until then the training thread sums every block itself
        while (three.workerBlocks === 0 && Date.now() < deadline) {
          const h = new Float64Array(rows.shape.size);
          three.build(0, n, h, false);
          assert.deepEqual(Buffer.from(h.buffer), Buffer.from(one.buffer));
          await new Promise((r) => setTimeout(r, 20));
        }
        assert.ok(three.workerBlocks > 0, 'the workers summed some blocks');
      } finally {
        three.close();
      }
    }
  });

  it("the fused score update and gradients match fit's update followed by the logistic gradients, bit for bit", async () => {
    const n = 100_000;
    const p = 3;
    const b = binMatrix(randomMatrix(n, p, 11), 255);
    const rng = createRng(12);
    const y = Float64Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0));
    const F0 = Float64Array.from({ length: n }, () => 3 * rng.normal());
    // a tree's leaves: contiguous position ranges over a shuffled permutation of the rows
    const perm = Int32Array.from({ length: n }, (_, i) => i);
    shuffleInPlace(perm, rng);
    const starts = [0, 7, 20_000, 20_001, 51_234, 99_000];
    const values = starts.map(() => rng.normal());
    // the reference: fit.ts's score update, then losses.ts's logistic gradients
    const Fref = Float64Array.from(F0);
    starts.forEach((s, k) => {
      for (let r = s; r < (starts[k + 1] ?? n); r++) Fref[perm[r]] += values[k];
    });
    const ghRef = new Float64Array(2 * n);
    gradients('logistic', Fref, y, null, 1, ghRef, { huber_delta: 1, quantile_alpha: 0.5 });
    for (const threads of [1, 3]) {
      const rows = createRowStore(b, n, p);
      rows.idx.set(perm);
      const update = {
        F: new Float64Array(new SharedArrayBuffer(8 * n)),
        y: new Uint8Array(new SharedArrayBuffer(n)),
        leafOf: new Uint16Array(new SharedArrayBuffer(2 * n)),
        leaves: new Float64Array(new SharedArrayBuffer(8 * (1 + 2 * starts.length))),
      };
      update.y.set(y);
      update.leaves[0] = starts.length;
      starts.forEach((s, k) => {
        update.leaves[1 + 2 * k] = s;
        update.leaves[2 + 2 * k] = values[k];
      });
      const builder = new HistogramBuilder(rows, threads, update);
      try {
        // workers take a moment to start: repeat until they have taken part (each run starts from the same scores)
        const deadline = Date.now() + 20_000;
        do {
          update.F.set(F0);
          rows.gh.fill(0);
          builder.updateScores(n);
          assert.ok(
            Buffer.from(update.F.buffer).equals(Buffer.from(Fref.buffer)),
            `scores, ${threads} threads`,
          );
          assert.ok(
            Buffer.from(rows.gh.slice().buffer).equals(Buffer.from(ghRef.buffer)),
            `gradients, ${threads} threads`,
          );
          await new Promise((r) => setTimeout(r, 20));
        } while (threads > 1 && builder.workerBlocks === 0 && Date.now() < deadline);
        if (threads > 1) assert.ok(builder.workerBlocks > 0, 'the workers updated some positions');
      } finally {
        builder.close();
      }
    }
  });

  it('small nodes are split over threads, in parts or by feature groups, into the same histogram as one thread', async () => {
    const n = 50_000; // four slots: a node of a few blocks is summed in four parts; one under 8,192 rows by features
    const p = 13;
    const b = binMatrix(randomMatrix(n, p, 19), 255);
    for (const engine of ['wasm', 'wasm-general', 'js'] as const) {
      const rows = createRowStore(b, n, p, engine);
      assert.ok(rows.shape.groups.length - 1 >= 2, 'several feature groups');
      // one group per thread that will sum them, of at least four features
      assert.deepEqual(createRowStore(b, n, p, engine, 2).shape.groups, [0, 6, 13]);
      assert.deepEqual(createRowStore(b, n, p, engine, 1).shape.groups, [0, 13]);
      assert.equal(createRowStore(b, n, p, engine, 16).shape.groups.length - 1, 3);
      const rng = createRng(20);
      for (let i = 0; i < n; i++) {
        rows.gh[2 * i] = rng.normal();
        rows.gh[2 * i + 1] = rng.next();
        rows.idx[i] = (i * 7919) % n;
      }
      // a node in four parts (the last shorter), one in two groups
      for (const [start, end] of [
        [100, 30_003],
        [100, 6100],
      ]) {
        const one = new Float64Array(rows.shape.size);
        new HistogramBuilder(rows, 1).build(start, end, one, false);
        const three = new HistogramBuilder(rows, 3);
        try {
          if (engine === 'js') {
            // no helpers without the WebAssembly kernel: the training thread sums it all
            const h = new Float64Array(rows.shape.size);
            three.build(start, end, h, false);
            assert.deepEqual(Buffer.from(h.buffer), Buffer.from(one.buffer));
            assert.equal(three.workerBlocks, 0);
            continue;
          }
          const deadline = Date.now() + 20_000;
          while (three.workerBlocks === 0 && Date.now() < deadline) {
            const h = new Float64Array(rows.shape.size);
            three.build(start, end, h, false);
            assert.deepEqual(Buffer.from(h.buffer), Buffer.from(one.buffer), engine);
            await new Promise((r) => setTimeout(r, 20));
          }
          assert.ok(three.workerBlocks > 0, `${engine}: the workers summed some parts or groups`);
        } finally {
          three.close();
        }
      }
    }
  });

  it('the model is byte-identical with 1, 2 and 3 threads', () => {
    const n = 50_000;
    const X = randomMatrix(n, 9, 7); // 9 features: two groups, so small nodes are split by features too
    const rng = createRng(8);
    const y = Float64Array.from({ length: n }, (_, i) => {
      const a = X.data[i * 9];
      const c = X.data[i * 9 + 1];
      return a + 0.3 * c + rng.normal() > 0.5 ? 1 : 0;
    });
    const bytes = [1, 2, 3].map((t) => {
      const model = gradientBoosting({ n_estimators: 8, n_threads: t, seed: 1 }).fit(X, y, 'binary', 2);
      return Buffer.from(encodeArtifact({ state: model.state }));
    });
    assert.ok(bytes[0].equals(bytes[1]), '1 vs 2 threads');
    assert.ok(bytes[0].equals(bytes[2]), '1 vs 3 threads');
  });

  it('n_threads is a validated param', () => {
    assert.throws(() => gradientBoosting({ n_threads: -1 }), /n_threads/);
    assert.throws(() => gradientBoosting({ n_threads: 1.5 }), /n_threads/);
  });
});

describe('boosting inference engines', () => {
  it('trees compiled to WebAssembly score bit-identically to the JavaScript-compiled trees and the walker', () => {
    const n = 6000;
    const X = randomMatrix(n, 5, 41);
    const rng = createRng(42);
    const yBin = Float64Array.from({ length: n }, (_, i) => (X.data[i * 5] + rng.normal() > 0 ? 1 : 0));
    const yMulti = Float64Array.from({ length: n }, (_, i) =>
      Math.min(2, Math.max(0, Math.round(X.data[i * 5] + 1))),
    );
    for (const [y, task, K] of [
      [yBin, 'binary', 2],
      [yMulti, 'multiclass', 3],
    ] as const) {
      const model = gradientBoosting({ n_estimators: 30, n_threads: 1 }).fit(X, y, task, K);
      const state = model.state as BoostingState;
      assert.ok(
        state.missingLeft.some((m) => m === 1),
        'some nodes send missing values left',
      );
      const wasmScores = wasmCompiledRawScores(state, X);
      assert.ok(wasmScores, 'the WebAssembly trees compiled');
      assert.deepEqual(Buffer.from(wasmScores.buffer), Buffer.from(compiledRawScores(state, X).buffer));
      assert.deepEqual(Buffer.from(wasmScores.buffer), Buffer.from(rawScores(state, X).buffer));
    }
  });
});

describe('boosting trees walked over tables', () => {
  it('shallow trees walk branch-free with the same sums; deep ones fall back to the compiled trees', () => {
    const n = 9000;
    const X = randomMatrix(n, 6, 61);
    for (let i = 0; i < n; i += 5) X.data[i * 6 + (i % 6)] = Number.NaN;
    const rng = createRng(62);
    const y = Float64Array.from({ length: n }, (_, i) =>
      Math.min(2, Math.max(0, Math.round(X.data[i * 6 + 2] * X.data[i * 6 + 3] + rng.normal()))),
    );
    for (const [params, walked] of [
      [{ max_depth: 1 }, true],
      [{ max_depth: 6, max_leaves: 64 }, true],
      [{ max_leaves: 200, min_samples_leaf: 2, reg_lambda: 0 }, false],
    ] as const) {
      const state = gradientBoosting({ n_estimators: 12, n_threads: 1, ...params }).fit(X, y, 'multiclass', 3)
        .state as BoostingState;
      assert.equal(walkProgram(state, false) !== null, walked, JSON.stringify(params));
      // rows with missing values take the steps that test for them; a batch without any skips that test
      const complete = { ...X, data: X.data.map((v) => (Number.isNaN(v) ? 0.5 : v)) };
      for (const M of [X, complete]) {
        const wasmScores = wasmCompiledRawScores(state, M);
        assert.ok(wasmScores);
        assert.ok(
          Buffer.from(wasmScores.buffer).equals(Buffer.from(rawScores(state, M).buffer)),
          JSON.stringify(params),
        );
      }
    }
  });
});

describe('boosting prediction on several threads', () => {
  it('large batches are split over threads and score bit-identically to one thread', () => {
    const n = PARALLEL_MIN_ROWS + 5000; // not a whole number of blocks
    const X = randomMatrix(n, 5, 51);
    for (let i = 0; i < n; i += 7) X.data[i * 5 + 1] = Number.NaN;
    const rng = createRng(52);
    const y = Float64Array.from({ length: n }, (_, i) =>
      Math.min(2, Math.max(0, Math.round(X.data[i * 5] + rng.normal()))),
    );
    // a shallow model (the table walker) and a deep one (the compiled trees), against the JavaScript walker
    let last: BoostingState | null = null;
    for (const [params, walked] of [
      [{ max_depth: 5 }, true],
      [{ max_leaves: 64, min_samples_leaf: 2, reg_lambda: 0 }, false],
    ] as const) {
      const state = gradientBoosting({ n_estimators: 30, n_threads: 2, ...params }).fit(X, y, 'multiclass', 3)
        .state as BoostingState;
      last = state;
      assert.equal(walkProgram(state, true) !== null, walked);
      const one = rawScores(state, X);
      // helpers start in milliseconds, but the calling thread may finish first on a loaded machine: try until one helps
      let helped = 0;
      const deadline = Date.now() + 20_000;
      while (helped === 0 && Date.now() < deadline) {
        const out = new Float64Array(n * 3);
        for (let i = 0; i < n; i++) out.set(state.baseScore, i * 3);
        const r = parallelWasmRawScores(state, X.data, n, 5, out, 3);
        assert.ok(r, 'threads were used');
        assert.ok(Buffer.from(out.buffer).equals(Buffer.from(one.buffer)), 'same bits as one thread');
        helped = r.helperBlocks;
      }
      assert.ok(helped > 0, 'helper threads scored blocks');
      const viaPredict = wasmCompiledRawScores(state, X) as Float64Array;
      assert.ok(Buffer.from(viaPredict.buffer).equals(Buffer.from(one.buffer)));
      // one thread: the rows pass through a window several times
      const oneThread = wasmCompiledRawScores(state, X, 1) as Float64Array;
      assert.ok(Buffer.from(oneThread.buffer).equals(Buffer.from(one.buffer)), 'one thread, windowed');
      const narrow = { ...X, data: Float32Array.from(X.data) };
      const widened = rawScores(state, { ...X, data: Float64Array.from(narrow.data) });
      const viaNarrow = wasmCompiledRawScores(state, narrow) as Float64Array;
      assert.ok(
        Buffer.from(viaNarrow.buffer).equals(Buffer.from(widened.buffer)),
        'float32 rows as their widening',
      );
    }
    assert.ok(last);
    const state: BoostingState = last;
    const base = () => {
      const out = new Float64Array(n * 3);
      for (let i = 0; i < n; i++) out.set(state.baseScore, i * 3);
      return out;
    };
    assert.equal(parallelWasmRawScores(state, X.data, n, 5, base(), 1), null, 'one thread: not split');
    assert.equal(
      parallelWasmRawScores(state, X.data, PARALLEL_MIN_ROWS - 1, 5, base(), 3),
      null,
      'small batches stay on the calling thread',
    );
  });

  it('keeps its helper threads between batches, readies them in a large fit, and ends them when idle', async () => {
    await closePredictionHelpers();
    const n = PARALLEL_MIN_ROWS + 1000;
    const X = randomMatrix(n, 4, 61);
    const y = Float64Array.from({ length: n }, (_, i) => (X.data[i * 4] > 0 ? 1 : 0));
    // a fit of this size on two threads starts the helpers during its last round and builds the walker's program
    const state = gradientBoosting({ n_estimators: 3, max_depth: 3, n_threads: 2 }).fit(X, y, 'binary', 2)
      .state as BoostingState;
    // (the helpers a batch would use: one per core past the first, at most seven)
    const expected = Math.min(availableParallelism(), 8) - 1;
    const before = predictionHelperStats();
    assert.equal(before.alive, expected, 'helpers started by the fit');
    const one = rawScores(state, X);
    const score = () => {
      const out = new Float64Array(n).fill(state.baseScore[0]);
      const r = parallelWasmRawScores(state, X.data, n, 4, out, 2);
      assert.ok(Buffer.from(out.buffer).equals(Buffer.from(one.buffer)), 'same bits as one thread');
      return r;
    };
    for (let k = 0; k < 3; k++) assert.ok(score() || expected === 0);
    assert.deepEqual(predictionHelperStats(), before, 'three batches, no thread started');
    // idle helpers end by themselves (here after 100 ms); the next batch starts new ones
    await closePredictionHelpers();
    warmPredictionHelpers(1, 100);
    assert.equal(predictionHelperStats().alive, 1);
    const deadline = Date.now() + 10_000;
    while (predictionHelperStats().alive > 0 && Date.now() < deadline) await sleep(50);
    assert.equal(predictionHelperStats().alive, 0, 'an idle helper ended');
    const started = predictionHelperStats().started;
    if (expected > 0) {
      assert.ok(score(), 'threads used again');
      assert.equal(predictionHelperStats().started, started + 1);
    }
    await closePredictionHelpers();
  });
});

describe('boosting onIteration (what tuning reports and prunes from)', () => {
  const X = randomMatrix(3000, 6, 11);
  const y = Float64Array.from({ length: 3000 }, (_, i) =>
    X.data[i * 6] + 0.3 * X.data[i * 6 + 1] > 0 ? 1 : 0,
  );
  const val = { X: randomMatrix(500, 6, 12), y: new Float64Array(500) };
  for (let i = 0; i < 500; i++) val.y[i] = val.X.data[i * 6] + 0.3 * val.X.data[i * 6 + 1] > 0 ? 1 : 0;

  it('is called once per round with a falling validation loss and the validation margins', () => {
    const losses: number[] = [];
    gradientBoosting({ n_estimators: 20, n_threads: 2 }).fit(X, y, 'binary', 2, {
      validation: val,
      onIteration: (it, info) => {
        assert.equal(it, losses.length + 1);
        assert.equal(info.validationScores?.length, 500);
        losses.push(info.validationLoss as number);
      },
    });
    assert.equal(losses.length, 20);
    assert.ok(losses[19] < losses[0] * 0.7, `${losses[0]} → ${losses[19]}`);
  });

  it('stops the fit when the callback throws, and a later fit still works', () => {
    let calls = 0;
    assert.throws(
      () =>
        gradientBoosting({ n_estimators: 50, n_threads: 2 }).fit(X, y, 'binary', 2, {
          validation: val,
          onIteration: (it) => {
            calls++;
            if (it === 3) throw new Error('pruned');
          },
        }),
      /pruned/,
    );
    assert.equal(calls, 3);
    const m = gradientBoosting({ n_estimators: 5, n_threads: 2 }).fit(X, y, 'binary', 2);
    assert.equal(m.predict(val.X).values.length, 1000);
  });
});
