// checkFrame: a frame against its DatasetSchema. Rows breaking a column rule (missing where not nullable, out of
// range, not allowed, not matching the pattern, a repeated key) are quarantined with the rule's code; expectations
// are evaluated on what is left; the job fails when a "fail" expectation breaks or the bad-row rate passes its limit.

import { DataErrors, type QuarantinedRow } from '../errors.ts';
import type { Column, Frame } from '../frame.ts';
import { distinctRows } from '../sources/source.ts';
import { type ExpectationResult, evaluateExpectation } from './expectations.ts';
import type { ColumnRules, DatasetSchema } from './rules.ts';

export interface CheckOptions {
  /** where the rows came from, for quarantine entries */
  source?: string;
  /** the source line of each row (else row number + 1) */
  lines?: ArrayLike<number>;
  /** what reading already quarantined, and how many records it read (so totals cover the whole job) */
  readQuarantine?: QuarantinedRow[];
  read?: number;
  /** the job fails above this share of quarantined rows (default 0.01) */
  maxBadRowRate?: number;
  now?: number;
}

export interface CheckResult {
  frame: Frame;
  quarantine: QuarantinedRow[];
  rows: { read: number; accepted: number; quarantined: number };
  badRowRate: number;
  maxBadRowRate: number;
  expectations: ExpectationResult[];
  /** problems with the table as a whole (a declared column missing, a type that differs) */
  structure: string[];
  passed: boolean;
  failures: string[];
  warnings: string[];
}

function timeBound(v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  return typeof v === 'number' ? v : Date.parse(v);
}

function display(c: Column, i: number): string {
  if (c.type === 'categorical') return c.codes[i] < 0 ? '' : c.levels[c.codes[i]];
  const v = c.values[i];
  if (Number.isNaN(v)) return '';
  return c.type === 'datetime' ? new Date(v).toISOString() : String(v);
}

export function checkFrame(frame: Frame, schema: DatasetSchema, o: CheckOptions = {}): CheckResult {
  const source = o.source ?? 'frame';
  const lineOf = (i: number) => (o.lines ? o.lines[i] : i + 1);
  const n = frame.nRows;
  const bad = new Uint8Array(n);
  const found: QuarantinedRow[] = [];
  const structure: string[] = [];
  const flag = (i: number, rule: ColumnRules, code: string, reason: string) => {
    bad[i] = 1;
    found.push({
      source,
      line: lineOf(i),
      column: rule.name,
      code,
      reason,
      raw: display(frame.column(rule.name), i),
    });
  };

  for (const rule of schema.columns) {
    if (!frame.has(rule.name)) {
      structure.push(`column "${rule.name}" is declared but not in the data`);
      continue;
    }
    const c = frame.column(rule.name);
    if (c.type !== rule.type) {
      structure.push(`column "${rule.name}" is ${c.type}, declared ${rule.type}`);
      continue;
    }
    if (c.type === 'categorical') {
      const allowed = rule.allowed ? new Set(rule.allowed) : undefined;
      const re = rule.pattern ? new RegExp(`^(?:${rule.pattern})$`) : undefined;
      // judge each level once, then rows by their code
      const verdict = c.levels.map((lv) => {
        if (allowed && !allowed.has(lv)) return DataErrors.NOT_ALLOWED;
        if (re && !re.test(lv)) return DataErrors.PATTERN;
        return '';
      });
      for (let i = 0; i < n; i++) {
        const k = c.codes[i];
        if (k < 0) {
          if (!rule.nullable)
            flag(i, rule, DataErrors.NULL_NOT_ALLOWED, 'missing, but the column is not nullable');
        } else if (verdict[k] === DataErrors.NOT_ALLOWED)
          flag(i, rule, verdict[k], 'not one of the allowed values');
        else if (verdict[k] === DataErrors.PATTERN)
          flag(i, rule, verdict[k], `does not match /${rule.pattern}/`);
      }
    } else {
      const min = c.type === 'datetime' ? timeBound(rule.min) : (rule.min as number | undefined);
      const max = c.type === 'datetime' ? timeBound(rule.max) : (rule.max as number | undefined);
      for (let i = 0; i < n; i++) {
        const v = c.values[i];
        if (Number.isNaN(v)) {
          if (!rule.nullable)
            flag(i, rule, DataErrors.NULL_NOT_ALLOWED, 'missing, but the column is not nullable');
        } else if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
          flag(i, rule, DataErrors.OUT_OF_RANGE, `outside [${rule.min ?? '-∞'}, ${rule.max ?? '∞'}]`);
        } else if (rule.integer && !Number.isInteger(v))
          flag(i, rule, DataErrors.OUT_OF_RANGE, 'not a whole number');
      }
    }
  }

  // keys: the first row with a key is kept, later ones are quarantined (rows already bad take no part)
  const keySets = [
    ...schema.columns.filter((r) => r.unique && frame.has(r.name)).map((r) => [r.name]),
    ...(schema.keys ?? []),
  ];
  for (const key of keySets) {
    if (key.some((k) => !frame.has(k))) continue;
    const cols = key.map((k) => frame.column(k));
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      if (bad[i]) continue;
      const id = cols.map((c) => display(c, i)).join('\u0000');
      const first = seen.get(id);
      if (first === undefined) seen.set(id, i);
      else {
        bad[i] = 1;
        found.push({
          source,
          line: lineOf(i),
          column: key.join(','),
          code: DataErrors.DUPLICATE_KEY,
          reason: `same ${key.join(', ')} as line ${lineOf(first)}`,
          raw: id.split('\u0000').join(','),
        });
      }
    }
  }

  const keepIdx: number[] = [];
  for (let i = 0; i < n; i++) if (!bad[i]) keepIdx.push(i);
  const accepted = keepIdx.length === n ? frame : frame.take(keepIdx);
  const quarantine = [...(o.readQuarantine ?? []), ...found].sort((a, b) => a.line - b.line);
  const read = (o.read ?? n + distinctRows(o.readQuarantine ?? [])) as number;
  const quarantined = distinctRows(quarantine);
  const maxBadRowRate = o.maxBadRowRate ?? 0.01;
  const badRowRate = read === 0 ? 0 : quarantined / read;
  const expectations = (schema.expectations ?? []).map((e) => evaluateExpectation(accepted, e, o.now));
  const failures = [
    ...structure,
    ...expectations
      .filter((e) => !e.passed && e.severity === 'fail')
      .map((e) => `${e.name}: ${e.observed} (expected ${e.expected})`),
  ];
  if (badRowRate > maxBadRowRate) {
    failures.push(
      `${quarantined} of ${read} rows quarantined (${(100 * badRowRate).toFixed(2)}%), above the limit of ${100 * maxBadRowRate}%`,
    );
  }
  const warnings = expectations
    .filter((e) => !e.passed && e.severity === 'warn')
    .map((e) => `${e.name}: ${e.observed} (expected ${e.expected})`);
  return {
    frame: accepted,
    quarantine,
    rows: { read, accepted: accepted.nRows, quarantined },
    badRowRate,
    maxBadRowRate,
    expectations,
    structure,
    passed: failures.length === 0,
    failures,
    warnings,
  };
}
