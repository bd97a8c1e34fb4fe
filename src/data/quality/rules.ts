// A dataset schema declared once in TypeScript (types, nullability, ranges, allowed categories, patterns,
// uniqueness) or inferred and saved: plain JSON that is also a Schema, and that gives the row type `RowOf<S>`.

import type { ColumnType, Frame } from '../frame.ts';
import type { ColumnSchema, Schema } from '../schema.ts';
import type { Expectation } from './expectations.ts';

export interface ColumnRules extends ColumnSchema {
  /** numbers: inclusive bounds; datetimes: ISO strings or epoch ms */
  min?: number | string;
  max?: number | string;
  /** numbers: whole numbers only */
  integer?: boolean;
  /** categories: the only values allowed */
  allowed?: readonly string[];
  /** categories: a regular expression every value must match (whole value) */
  pattern?: string;
  /** no two rows share a value */
  unique?: boolean;
}

export interface DatasetSchema extends Schema {
  columns: ColumnRules[];
  /** column sets that together identify a row */
  keys?: string[][];
  expectations?: Expectation[];
}

// ---- the TypeScript declaration ------------------------------------------------------------------------------------

type Rule<T extends ColumnType, V, N extends boolean> = Omit<ColumnRules, 'name'> & {
  type: T;
  nullable: N;
  /** phantom: the TypeScript type of a value */
  readonly __value?: V;
};

interface Base<N extends boolean> {
  nullable?: N;
  unique?: boolean;
  sensitive?: boolean;
  /** personal data: drop, mask or hash (KEEL_PII_KEY) it at ingest, or keep it */
  pii?: 'drop' | 'mask' | 'hash' | 'keep';
}

export const col = {
  number<N extends boolean = false>(
    o: Base<N> & { min?: number; max?: number; integer?: boolean } = {},
  ): Rule<'numeric', number, N> {
    return { ...o, type: 'numeric', nullable: (o.nullable ?? false) as N };
  },
  category<const V extends string = string, N extends boolean = false>(
    o: Base<N> & { allowed?: readonly V[]; pattern?: string } = {},
  ): Rule<'categorical', V, N> {
    return { ...o, type: 'categorical', nullable: (o.nullable ?? false) as N };
  },
  boolean<N extends boolean = false>(o: Base<N> = {}): Rule<'boolean', boolean, N> {
    return { ...o, type: 'boolean', nullable: (o.nullable ?? false) as N };
  },
  datetime<N extends boolean = false>(
    o: Base<N> & { min?: string | number; max?: string | number } = {},
  ): Rule<'datetime', string, N> {
    return { ...o, type: 'datetime', nullable: (o.nullable ?? false) as N };
  },
};

type AnyRule = Rule<ColumnType, unknown, boolean>;

/** The row type a declared schema describes: `RowOf<typeof schema>`. */
export type RowOf<S> =
  S extends DeclaredSchema<infer C>
    ? {
        [K in keyof C]: C[K] extends Rule<ColumnType, infer V, infer N>
          ? N extends true
            ? V | null
            : V
          : never;
      }
    : never;

export interface DeclaredSchema<C extends Record<string, AnyRule>> extends DatasetSchema {
  /** phantom: the declaration, for RowOf */
  readonly __columns?: C;
}

export function defineSchema<const C extends Record<string, AnyRule>>(
  columns: C,
  o: { keys?: (keyof C & string)[][]; expectations?: Expectation[] } = {},
): DeclaredSchema<C> {
  return {
    columns: Object.entries(columns).map(([name, r]) => {
      const { __value: _, ...rest } = r;
      return { name, ...rest } as ColumnRules;
    }),
    ...(o.keys ? { keys: o.keys } : {}),
    ...(o.expectations ? { expectations: o.expectations } : {}),
  };
}

// ---- inference -----------------------------------------------------------------------------------------------------

export interface InferOptions {
  /** categorical columns with at most this many levels get an allowed list (default 50) */
  maxAllowed?: number;
}

/** A schema from data: types, nullability, allowed categories for low-cardinality columns, unique columns. */
export function inferDatasetSchema(frame: Frame, o: InferOptions = {}): DatasetSchema {
  const maxAllowed = o.maxAllowed ?? 50;
  return {
    columns: frame.columns.map((c): ColumnRules => {
      if (c.type === 'categorical') {
        const used = new Set<number>();
        let missing = false;
        for (let i = 0; i < c.codes.length; i++) {
          if (c.codes[i] < 0) missing = true;
          else used.add(c.codes[i]);
        }
        const levels = [...used].map((k) => c.levels[k]).sort();
        const rules: ColumnRules = { name: c.name, type: 'categorical', nullable: missing };
        if (levels.length <= maxAllowed) rules.allowed = levels;
        if (!missing && used.size === c.codes.length && c.codes.length > maxAllowed) rules.unique = true;
        return rules;
      }
      let missing = false;
      let integer = c.type === 'numeric';
      let present = 0;
      for (let i = 0; i < c.values.length; i++) {
        const v = c.values[i];
        if (Number.isNaN(v)) missing = true;
        else {
          present++;
          if (integer && !Number.isInteger(v)) integer = false;
        }
      }
      // only whole-number columns can be keys; distinct values are counted for those alone
      const seen = new Set<number>();
      if (integer && !missing) for (let i = 0; i < c.values.length; i++) seen.add(c.values[i]);
      const rules: ColumnRules = { name: c.name, type: c.type, nullable: missing };
      if (integer && present > 0) rules.integer = true;
      if (
        c.type === 'numeric' &&
        integer &&
        !missing &&
        seen.size === c.values.length &&
        c.values.length > maxAllowed
      )
        rules.unique = true;
      return rules;
    }),
  };
}
