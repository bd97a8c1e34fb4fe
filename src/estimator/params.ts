// Param specs: each learner declares its params once; values are checked and defaulted in one place.

import { KeelError } from '../core/index.ts';
import { EstimatorErrors } from './errors.ts';

export type ParamSpec =
  | { type: 'number'; default: number; min?: number; max?: number; exclusiveMin?: boolean; integer?: boolean }
  | { type: 'enum'; default: string; values: readonly string[] }
  | { type: 'boolean'; default: boolean }
  /** a list of positive integers, written "64,32" (numbers and arrays are accepted too) */
  | { type: 'intList'; default: string; min?: number; maxLength?: number };

export type ParamSpecs = Record<string, ParamSpec>;

/** The value type a spec declares: numbers, the enum's own values, booleans, or the list's text ("64,32"). */
export type ParamValueOf<P extends ParamSpec> = P extends { type: 'number' }
  ? number
  : P extends { type: 'boolean' }
    ? boolean
    : P extends { type: 'enum'; values: readonly (infer V)[] }
      ? V
      : string;

/** A learner's params as its spec declares them, so they are typed once, from the spec. */
export type ParamsOf<S extends ParamSpecs> = { -readonly [K in keyof S]: ParamValueOf<S[K]> };

/** Defaults filled in, unknown keys and bad values refused with a coded error naming the param. */
export function resolveParams<S extends ParamSpecs>(
  learner: string,
  specs: S,
  given: Record<string, unknown> = {},
): ParamsOf<S> {
  for (const key of Object.keys(given)) {
    if (!(key in specs)) {
      throw new KeelError(
        EstimatorErrors.BAD_PARAM,
        `${learner}: unknown param "${key}" (known: ${Object.keys(specs).join(', ')})`,
        { param: key },
      );
    }
  }
  const out: Record<string, number | string | boolean> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const raw = given[key];
    if (raw === undefined) {
      out[key] = spec.default;
      continue;
    }
    const bad = (why: string): never => {
      throw new KeelError(
        EstimatorErrors.BAD_PARAM,
        `${learner}: param "${key}" ${why}, got ${JSON.stringify(raw)}`,
        {
          param: key,
          value: raw,
        },
      );
    };
    if (spec.type === 'number') {
      const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof v !== 'number' || !Number.isFinite(v)) bad('must be a finite number');
      const n = v as number;
      if (spec.integer && !Number.isInteger(n)) bad('must be an integer');
      if (spec.min !== undefined && (spec.exclusiveMin ? n <= spec.min : n < spec.min)) {
        bad(`must be ${spec.exclusiveMin ? '>' : '>='} ${spec.min}`);
      }
      if (spec.max !== undefined && n > spec.max) bad(`must be <= ${spec.max}`);
      out[key] = n;
    } else if (spec.type === 'enum') {
      if (typeof raw !== 'string' || !spec.values.includes(raw))
        bad(`must be one of ${spec.values.join(', ')}`);
      out[key] = raw as string;
    } else if (spec.type === 'intList') {
      const parts = Array.isArray(raw)
        ? raw.map(String)
        : typeof raw === 'number'
          ? [String(raw)]
          : typeof raw === 'string'
            ? raw.split(',')
            : null;
      const nums = parts?.map((x) => Number(x.trim()));
      if (!nums || nums.length === 0 || nums.some((x) => !Number.isInteger(x) || x < (spec.min ?? 1))) {
        bad(`must be a comma-separated list of integers >= ${spec.min ?? 1}`);
      }
      if (spec.maxLength !== undefined && (nums as number[]).length > spec.maxLength)
        bad(`may list at most ${spec.maxLength} values`);
      out[key] = (nums as number[]).join(',');
    } else {
      const v = raw === 'true' ? true : raw === 'false' ? false : raw;
      if (typeof v !== 'boolean') bad('must be true or false');
      out[key] = v as boolean;
    }
  }
  return out as ParamsOf<S>;
}
