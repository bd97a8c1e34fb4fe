// The input check every learner needs: complete, finite numbers. The error says which row and feature, and whether
// the value is missing (impute) or infinite (an overflow upstream: scale or clip).

import { KeelError } from '../core/index.ts';
import { EstimatorErrors } from './errors.ts';

export function requireFinite(data: ArrayLike<number>, cols: number, who: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isFinite(v)) continue;
    const where = `row ${Math.floor(i / cols)}, feature ${i % cols}`;
    const advice = Number.isNaN(v)
      ? 'is missing: impute first'
      : `is ${v}: an overflow upstream (scale or clip the column before this step)`;
    throw new KeelError(
      EstimatorErrors.BAD_INPUT,
      `${who} need complete, finite numeric input; ${where} ${advice}`,
      {
        row: Math.floor(i / cols),
        feature: i % cols,
      },
    );
  }
}
