// The evaluate room's error catalog.

import { codesOf, type ErrorEntry } from '../core/index.ts';

export const EVALUATE_CATALOG = {
  BAD_INPUT: {
    code: 'EVALUATE_BAD_INPUT',
    status: 400,
    meaning: 'labels, scores or weights of mismatched lengths or impossible values',
  },
  BAD_SPLIT: {
    code: 'EVALUATE_BAD_SPLIT',
    status: 400,
    meaning:
      'a split or cross-validation that cannot be made (too few rows or members of a class, bad fractions)',
  },
  UNDEFINED: {
    code: 'EVALUATE_UNDEFINED',
    status: 422,
    meaning:
      'a metric or curve undefined for these labels (ROC-AUC with one class, precision without positives)',
  },
} as const satisfies Record<string, ErrorEntry>;

export const EvaluateErrors = codesOf(EVALUATE_CATALOG);
