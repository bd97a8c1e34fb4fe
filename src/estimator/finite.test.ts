// The learners' input check names the cell and tells a missing value (impute) from an infinite one (an overflow).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isKeelError } from '../core/index.ts';
import { requireFinite } from './index.ts';

describe('requireFinite', () => {
  it('passes finite data and names the row, the feature and the kind of problem otherwise', () => {
    requireFinite([1, 2, 3, 4], 2, 'test models');
    assert.throws(
      () => requireFinite([1, 2, Number.NaN, 4], 2, 'test models'),
      (e) =>
        isKeelError(e, 'ESTIMATOR_BAD_INPUT') && /row 1, feature 0 is missing: impute first/.test(e.message),
    );
    assert.throws(
      () => requireFinite([1, 2, 3, Number.POSITIVE_INFINITY], 2, 'test models'),
      (e) =>
        isKeelError(e, 'ESTIMATOR_BAD_INPUT') &&
        /row 1, feature 1 is Infinity: an overflow upstream/.test(e.message),
    );
  });
});
