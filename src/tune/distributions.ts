// Search-space distributions. Every value is also kept as one internal number: the float or integer itself, or the
// index of a categorical choice, which is what samplers work with.

import { KeelError } from '../core/index.ts';
import { TuneErrors } from './errors.ts';

export type Choice = string | number | boolean | null;

export interface FloatDistribution {
  type: 'float';
  low: number;
  high: number;
  log: boolean;
  /** a grid step (not with log) */
  step?: number;
}

export interface IntDistribution {
  type: 'int';
  low: number;
  high: number;
  log: boolean;
  step: number;
}

export interface CategoricalDistribution {
  type: 'categorical';
  choices: Choice[];
}

export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;
export type ParamValue = Choice;

function bad(name: string, why: string): never {
  throw new KeelError(TuneErrors.BAD_DISTRIBUTION, `param "${name}": ${why}`, { param: name });
}

/** Throws a coded error naming the param when the distribution cannot be sampled. */
export function checkDistribution(name: string, d: Distribution): void {
  if (d.type === 'categorical') {
    if (!Array.isArray(d.choices) || d.choices.length === 0) bad(name, 'needs at least one choice');
    for (const c of d.choices) {
      if (c !== null && !['string', 'number', 'boolean'].includes(typeof c)) {
        bad(name, 'choices must be strings, numbers, booleans or null');
      }
    }
    return;
  }
  if (!Number.isFinite(d.low) || !Number.isFinite(d.high)) bad(name, 'low and high must be finite');
  if (d.low > d.high) bad(name, `low ${d.low} is above high ${d.high}`);
  if (d.log && d.low <= 0) bad(name, `a log scale needs low > 0, got ${d.low}`);
  if (d.type === 'int' && (!Number.isInteger(d.low) || !Number.isInteger(d.high))) {
    bad(name, 'int bounds must be integers');
  }
  if (d.step !== undefined) {
    if (!(d.step > 0)) bad(name, `step must be positive, got ${d.step}`);
    if (d.log && (d.type === 'float' || d.step !== 1)) bad(name, 'step and log cannot be combined');
    if (d.type === 'int' && !Number.isInteger(d.step)) bad(name, 'an int step must be an integer');
  }
}

/** Two distributions are the same search dimension (same type, bounds, scale, step and choices). */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'categorical' || b.type === 'categorical') {
    const ca = (a as CategoricalDistribution).choices;
    const cb = (b as CategoricalDistribution).choices;
    return ca.length === cb.length && ca.every((c, i) => c === cb[i]);
  }
  return a.low === b.low && a.high === b.high && a.log === b.log && (a.step ?? 0) === (b.step ?? 0);
}

/** Rounds an internal number onto the distribution's grid and clamps it into its bounds. */
export function snap(d: Distribution, x: number): number {
  if (d.type === 'categorical') return Math.min(Math.max(Math.round(x), 0), d.choices.length - 1);
  let v = x;
  if (d.step !== undefined) v = d.low + Math.round((v - d.low) / d.step) * d.step;
  else if (d.type === 'int') v = Math.round(v);
  const top = d.step !== undefined ? d.low + Math.floor((d.high - d.low) / d.step + 1e-9) * d.step : d.high;
  v = Math.min(Math.max(v, d.low), top);
  // grid arithmetic can leave 0.30000000000000004; keep the decimals the step has
  if (d.step !== undefined && d.type === 'float') v = Number.parseFloat(v.toPrecision(12));
  return v;
}

export function toExternal(d: Distribution, internal: number): ParamValue {
  return d.type === 'categorical' ? d.choices[internal] : internal;
}

export function toInternal(name: string, d: Distribution, value: ParamValue): number {
  if (d.type === 'categorical') {
    const i = d.choices.indexOf(value);
    if (i < 0) bad(name, `${JSON.stringify(value)} is not one of the choices`);
    return i;
  }
  if (typeof value !== 'number' || value < d.low || value > d.high) {
    bad(name, `${JSON.stringify(value)} is outside [${d.low}, ${d.high}]`);
  }
  return value;
}

/** The number of grid points, or Infinity for a continuous float. */
export function cardinality(d: Distribution): number {
  if (d.type === 'categorical') return d.choices.length;
  if (d.type === 'int') return Math.floor((d.high - d.low) / d.step) + 1;
  return d.step !== undefined ? Math.floor((d.high - d.low) / d.step + 1e-9) + 1 : Number.POSITIVE_INFINITY;
}
