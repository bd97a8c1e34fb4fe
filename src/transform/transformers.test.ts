// The numeric and encoding transformers against scikit-learn on shared data (fixture test/fixtures/transform-sklearn.json,
// made by scripts/fixtures/transform-inputs.ts + make_transform_fixture.py): fitted parameters and transformed rows
// within 1e-9 (power transforms, whose lambda comes from an optimiser, within a stated 1e-6), plus the behaviour
// scikit-learn has no twin for (frequency encoding, clipping, unseen categories, artifact round trips).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { isKeelError } from '../core/index.ts';
import { categoricalFrom, Frame, numericFrom } from '../data/index.ts';
import {
  applyTransform,
  binner,
  clipper,
  correlationFilter,
  dateFeatures,
  durationBetween,
  expr,
  expressions,
  featureSources,
  frequencyEncoder,
  hashEncoder,
  imputer,
  knnImputer,
  logTransform,
  maxAbsScaler,
  minMaxScaler,
  murmur3,
  oneHotEncoder,
  ordinalEncoder,
  parseExpression,
  pcaTransformer,
  polynomialFeatures,
  powerTransformer,
  robustScaler,
  standardScaler,
  type Transformer,
  targetEncoder,
  textFeatures,
  varianceThreshold,
} from './index.ts';

const fx = JSON.parse(
  fs.readFileSync(new URL('../../test/fixtures/transform-sklearn.json', import.meta.url), 'utf8'),
);
const HEAD: number = fx.head;

function frameOf(cols: Record<string, (number | string | null)[]>, names: string[]): Frame {
  return new Frame(
    names.map((n) =>
      cols[n].some((v) => typeof v === 'string')
        ? categoricalFrom(n, cols[n] as (string | null)[])
        : numericFrom(n, cols[n] as (number | null)[]),
    ),
  );
}

function close(a: number, e: number | null, what: string, tol: number): void {
  if (e === null) {
    assert.ok(Number.isNaN(a), `${what}: keel ${a}, scikit-learn missing`);
    return;
  }
  const scale = Math.max(1, Math.abs(e));
  assert.ok(Math.abs(a - e) <= tol * scale, `${what}: keel ${a} vs scikit-learn ${e}`);
}

function closeArray(a: ArrayLike<number>, e: (number | null)[], what: string, tol = 1e-9): void {
  assert.equal(a.length, e.length, `${what}: length`);
  for (let i = 0; i < e.length; i++) close(a[i], e[i], `${what}[${i}]`, tol);
}

// biome-ignore lint/suspicious/noExplicitAny: the helper hands back each kind's own fitted fields to the test
type FittedFields = any;

/** Component matrices (k × p, row-major) against scikit-learn's rows, within 1e-8. */
function closeComponents(actual: Float64Array, expected: number[][]): void {
  expected.forEach((row, k) => {
    closeArray(actual.subarray(k * row.length, (k + 1) * row.length), row, `component ${k + 1}`, 1e-8);
  });
}

/** Fits on the fixture's rows and compares the first HEAD transformed rows, column by column. */
function checkRows(
  t: Transformer,
  input: Frame,
  outColumns: string[] | null,
  expected: (number | null)[][],
  tol = 1e-9,
): FittedFields {
  const state = t.fit(input);
  const out = applyTransform(state, input.take(Int32Array.from({ length: HEAD }, (_, i) => i)));
  const names = outColumns ?? out.names;
  assert.equal(names.length, expected[0].length, `columns: ${names}`);
  names.forEach((name, j) => {
    const c = out.column(name) as { values: Float64Array };
    closeArray(
      c.values,
      expected.map((row) => row[j]),
      `${t.kind} ${name}`,
      tol,
    );
  });
  return state;
}

describe('numeric transformers vs scikit-learn (california, 2,000 rows)', () => {
  const cal = fx.input.california;
  const names = Object.keys(cal);
  const X = frameOf(cal, names);

  it('standard scaling (missing values ignored when fitting)', () => {
    const s = checkRows(standardScaler(), X, names, fx.standard.out);
    closeArray(s.mean, fx.standard.mean, 'mean');
    closeArray(s.scale, fx.standard.scale, 'scale');
  });

  it('min-max scaling, default and a custom range', () => {
    const s1 = checkRows(minMaxScaler(), X, names, fx.min_max.out);
    closeArray(s1.scale, fx.min_max.scale, 'scale');
    closeArray(s1.min, fx.min_max.min, 'min');
    checkRows(minMaxScaler({ range: [-1, 2] }), X, names, fx.min_max_range.out);
  });

  it('robust scaling (25-75 and 10-90), with missing values ignored when fitting', () => {
    const s = checkRows(robustScaler(), X, names, fx.robust.out);
    closeArray(s.center, fx.robust.center, 'center');
    closeArray(s.scale, fx.robust.scale, 'scale');
    checkRows(robustScaler({ quantileRange: [10, 90] }), X, names, fx.robust_10_90.out);
  });

  it('max-abs scaling', () => {
    checkRows(maxAbsScaler(), X, names, fx.max_abs.out);
  });

  it('Yeo-Johnson and Box-Cox: lambdas and standardised output within 1e-6 (lambda from an optimiser)', () => {
    // longitude and latitude are left out: their likelihood is flat at lambdas near -39 and -8 where every transformed
    // value is the same to 1e-14, so both libraries return numerical noise there
    const cols = names.slice(2);
    const yjOut = fx.yeo_johnson.out.map((row: (number | null)[]) => row.slice(2));
    const yj = checkRows(powerTransformer(), frameOf(cal, cols), cols, yjOut, 1e-6);
    closeArray(yj.lambdas, fx.yeo_johnson.lambdas.slice(2), 'yeo-johnson lambda', 1e-6);
    const pos = frameOf(cal, fx.box_cox.columns);
    const bc = checkRows(
      powerTransformer({ method: 'box-cox' }),
      pos,
      fx.box_cox.columns,
      fx.box_cox.out,
      1e-6,
    );
    closeArray(bc.lambdas, fx.box_cox.lambdas, 'box-cox lambda', 1e-6);
    assert.throws(
      () => powerTransformer({ method: 'box-cox' }).fit(frameOf(cal, ['longitude'])),
      (e) => isKeelError(e, 'TRANSFORM_BAD_PARAM'),
    );
  });

  it('binning by uniform widths and by quantiles: the same edges and codes', () => {
    for (const strategy of ['uniform', 'quantile'] as const) {
      const e = fx[`bins_${strategy}`];
      const Xc = frameOf(cal, e.columns);
      const s = checkRows(binner({ bins: 5, strategy }), Xc, e.columns, e.out);
      s.edges.forEach((edges: Float64Array, j: number) => {
        closeArray(edges, e.edges[j], `${strategy} edges ${e.columns[j]}`);
      });
    }
  });

  it('PCA: the same mean, components (signs included) and scores, within 1e-8', () => {
    const e = fx.pca;
    const s = checkRows(
      pcaTransformer({ nComponents: 3 }),
      frameOf(cal, e.columns),
      ['pc1', 'pc2', 'pc3'],
      e.out,
      1e-8,
    );
    closeArray(s.mean, e.mean, 'mean');
    closeComponents(s.components, e.components);
  });

  it('truncated SVD (PCA without centring): the components and scores of TruncatedSVD, within 1e-8', () => {
    const e = fx.svd;
    const s = checkRows(
      pcaTransformer({ nComponents: 3, center: false }),
      frameOf(cal, e.columns),
      ['svd1', 'svd2', 'svd3'],
      e.out,
      1e-8,
    );
    closeComponents(s.components, e.components);
  });

  it('variance threshold drops what VarianceThreshold(0.02) drops', () => {
    const e = fx.variance_threshold;
    const f = new Frame(
      (e.columns as string[]).map((name, j) =>
        numericFrom(
          name,
          (e.input as number[][]).map((r) => r[j]),
        ),
      ),
    );
    const s = varianceThreshold({ threshold: 0.02 }).fit(f) as unknown as { drop: string[] };
    assert.deepEqual(
      s.drop,
      (e.columns as string[]).filter((_, j) => !e.kept[j]),
    );
  });

  it('polynomial features: the same terms, names and values', () => {
    for (const [key, opts] of [
      ['poly', { includeBias: true }],
      ['poly_interaction', { interactionOnly: true }],
    ] as const) {
      const e = fx[key];
      const s = checkRows(
        polynomialFeatures({ degree: 2, ...opts }),
        frameOf(cal, e.columns),
        e.names,
        e.out,
      );
      assert.deepEqual(s.names, e.names);
    }
  });

  it('k-nearest-neighbour imputation: the same donors and means as KNNImputer on 295 rows with holes', () => {
    const e = fx.knn;
    const input = new Frame(
      (e.columns as string[]).map((name, j) =>
        numericFrom(
          name,
          (e.input as (number | null)[][]).map((r) => r[j]),
        ),
      ),
    );
    const out = applyTransform(knnImputer({ k: 5 }).fit(input), input);
    (e.columns as string[]).forEach((name, j) => {
      const v = (out.column(name) as { values: Float64Array }).values;
      closeArray(
        (e.rows as number[]).map((i) => v[i]),
        (e.out as number[][]).map((r) => r[j]),
        `knn ${name}`,
      );
    });
  });

  it('imputation (mean, median, most frequent, constant) with missing-value indicators', () => {
    for (const strategy of ['mean', 'median', 'most_frequent', 'constant'] as const) {
      const e = fx[`impute_${strategy}`];
      const s = checkRows(imputer({ strategy, fillValue: -1, addIndicator: true }), X, null, e.out);
      closeArray(s.numericFill, e.statistics, `${strategy} fill`);
      assert.deepEqual(s.indicators, ['total_bedrooms']);
    }
  });
});

describe('encoders vs scikit-learn (penguins)', () => {
  const pg = fx.input.penguins;
  const cats: string[] = fx.penguins_ordinal.columns;
  const P = frameOf(pg, cats);

  it('most-frequent imputation of categories', () => {
    const s = imputer({ strategy: 'most_frequent' }).fit(P);
    assert.deepEqual(s.categoricalFill, fx.penguins_most_frequent.statistics);
  });

  it('ordinal encoding: sorted categories, missing stays missing, unseen gets the unknown value', () => {
    const s = checkRows(ordinalEncoder(), P, cats, fx.penguins_ordinal.out);
    assert.deepEqual(s.categories, fx.penguins_ordinal.categories);
    const unseen = new Frame([categoricalFrom('Island', ['Biscoe', 'Atlantis', null])]);
    const out = applyTransform(ordinalEncoder({ columns: ['Island'], unknownValue: -1 }).fit(P), unseen);
    const v = (out.column('Island') as { values: Float64Array }).values;
    assert.deepEqual([v[0], v[1]], [0, -1]);
    assert.ok(Number.isNaN(v[2]));
  });
});

describe('one-hot vs OneHotEncoder(handle_unknown="ignore")', () => {
  it('the same columns in the same order with the same values', () => {
    const e = fx.one_hot;
    const P = frameOf(fx.input.penguins, e.columns);
    const out = applyTransform(oneHotEncoder().fit(P), P);
    assert.equal(out.names.length, e.names.length);
    out.names.forEach((name, k) => {
      closeArray(
        (out.column(name) as { values: Float64Array }).values,
        (e.out as number[][]).map((row) => row[k]),
        name,
      );
    });
  });
});

describe('one-hot with infrequent categories pooled, vs OneHotEncoder(min_frequency=100)', () => {
  it('the same outputs, in the same order; an unseen category goes to the pool', () => {
    const e = fx.one_hot_min_frequency;
    const P = frameOf(fx.input.penguins, e.columns);
    const s = oneHotEncoder({ minFrequency: 100 }).fit(P);
    const out = applyTransform(s, P);
    const expectedNames = (e.names as string[]).map((n) => {
      const col = (e.columns as string[]).find((c) => n.startsWith(`${c}_`)) as string;
      const level = n.slice(col.length + 1);
      return `${col}=${level === 'infrequent_sklearn' ? '(other)' : level}`;
    });
    assert.deepEqual(out.names, expectedNames);
    out.names.forEach((name, k) => {
      closeArray(
        (out.column(name) as { values: Float64Array }).values,
        (e.out as number[][]).map((row) => row[k]),
        name,
      );
    });
    const unseen = applyTransform(
      s,
      new Frame([
        categoricalFrom('Species', ['Adelie Penguin (Pygoscelis adeliae)']),
        categoricalFrom('Island', ['Atlantis']),
        categoricalFrom('Clutch Completion', ['Yes']),
      ]),
    );
    assert.deepEqual(
      unseen.names.map((n) => (unseen.column(n) as { values: Float64Array }).values[0]),
      e.unseen[0],
    );
  });
});

describe('text features vs scikit-learn (penguins comments)', () => {
  const P = frameOf(fx.input.penguins, ['Comments']);
  const all = (key: string) => fx[key].out as number[][];
  function check(state: ReturnType<Transformer['fit']>, expected: number[][], names?: string[]) {
    const out = applyTransform(state, P);
    const cols = names ?? out.names;
    assert.equal(cols.length, expected[0].length);
    cols.forEach((name, k) => {
      closeArray(
        (out.column(name) as { values: Float64Array }).values,
        expected.map((row) => row[k]),
        name,
      );
    });
  }

  it('token counts and binary counts: the same vocabulary and matrix as CountVectorizer', () => {
    const counts = textFeatures({ columns: ['Comments'], mode: 'counts' }).fit(P) as unknown as {
      vocabulary: string[][];
    };
    assert.deepEqual(counts.vocabulary[0], fx.text_counts.vocabulary);
    check(counts as never, all('text_counts'));
    check(textFeatures({ columns: ['Comments'], mode: 'binary' }).fit(P), all('text_binary'));
  });

  it('TF-IDF: smooth idf and l2 rows as TfidfVectorizer, within 1e-9', () => {
    const s = textFeatures({ columns: ['Comments'] }).fit(P) as unknown as { idf: Float64Array[] };
    closeArray(s.idf[0], fx.text_tfidf.idf, 'idf');
    check(s as never, all('text_tfidf'));
  });

  it('category hashing: the buckets and signs of FeatureHasher(n_features=8, input_type="string")', () => {
    const e = fx.hash;
    const P2 = frameOf(fx.input.penguins, e.columns);
    const out = applyTransform(hashEncoder({ nFeatures: 8 }).fit(P2), P2);
    for (const col of e.columns as string[]) {
      for (let k = 0; k < 8; k++) {
        closeArray(
          (out.column(`${col}#${k}`) as { values: Float64Array }).values,
          (e.out[col] as number[][]).map((row) => row[k]),
          `${col}#${k}`,
        );
      }
    }
  });

  it('hashing: MurmurHash3 buckets and signs as HashingVectorizer(n_features=32)', () => {
    check(
      textFeatures({ columns: ['Comments'], mode: 'hashing', nFeatures: 32 }).fit(P),
      all('text_hashing'),
    );
    assert.equal(murmur3('hello'), 613153351); // the reference value of MurmurHash3_x86_32("hello", seed 0)
  });
});

describe('transformers without a scikit-learn twin', () => {
  it('frequency encoding gives each category its training share, an unseen one 0', () => {
    const f = new Frame([categoricalFrom('c', ['a', 'b', 'a', null, 'a', 'b'])]);
    const s = frequencyEncoder().fit(f);
    const out = applyTransform(s, new Frame([categoricalFrom('c', ['a', 'b', 'z'])]));
    assert.deepEqual(Array.from((out.column('c') as { values: Float64Array }).values), [3 / 5, 2 / 5, 0]);
  });

  it('clipping to percentiles or Tukey fences', () => {
    const x = Array.from({ length: 101 }, (_, i) => i);
    x[100] = 10_000;
    const f = new Frame([numericFrom('x', x)]);
    const pct = applyTransform(clipper({ percentiles: [5, 95] }).fit(f), f);
    const v = (pct.column('x') as { values: Float64Array }).values;
    assert.equal(v[0], 5);
    assert.equal(v[100], 95);
    const fence = applyTransform(clipper({ iqrFactor: 1.5 }).fit(f), f);
    assert.equal((fence.column('x') as { values: Float64Array }).values[100], 75 + 1.5 * 50);
  });

  it('target encoding is leak-free: no training row feature depends on its own target', () => {
    const n = 200;
    const ids = Array.from({ length: n }, (_, i) => `id${i % 100}`); // two rows per category
    const y = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 13) % 2);
    const frame = new Frame([categoricalFrom('id', ids)]);
    const enc = (target: Float64Array): Float64Array => {
      const t = targetEncoder({ seed: 3 });
      assert.ok(t.fitTransform);
      const out = t.fitTransform(frame, { y: target, task: 'binary', classes: 2 }).frame;
      return (out.column('id') as { values: Float64Array }).values;
    };
    const base = enc(y);
    for (const i of [0, 17, 99, 150]) {
      const flipped = Float64Array.from(y);
      flipped[i] = 1 - flipped[i];
      assert.equal(enc(flipped)[i], base[i], `row ${i}'s encoding moved with its own target`);
    }
    // the state for new rows does use every row: the same category's encoding moves when a target flips
    const state = (t: Float64Array) =>
      (
        targetEncoder({ seed: 3 }).fit(frame, { y: t, task: 'binary', classes: 2 }) as unknown as {
          encoded: Float64Array[];
        }
      ).encoded[0];
    const flipped = Float64Array.from(y);
    flipped[0] = 1 - flipped[0];
    assert.notEqual(state(flipped)[0], state(y)[0]);
    assert.throws(
      () => targetEncoder().fit(frame),
      (e) => isKeelError(e, 'TRANSFORM_BAD_PIPELINE'),
    );
  });

  it('target encoding of several classes gives one column per class', () => {
    const frame = new Frame([categoricalFrom('c', ['a', 'b', 'a', 'c', 'b', 'a'])]);
    const y = Float64Array.from([0, 1, 2, 0, 1, 0]);
    const s = targetEncoder({ smoothing: 0, folds: 2 }).fit(frame, { y, task: 'multiclass', classes: 3 });
    const out = applyTransform(s, new Frame([categoricalFrom('c', ['a', 'zzz'])]));
    assert.deepEqual(out.names, ['c_0', 'c_1', 'c_2']);
    assert.deepEqual(Array.from((out.column('c_0') as { values: Float64Array }).values), [2 / 3, 3 / 6]);
  });

  it('date parts (UTC), cyclic encodings and durations', () => {
    const ms = [Date.UTC(2024, 0, 31, 13, 5), Date.UTC(2023, 11, 25, 0, 0), Number.NaN];
    const f = new Frame([
      { name: 'd', type: 'datetime', values: Float64Array.from(ms) },
      { name: 'e', type: 'datetime', values: Float64Array.from(ms, (v) => v + 36 * 3_600_000) },
    ]);
    const parts = applyTransform(
      dateFeatures({ columns: ['d'], parts: ['year', 'month', 'weekday', 'hour', 'dayofyear'] }).fit(f),
      f,
    );
    const col = (fr: Frame, n: string) => Array.from((fr.column(n) as { values: Float64Array }).values);
    assert.deepEqual(col(parts, 'd_year').slice(0, 2), [2024, 2023]);
    assert.deepEqual(col(parts, 'd_month').slice(0, 2), [1, 12]);
    assert.deepEqual(col(parts, 'd_weekday').slice(0, 2), [3, 1]); // a Wednesday, a Monday
    assert.deepEqual(col(parts, 'd_hour').slice(0, 2), [13, 0]);
    assert.deepEqual(col(parts, 'd_dayofyear').slice(0, 2), [31, 359]);
    assert.ok(Number.isNaN(col(parts, 'd_year')[2]), 'missing stays missing');
    const cyc = applyTransform(dateFeatures({ columns: ['d'], parts: ['month'], cyclic: true }).fit(f), f);
    assert.ok(
      Math.abs(col(cyc, 'd_month_sin')[1] - 0) < 1e-12 && Math.abs(col(cyc, 'd_month_cos')[1] - 1) < 1e-12,
    );
    const dur = applyTransform(
      durationBetween([{ start: 'd', end: 'e', name: 'gap', unit: 'hours' }]).fit(f),
      f,
    );
    assert.deepEqual(col(dur, 'gap').slice(0, 2), [36, 36]);
    assert.throws(
      () => dateFeatures({ parts: ['fortnight' as never] }),
      (e) => isKeelError(e, 'TRANSFORM_BAD_PARAM'),
    );
  });

  it('variance and correlation selectors drop constant and redundant columns, saying why', () => {
    const a = [1, 2, 3, 4, 5, 6];
    const f = new Frame([
      numericFrom('a', a),
      numericFrom('const', [7, 7, 7, null, 7, 7]),
      numericFrom(
        'twice_a',
        a.map((v) => 2 * v + 1),
      ),
      numericFrom('other', [3, 1, 4, 1, 5, 9]),
    ]);
    const v = varianceThreshold().fit(f) as unknown as { drop: string[] };
    assert.deepEqual(v.drop, ['const']);
    const c = correlationFilter({ threshold: 0.9 }).fit(f.drop(['const'])) as unknown as {
      drop: string[];
      reasons: string[];
    };
    assert.deepEqual(c.drop, ['twice_a']);
    assert.match(c.reasons[0], /"a"/);
    assert.deepEqual(applyTransform(v as never, f).names, ['a', 'twice_a', 'other']);
  });

  it('refuses a second polynomial expansion whose names would repeat columns', () => {
    const f = new Frame([numericFrom('a', [1, 2, 3]), numericFrom('b', [2, 3, 5])]);
    const once = applyTransform(polynomialFeatures().fit(f), f);
    assert.throws(
      () => polynomialFeatures().fit(once),
      (e) => isKeelError(e, 'TRANSFORM_BAD_PIPELINE'),
    );
  });

  it('expressions: arithmetic, functions and backquoted names, with coded errors for bad ones', () => {
    const f = new Frame([
      numericFrom('rooms', [6, 8, null]),
      numericFrom('house holds', [2, 4, 1]),
      categoricalFrom('kind', ['a', 'b', 'a']),
    ]);
    const s = expressions({
      per: 'rooms / `house holds`',
      curve: 'log1p(rooms) - 2 ^ 3 * -max(rooms, 7)',
    }).fit(f);
    const out = applyTransform(s, f);
    const col = (n: string) => Array.from((out.column(n) as { values: Float64Array }).values);
    assert.deepEqual(col('per').slice(0, 2), [3, 2]);
    assert.ok(Number.isNaN(col('per')[2]), 'a missing input gives a missing output');
    assert.equal(col('curve')[0], Math.log1p(6) - 8 * -7);
    assert.deepEqual(parseExpression('a + b * c'), {
      op: '+',
      left: { op: 'col', name: 'a' },
      right: { op: '*', left: { op: 'col', name: 'b' }, right: { op: 'col', name: 'c' } },
    });
    for (const [text, code] of [
      ['rooms +', 'TRANSFORM_BAD_EXPRESSION'],
      ['sqrt(rooms, 2)', 'TRANSFORM_BAD_EXPRESSION'],
      ['nope(rooms)', 'TRANSFORM_BAD_EXPRESSION'],
    ] as const) {
      assert.throws(
        () => expressions({ x: text }),
        (e) => isKeelError(e, code),
        text,
      );
    }
    assert.throws(
      () => expressions({ x: 'area * 2' }).fit(f),
      (e) => isKeelError(e, 'TRANSFORM_MISSING_COLUMN'),
    );
    assert.throws(
      () => expressions({ x: 'kind * 2' }).fit(f),
      (e) => isKeelError(e, 'TRANSFORM_NOT_NUMERIC'),
    );
  });

  it('typed expressions: the builder gives the tree the string gives, and only numeric fields compile', () => {
    interface House {
      rooms: number | null;
      'house holds': number;
      kind: string;
    }
    const e = expr<House>();
    const built = e.col('rooms').div(e.col('house holds')).add(e.num(1).log1p());
    assert.deepEqual(built.tree, parseExpression('rooms / `house holds` + log1p(1)'));
    // @ts-expect-error a categorical field cannot be named in arithmetic
    e.col('kind');
    // @ts-expect-error nor can a field that does not exist
    e.col('area');
    const f = new Frame([numericFrom('rooms', [6, 8]), numericFrom('house holds', [2, 4])]);
    const out = applyTransform(expressions({ per: built }).fit(f), f);
    assert.deepEqual(Array.from((out.column('per') as { values: Float64Array }).values), [
      3 + Math.log1p(1),
      2 + Math.log1p(1),
    ]);
  });

  it('log transform: log1p for non-negative columns, shifted for negative ones, or a given offset', () => {
    const f = new Frame([numericFrom('pos', [0, 1, 9]), numericFrom('neg', [-2, 0, 5])]);
    const out = applyTransform(logTransform().fit(f), f);
    const col = (n: string) => Array.from((out.column(n) as { values: Float64Array }).values);
    assert.deepEqual(col('pos'), [0, Math.log(2), Math.log(10)]);
    assert.deepEqual(col('neg'), [0, Math.log(3), Math.log(8)]);
    const fixed = applyTransform(logTransform({ columns: ['pos'], offset: 0.5 }).fit(f), f);
    assert.equal((fixed.column('pos') as { values: Float64Array }).values[1], Math.log(1.5));
  });

  it('traces every feature back to its input columns', () => {
    const f = new Frame([
      numericFrom('a', [1, null, 3, 4]),
      numericFrom('b', [2, 3, 5, 7]),
      categoricalFrom('c', ['x', 'y', 'x', null]),
      { name: 'd', type: 'datetime', values: Float64Array.from([0, 1e10, 2e10, 3e10]) },
    ]);
    const steps = [
      dateFeatures({ columns: ['d'], parts: ['year', 'month'], cyclic: true }),
      imputer({ addIndicator: true }),
      polynomialFeatures({ columns: ['a', 'b'], interactionOnly: true }),
      oneHotEncoder(),
    ];
    const states = [];
    let cur = f;
    for (const t of steps) {
      const st = t.fit(cur);
      states.push(st);
      cur = applyTransform(st, cur);
    }
    const sources = featureSources({
      inputSchema: { columns: f.columns.map((c) => ({ name: c.name, type: c.type, nullable: true })) },
      steps: states,
      featureNames: cur.names,
    } as never);
    assert.deepEqual(sources, {
      a: ['a'],
      b: ['b'],
      'a b': ['a', 'b'],
      'c=x': ['c'],
      'c=y': ['c'],
      d_year: ['d'],
      d_month_sin: ['d'],
      d_month_cos: ['d'],
      missingindicator_a: ['a'],
      missingindicator_c: ['c'],
    });
  });

  it('refuses a categorical column where numbers are needed, with a coded error', () => {
    const f = new Frame([categoricalFrom('c', ['a', 'b'])]);
    assert.throws(
      () => minMaxScaler({ columns: ['c'] }).fit(f),
      (e) => isKeelError(e, 'TRANSFORM_NOT_NUMERIC'),
    );
  });
});
