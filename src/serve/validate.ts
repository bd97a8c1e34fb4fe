// Request validation from the model's input schema: every problem of every instance is collected
// ({path, message}), unknown and missing fields included. Values are read by the data room's value layer with the
// artifact's reading rules (missing markers, time zone), so a request means what the same row meant in training;
// valid instances are normalised in place (markers to null, text to numbers and epoch ms, categories trimmed).

import { type Column, Frame, type Schema, ValueReader } from '../data/index.ts';
import type { RecordValue } from '../transform/inference.ts';
import { type FieldError, FieldErrors } from './errors.ts';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface ValidationLimits {
  maxInstances: number;
}

export type Validated =
  | {
      ok: true;
      count: number;
      /** the validated field values, normalised: numbers, booleans, epoch ms for date-times, trimmed categories, null */
      records: Record<string, RecordValue>[];
      /** the same rows as a Frame (built on first use) */
      readonly frame: Frame;
      /** the request's JSON text, where the caller sets it */
      text: string | null;
    }
  | { ok: false; errors: FieldError[] };

const DEFAULT_READER = new ValueReader();

/**
 * Accepts `{ "instances": [ {...}, ... ] }` or `{ "instance": {...} }`; `reader` carries the model's reading rules
 * (the defaults for artifacts that predate them).
 */
export function validatePredictBody(
  body: unknown,
  schema: Schema,
  limits: ValidationLimits,
  reader: ValueReader = DEFAULT_READER,
): Validated {
  if (!isPlainObject(body)) return fail('', 'the body must be a JSON object with "instances" or "instance"');
  for (const k in body) {
    if (Object.hasOwn(body, k) && k !== 'instances' && k !== 'instance')
      return fail(k, `unknown top-level field (use "instances" or "instance")`);
  }
  let records: unknown[];
  // a lone "instance" is reported as `instance.<field>`, a list as `instances[i].<field>`
  let single = false;
  if ('instances' in body && 'instance' in body)
    return fail('', 'send either "instances" or "instance", not both');
  if ('instances' in body) {
    if (!Array.isArray(body.instances)) return fail('instances', 'must be an array of objects');
    records = body.instances;
  } else if ('instance' in body) {
    records = [body.instance];
    single = true;
  } else {
    return fail('', 'the body needs "instances" (an array) or "instance" (an object)');
  }
  if (records.length === 0) return fail('instances', 'must hold at least one instance');
  if (records.length > limits.maxInstances) {
    return fail('instances', `at most ${limits.maxInstances} instances per request, got ${records.length}`);
  }
  const plan = planFor(schema);
  // paths and messages are only built when something is wrong: a valid request allocates nothing per field
  let errors: FieldError[] | null = null;
  for (let i = 0; i < records.length; i++) {
    const rec = records[i];
    if (!isPlainObject(rec)) {
      (errors ??= []).push({
        code: FieldErrors.SHAPE,
        path: instancePath(single, i),
        message: 'must be an object of field values',
      });
      continue;
    }
    let present = 0;
    for (const key in rec) {
      if (!Object.hasOwn(rec, key)) continue;
      if (plan.byName.has(key)) present++;
      else
        (errors ??= []).push(
          FORBIDDEN_KEYS.has(key)
            ? {
                code: FieldErrors.FORBIDDEN,
                path: `${instancePath(single, i)}.${key}`,
                message: 'forbidden field name',
              }
            : {
                code: FieldErrors.UNKNOWN,
                path: `${instancePath(single, i)}.${key}`,
                message: 'unknown field (not in the model schema)',
              },
        );
    }
    for (const col of plan.columns) {
      const v = rec[col.name];
      if (v === undefined) {
        if (present < plan.columns.length || !Object.hasOwn(rec, col.name)) {
          (errors ??= []).push({
            code: FieldErrors.MISSING,
            path: `${instancePath(single, i)}.${col.name}`,
            message: `required ${col.type} field is missing`,
          });
        }
        continue;
      }
      const cell = reader.requestValue(col.type, v);
      if (cell === undefined) {
        (errors ??= []).push({
          code: FieldErrors.TYPE,
          path: `${instancePath(single, i)}.${col.name}`,
          message: typeProblem(col.type, v),
        });
      } else if (cell === null) {
        if (!col.nullable) {
          (errors ??= []).push({
            code: FieldErrors.NULL,
            path: `${instancePath(single, i)}.${col.name}`,
            message: `must not be null (${col.type} field without missing values in training)`,
          });
        } else if (v !== null) rec[col.name] = null;
      } else if (cell !== v && typeof v === 'string') {
        // a category with spaces around it or a date-time's text: stored as the model's code reads it
        rec[col.name] = cell;
      }
    }
  }
  if (errors) return { ok: false, errors };
  return new ValidInput(records as Record<string, RecordValue>[], schema);
}

function instancePath(single: boolean, i: number): string {
  return single ? 'instance' : `instances[${i}]`;
}

/** Validated instances; the frame is built on first use (compiled scorers read the records directly). */
class ValidInput {
  readonly ok = true as const;
  readonly count: number;
  /** the request's JSON text, set by the server (shadow copies send it as it came) */
  text: string | null = null;
  private built: Frame | undefined;
  constructor(
    readonly records: Record<string, RecordValue>[],
    private readonly schema: Schema,
  ) {
    this.count = records.length;
  }
  get frame(): Frame {
    this.built ??= recordsToFrame(this.records, this.schema);
    return this.built;
  }
}

const plans = new WeakMap<
  Schema,
  { columns: Schema['columns']; byName: Map<string, Schema['columns'][number]> }
>();

function planFor(schema: Schema) {
  let p = plans.get(schema);
  if (!p) {
    p = { columns: schema.columns, byName: new Map(schema.columns.map((c) => [c.name, c])) };
    plans.set(schema, p);
  }
  return p;
}

function typeProblem(type: string, v: unknown): string {
  switch (type) {
    case 'numeric':
      return `must be a finite number, got ${describe(v)}`;
    case 'categorical':
      return `must be a string (a category), got ${describe(v)}`;
    case 'boolean':
      return `must be true or false, got ${describe(v)}`;
    case 'datetime':
      return `must be a date/time (ISO 8601, M/D/YYYY, D.M.YYYY, YYYY/MM/DD) or epoch milliseconds, got ${describe(v)}`;
    default:
      return `unsupported column type ${type}`;
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  const s = JSON.stringify(v);
  return `${typeof v} ${s && s.length > 40 ? `${s.slice(0, 40)}…` : s}`;
}

/** Normalised records (as validation leaves them) as a Frame with the schema's column types. */
export function recordsToFrame(records: readonly Record<string, unknown>[], schema: Schema): Frame {
  const n = records.length;
  const columns: Column[] = schema.columns.map((col): Column => {
    if (col.type === 'categorical') {
      const levels: string[] = [];
      const index = new Map<string, number>();
      const codes = new Int32Array(n);
      records.forEach((r, i) => {
        const v = r[col.name];
        if (v === null) {
          codes[i] = -1;
          return;
        }
        const s = v as string;
        let k = index.get(s);
        if (k === undefined) {
          k = levels.length;
          levels.push(s);
          index.set(s, k);
        }
        codes[i] = k;
      });
      return { name: col.name, type: 'categorical', codes, levels };
    }
    const values = new Float64Array(n);
    records.forEach((r, i) => {
      const v = r[col.name];
      if (v === null) values[i] = Number.NaN;
      else if (col.type === 'boolean') values[i] = v ? 1 : 0;
      else values[i] = v as number;
    });
    return { name: col.name, type: col.type, values };
  });
  return new Frame(columns);
}

/**
 * Records that passed the main thread's validation, normalised the same way again (a shadow worker gets the request
 * text as it came).
 */
export function normaliseRecords(
  records: Record<string, unknown>[],
  schema: Schema,
  reader: ValueReader,
): void {
  for (const rec of records) {
    for (const col of schema.columns) {
      const v = rec[col.name];
      const cell = reader.requestValue(col.type, v);
      if (cell === undefined || cell === v || typeof v !== 'string') continue;
      rec[col.name] = cell;
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(path: string, message: string): Validated {
  return { ok: false, errors: [{ code: FieldErrors.SHAPE, path, message }] };
}
