// Expectations beyond the schema, as plain JSON with a severity: row counts, missing rates, distribution bounds,
// cross-column rules and freshness. Each result says what was observed, so a failure explains itself.

import { KeelError, moments, quantileSorted, sortedFinite } from '../../core/index.ts';
import { DataErrors } from '../errors.ts';
import type { Frame } from '../frame.ts';

export type Severity = 'warn' | 'fail';
export type CompareOp = '<' | '<=' | '==' | '!=' | '>=' | '>';

export type Expectation = { severity?: Severity; name?: string } & (
  | { kind: 'row_count'; min?: number; max?: number }
  | { kind: 'missing_rate'; column: string; max: number }
  /** the mean, or a quantile (0..1), of a numeric column between bounds */
  | { kind: 'mean_between'; column: string; min?: number; max?: number }
  | { kind: 'quantile_between'; column: string; q: number; min?: number; max?: number }
  /** share of rows with one category */
  | { kind: 'category_share'; column: string; value: string; min?: number; max?: number }
  /** a rule every row must keep: left op right (a column, or a constant); rows with a missing side are skipped */
  | {
      kind: 'compare';
      left: string;
      op: CompareOp;
      right: string | { value: number };
      maxViolations?: number;
    }
  /** the newest time in a datetime column is at most maxAgeMs old (relative to `now`, default the clock) */
  | { kind: 'freshness'; column: string; maxAgeMs: number }
);

export interface ExpectationResult {
  name: string;
  kind: Expectation['kind'];
  severity: Severity;
  passed: boolean;
  observed: number | null;
  /** what was expected, in words */
  expected: string;
  /** for row rules: the first offending rows (0-based frame rows) */
  rows?: number[];
  violations?: number;
}

function numbers(frame: Frame, name: string): Float64Array {
  const c = frame.column(name);
  if (c.type === 'categorical') {
    throw new KeelError(
      DataErrors.SOURCE_CONFIG,
      `expectation on "${name}" needs a numeric or datetime column`,
    );
  }
  return c.values;
}

function bounds(x: number | null, min?: number, max?: number): boolean {
  if (x === null || Number.isNaN(x)) return false;
  return (min === undefined || x >= min) && (max === undefined || x <= max);
}

function between(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `between ${min} and ${max}`;
  if (min !== undefined) return `at least ${min}`;
  return `at most ${max}`;
}

const OPS: Record<CompareOp, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '>=': (a, b) => a >= b,
  '>': (a, b) => a > b,
};

function columnsOf(e: Expectation): string[] {
  if (e.kind === 'row_count') return [];
  if (e.kind === 'compare') return typeof e.right === 'string' ? [e.left, e.right] : [e.left];
  return [e.column];
}

export function evaluateExpectation(frame: Frame, e: Expectation, now = Date.now()): ExpectationResult {
  const severity = e.severity ?? 'fail';
  const absent = columnsOf(e).filter((c) => !frame.has(c));
  if (absent.length > 0) {
    return {
      kind: e.kind,
      severity,
      name: e.name ?? `${e.kind} on ${columnsOf(e).join(', ')}`,
      passed: false,
      observed: null,
      expected: `column${absent.length > 1 ? 's' : ''} ${absent.join(', ')} present`,
    };
  }
  const base = { kind: e.kind, severity };
  switch (e.kind) {
    case 'row_count': {
      const n = frame.nRows;
      return {
        ...base,
        name: e.name ?? 'row count',
        passed: bounds(n, e.min, e.max),
        observed: n,
        expected: between(e.min, e.max),
      };
    }
    case 'missing_rate': {
      const c = frame.column(e.column);
      let miss = 0;
      if (c.type === 'categorical') for (const k of c.codes) miss += k < 0 ? 1 : 0;
      else for (const v of c.values) miss += Number.isNaN(v) ? 1 : 0;
      const rate = frame.nRows === 0 ? 0 : miss / frame.nRows;
      return {
        ...base,
        name: e.name ?? `missing rate of ${e.column}`,
        passed: rate <= e.max,
        observed: rate,
        expected: `at most ${e.max}`,
      };
    }
    case 'mean_between': {
      const m = moments(numbers(frame, e.column));
      const mean = m.count === 0 ? null : m.mean;
      return {
        ...base,
        name: e.name ?? `mean of ${e.column}`,
        passed: bounds(mean, e.min, e.max),
        observed: mean,
        expected: between(e.min, e.max),
      };
    }
    case 'quantile_between': {
      const s = sortedFinite(numbers(frame, e.column));
      const q = s.length === 0 ? null : quantileSorted(s, e.q);
      return {
        ...base,
        name: e.name ?? `p${e.q * 100} of ${e.column}`,
        passed: bounds(q, e.min, e.max),
        observed: q,
        expected: between(e.min, e.max),
      };
    }
    case 'category_share': {
      const c = frame.column(e.column);
      if (c.type !== 'categorical')
        throw new KeelError(
          DataErrors.SOURCE_CONFIG,
          `category_share needs a categorical column, "${e.column}" is ${c.type}`,
        );
      const k = c.levels.indexOf(e.value);
      let hits = 0;
      for (const x of c.codes) if (x === k && k >= 0) hits++;
      const share = frame.nRows === 0 ? 0 : hits / frame.nRows;
      return {
        ...base,
        name: e.name ?? `share of ${e.column} = ${e.value}`,
        passed: bounds(share, e.min, e.max),
        observed: share,
        expected: between(e.min, e.max),
      };
    }
    case 'compare': {
      const left = numbers(frame, e.left);
      const right = typeof e.right === 'string' ? numbers(frame, e.right) : undefined;
      const constant = typeof e.right === 'string' ? 0 : e.right.value;
      const op = OPS[e.op];
      const rows: number[] = [];
      let violations = 0;
      for (let i = 0; i < frame.nRows; i++) {
        const a = left[i];
        const b = right ? right[i] : constant;
        if (Number.isNaN(a) || Number.isNaN(b)) continue;
        if (!op(a, b)) {
          violations++;
          if (rows.length < 20) rows.push(i);
        }
      }
      const rhs = typeof e.right === 'string' ? e.right : String(e.right.value);
      const allowed = e.maxViolations ?? 0;
      return {
        ...base,
        name: e.name ?? `${e.left} ${e.op} ${rhs}`,
        passed: violations <= allowed,
        observed: violations,
        expected: `at most ${allowed} rows breaking it`,
        rows,
        violations,
      };
    }
    case 'freshness': {
      const m = moments(numbers(frame, e.column));
      const age = m.count === 0 ? null : now - m.max;
      return {
        ...base,
        name: e.name ?? `freshness of ${e.column}`,
        passed: age !== null && age <= e.maxAgeMs,
        observed: age,
        expected: `newest value at most ${e.maxAgeMs} ms old`,
      };
    }
  }
}
