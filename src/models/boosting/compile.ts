// Trees compiled to JavaScript: each tree becomes nested comparisons with its thresholds and leaf values as exact
// literals, which V8 turns into straight-line branches — several times faster than walking node arrays. Scores are
// summed tree by tree in the same order as the array walker, so results are bit-identical. Only numbers taken from a
// checksummed artifact's typed arrays are written into the code.

import { KeelError } from '../../core/index.ts';
import type { FeatureArray } from '../../estimator/index.ts';
import { EstimatorErrors } from '../../estimator/index.ts';
import type { BoostingState } from './state.ts';

const TREES_PER_FUNCTION = 20;

export type CompiledTrees = (data: FeatureArray, rows: number, cols: number, out: Float64Array) => void;

function literal(x: number): string {
  if (Object.is(x, -0)) return '-0';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (!Number.isFinite(x)) throw new KeelError(EstimatorErrors.ARTIFACT_CORRUPT, 'a tree holds a NaN');
  return String(x);
}

function treeExpression(s: BoostingState, root: number, node: number): string {
  const f = s.feature[root + node];
  if (f < 0) return `(${literal(s.value[root + node])})`;
  if (!Number.isInteger(f) || f >= s.features)
    throw new KeelError(EstimatorErrors.ARTIFACT_CORRUPT, `bad feature index ${f}`);
  const l = treeExpression(s, root, s.left[root + node]);
  const r = treeExpression(s, root, s.right[root + node]);
  const test = s.missingLeft[root + node]
    ? `(v = d[b + ${f}]) <= ${literal(s.threshold[root + node])} || v !== v`
    : `d[b + ${f}] <= ${literal(s.threshold[root + node])}`;
  return `(${test} ? ${l} : ${r})`;
}

const cache = new WeakMap<BoostingState, CompiledTrees>();

export function compileTrees(s: BoostingState): CompiledTrees {
  const hit = cache.get(s);
  if (hit) return hit;
  const T = s.treesPerRound;
  const chunks: ((d: FeatureArray, b: number, o: Float64Array, ob: number) => void)[] = [];
  for (let start = 0; start < s.nTrees; start += TREES_PER_FUNCTION) {
    const lines: string[] = ['let v;'];
    for (let t = start; t < Math.min(s.nTrees, start + TREES_PER_FUNCTION); t++) {
      lines.push(`o[ob + ${t % T}] += ${treeExpression(s, s.treeOffsets[t], 0)};`);
    }
    chunks.push(
      new Function('d', 'b', 'o', 'ob', lines.join('\n')) as (
        d: FeatureArray,
        b: number,
        o: Float64Array,
        ob: number,
      ) => void,
    );
  }
  const compiled: CompiledTrees = (data, rows, cols, out) => {
    for (const chunk of chunks) {
      for (let i = 0; i < rows; i++) chunk(data, i * cols, out, i * T);
    }
  };
  cache.set(s, compiled);
  return compiled;
}
