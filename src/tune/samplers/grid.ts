// Grid search over a declared grid: trial k takes the k-th combination (params in declaration order, the last one
// changing fastest); after the last cell it starts over from the first.

import { KeelError } from '../../core/index.ts';
import { type Distribution, type ParamValue, toInternal } from '../distributions.ts';
import { TuneErrors } from '../errors.ts';
import type { FrozenTrial, Sampler, StudyView } from '../types.ts';

export function gridSampler(grid: Record<string, readonly ParamValue[]>): Sampler & { size: number } {
  const names = Object.keys(grid);
  for (const n of names) {
    if (!Array.isArray(grid[n]) || grid[n].length === 0) {
      throw new KeelError(TuneErrors.BAD_OPTION, `grid param "${n}" needs at least one value`, { param: n });
    }
  }
  const size = names.reduce((s, n) => s * grid[n].length, 1);
  return {
    name: 'grid',
    size,
    sample(_study: StudyView, trial: FrozenTrial, name: string, dist: Distribution): number {
      const values = grid[name];
      if (!values) {
        throw new KeelError(
          TuneErrors.BAD_OPTION,
          `param "${name}" is not in the grid (${names.join(', ')})`,
          {
            param: name,
          },
        );
      }
      let cell = trial.number % size;
      let index = 0;
      for (let k = names.length - 1; k >= 0; k--) {
        const len = grid[names[k]].length;
        if (names[k] === name) {
          index = cell % len;
          break;
        }
        cell = Math.floor(cell / len);
      }
      return toInternal(name, dist, values[index]);
    },
  };
}
