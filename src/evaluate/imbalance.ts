// Rebalancing a training frame: random over- and under-sampling, and SMOTE (numeric features) which becomes
// SMOTE-NC when there are categorical features. Use them on training rows only: crossValidate's `resample` option
// does exactly that. New rows are appended after the originals; nothing is dropped except by under-sampling.

import { createRng, KeelError, moments, type Rng } from '../core/index.ts';
import { type Column, Frame } from '../data/index.ts';
import { EvaluateErrors } from './errors.ts';

interface ClassRows {
  /** class key (category code or number) → row indices */
  byClass: Map<number, number[]>;
  majority: number;
}

function classRows(frame: Frame, target: string): ClassRows {
  const col = frame.column(target);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < frame.nRows; i++) {
    const key = col.type === 'categorical' ? col.codes[i] : col.values[i];
    if (key === -1 && col.type === 'categorical') continue;
    if (Number.isNaN(key)) continue;
    const rows = byClass.get(key) ?? [];
    rows.push(i);
    byClass.set(key, rows);
  }
  if (byClass.size < 2)
    throw new KeelError(
      EvaluateErrors.BAD_INPUT,
      `target "${target}" needs at least two classes to rebalance`,
    );
  const majority = Math.max(...[...byClass.values()].map((r) => r.length));
  return { byClass, majority };
}

export interface SamplingOptions {
  seed?: number;
  /** each smaller class is brought up (or the larger ones down) to ratio × the other side's size (default 1) */
  ratio?: number;
}

/** Duplicates rows of the smaller classes (drawn with replacement) until each has ratio × the majority's count. */
export function randomOverSample(frame: Frame, target: string, options: SamplingOptions = {}): Frame {
  const rng = createRng(options.seed ?? 0);
  const { byClass, majority } = classRows(frame, target);
  const extra: number[] = [];
  for (const rows of byClass.values()) {
    const want = Math.floor(majority * (options.ratio ?? 1)) - rows.length;
    for (let k = 0; k < want; k++) extra.push(rows[rng.int(rows.length)]);
  }
  return frame.take(Int32Array.from([...Array.from({ length: frame.nRows }, (_, i) => i), ...extra]));
}

/** Keeps a seeded sample of each larger class: ratio⁻¹ × the minority's count at most. */
export function randomUnderSample(frame: Frame, target: string, options: SamplingOptions = {}): Frame {
  const rng = createRng(options.seed ?? 0);
  const { byClass } = classRows(frame, target);
  const minority = Math.min(...[...byClass.values()].map((r) => r.length));
  const cap = Math.ceil(minority / (options.ratio ?? 1));
  const keep: number[] = [];
  for (const rows of byClass.values()) {
    const pool = [...rows];
    for (let k = 0; k < Math.min(cap, pool.length); k++) {
      const j = k + rng.int(pool.length - k);
      [pool[k], pool[j]] = [pool[j], pool[k]];
      keep.push(pool[k]);
    }
  }
  return frame.take(Int32Array.from(keep.sort((a, b) => a - b)));
}

export interface SmoteOptions extends SamplingOptions {
  /** neighbours among the same class (default 5) */
  k?: number;
}

/**
 * SMOTE: each synthetic row lies between a minority row and one of its k nearest minority neighbours. Distances use
 * numeric features scaled by their standard deviation (missing values count as the column mean); with categorical
 * features (SMOTE-NC) a mismatch adds the median numeric standard deviation of the class, and the new row takes the
 * most frequent category among the neighbours. A value missing in both parents stays missing.
 */
export function smote(frame: Frame, target: string, options: SmoteOptions = {}): Frame {
  const rng = createRng(options.seed ?? 0);
  const k = options.k ?? 5;
  const { byClass, majority } = classRows(frame, target);
  const features = frame.columns.filter((c) => c.name !== target);
  const numeric = features.filter((c) => c.type !== 'categorical') as Extract<
    Column,
    { values: Float64Array }
  >[];
  const scale = numeric.map((c) => {
    const { mean, sd } = meanSd(c.values);
    return { mean, sd: sd > 0 ? sd : 1 };
  });
  const synthetic: Record<string, number[]> = Object.fromEntries(frame.columns.map((c) => [c.name, []]));
  for (const [cls, rows] of byClass) {
    const want = Math.floor(majority * (options.ratio ?? 1)) - rows.length;
    if (want <= 0) continue;
    if (rows.length < 2) {
      throw new KeelError(
        EvaluateErrors.BAD_INPUT,
        `SMOTE needs at least 2 rows of class ${cls} to interpolate; it has ${rows.length}`,
      );
    }
    const kk = Math.min(k, rows.length - 1);
    const z = rows.map((r) =>
      numeric.map((c, j) => (Number.isNaN(c.values[r]) ? 0 : (c.values[r] - scale[j].mean) / scale[j].sd)),
    );
    const catPenalty = numeric.length > 0 ? medianSdWithin(z) ** 2 : 1;
    const neighbours = rows.map((_, a) => nearest(a, z, rows, features, catPenalty, kk));
    for (let s = 0; s < want; s++) {
      const a = rng.int(rows.length);
      const nbrs = neighbours[a];
      const b = nbrs[rng.int(nbrs.length)];
      const gap = rng.next();
      for (const c of frame.columns) {
        const out = synthetic[c.name];
        if (c.name === target) out.push(c.type === 'categorical' ? c.codes[rows[a]] : c.values[rows[a]]);
        else if (c.type === 'categorical')
          out.push(
            vote(
              c.codes,
              nbrs.map((j) => rows[j]),
              rng,
            ),
          );
        else out.push(interpolate(c.values[rows[a]], c.values[rows[b]], gap, c.type));
      }
    }
  }
  return appendRows(frame, synthetic);
}

/** Mean and sample standard deviation, missing values ignored. */
function meanSd(v: Float64Array): { mean: number; sd: number } {
  const m = moments(v);
  if (m.count === 0) return { mean: 0, sd: 0 };
  return { mean: m.mean, sd: m.count > 1 ? Math.sqrt((m.variance * m.count) / (m.count - 1)) : 0 };
}

function medianSdWithin(z: number[][]): number {
  const p = z[0]?.length ?? 0;
  const sds: number[] = [];
  for (let j = 0; j < p; j++) sds.push(meanSd(Float64Array.from(z, (r) => r[j])).sd);
  sds.sort((a, b) => a - b);
  return sds.length ? sds[sds.length >> 1] : 1;
}

function nearest(
  a: number,
  z: number[][],
  rows: number[],
  features: Column[],
  catPenalty: number,
  k: number,
): number[] {
  const cats = features.filter((c) => c.type === 'categorical') as Extract<Column, { codes: Int32Array }>[];
  const d: [number, number][] = [];
  for (let b = 0; b < z.length; b++) {
    if (b === a) continue;
    let s = 0;
    for (let j = 0; j < z[a].length; j++) s += (z[a][j] - z[b][j]) ** 2;
    for (const c of cats) if (c.codes[rows[a]] !== c.codes[rows[b]]) s += catPenalty;
    d.push([s, b]);
  }
  d.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return d.slice(0, k).map(([, b]) => b);
}

function vote(codes: Int32Array, rows: number[], rng: Rng): number {
  const counts = new Map<number, number>();
  for (const r of rows) counts.set(codes[r], (counts.get(codes[r]) ?? 0) + 1);
  const top = Math.max(...counts.values());
  const tied = [...counts.entries()]
    .filter(([, n]) => n === top)
    .map(([c]) => c)
    .sort((x, y) => x - y);
  return tied[rng.int(tied.length)];
}

function interpolate(x: number, y: number, gap: number, type: string): number {
  if (Number.isNaN(x)) return y;
  if (Number.isNaN(y)) return x;
  const v = x + gap * (y - x);
  return type === 'boolean' ? Math.round(v) : v;
}

function appendRows(frame: Frame, extra: Record<string, number[]>): Frame {
  return new Frame(
    frame.columns.map((c): Column => {
      const add = extra[c.name];
      if (c.type === 'categorical') {
        const codes = new Int32Array(c.codes.length + add.length);
        codes.set(c.codes);
        codes.set(add, c.codes.length);
        return { name: c.name, type: 'categorical', codes, levels: c.levels };
      }
      const values = new Float64Array(c.values.length + add.length);
      values.set(c.values);
      values.set(add, c.values.length);
      return { name: c.name, type: c.type, values };
    }),
  );
}
