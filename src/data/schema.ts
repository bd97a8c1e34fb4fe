// Schema: the declared (or inferred) shape of a table — one entry per column, plain JSON.

import type { ColumnType, Frame } from './frame.ts';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  /** whether a value may be missing */
  nullable: boolean;
  /** a model input never missing in training that the model's pipeline fills when a request leaves it missing */
  imputed?: boolean;
  /** categories seen when the schema was inferred (informative; unseen ones are still accepted) */
  levels?: string[];
  /** personal or secret: redacted wherever values are logged (the prediction log) */
  sensitive?: boolean;
  /** personal data: what ingest does with it (drop, mask, hash with KEEL_PII_KEY, keep) */
  pii?: 'drop' | 'mask' | 'hash' | 'keep';
}

export interface Schema {
  columns: ColumnSchema[];
}

/**
 * The schema a frame has now: types as stored, nullable where any value is missing, and for categories the levels
 * its rows use, sorted — as the CSV reader reports them, so the same rows give the same schema from any source.
 */
export function schemaOf(frame: Frame): Schema {
  return {
    columns: frame.columns.map((c): ColumnSchema => {
      if (c.type === 'categorical') {
        let missing = false;
        const used = new Uint8Array(c.levels.length);
        for (let i = 0; i < c.codes.length; i++) {
          if (c.codes[i] < 0) missing = true;
          else used[c.codes[i]] = 1;
        }
        const levels = c.levels.filter((_, k) => used[k] === 1).sort();
        return { name: c.name, type: c.type, nullable: missing, levels };
      }
      let missing = false;
      for (let i = 0; i < c.values.length; i++) {
        if (Number.isNaN(c.values[i])) {
          missing = true;
          break;
        }
      }
      return { name: c.name, type: c.type, nullable: missing };
    }),
  };
}

export function schemaColumn(schema: Schema, name: string): ColumnSchema | undefined {
  return schema.columns.find((c) => c.name === name);
}

/** A schema without the named columns (e.g. the target, to get a model's input schema). */
export function schemaWithout(schema: Schema, names: readonly string[]): Schema {
  const gone = new Set(names);
  return { columns: schema.columns.filter((c) => !gone.has(c.name)) };
}
