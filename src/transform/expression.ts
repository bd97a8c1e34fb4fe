// Derived columns from small arithmetic expressions over numeric columns: `total_rooms / households`,
// `log1p(population)`, `min(age, 60) * 2`. The expression is parsed once into a plain-data tree, checked against the
// frame's columns when fitted, and stored in the artifact, so inference evaluates exactly what training did.

import { KeelError } from '../core/index.ts';
import { type Column, Frame } from '../data/index.ts';
import { TransformErrors } from './errors.ts';
import type { Transformer, TransformState } from './types.ts';

export type Expr =
  | { op: 'num'; value: number }
  | { op: 'col'; name: string }
  | { op: 'neg'; arg: Expr }
  | { op: '+' | '-' | '*' | '/' | '^'; left: Expr; right: Expr }
  | { op: 'call'; fn: string; args: Expr[] };

const FUNCTIONS: Record<string, { arity: number; f: (...a: number[]) => number }> = {
  log: { arity: 1, f: Math.log },
  log1p: { arity: 1, f: Math.log1p },
  exp: { arity: 1, f: Math.exp },
  sqrt: { arity: 1, f: Math.sqrt },
  abs: { arity: 1, f: Math.abs },
  min: { arity: 2, f: Math.min },
  max: { arity: 2, f: Math.max },
};

function bad(text: string, why: string, at: number): never {
  throw new KeelError(TransformErrors.BAD_EXPRESSION, `expression "${text}": ${why} at position ${at + 1}`, {
    at,
  });
}

/** Parses an expression; column names are identifiers or `backquoted` (for names with spaces). */
export function parseExpression(text: string): Expr {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const primary = (): Expr => {
    ws();
    const ch = text[i];
    if (ch === '(') {
      i++;
      const e = sum();
      ws();
      if (text[i] !== ')') bad(text, 'missing ")"', i);
      i++;
      return e;
    }
    if (ch === '-') {
      i++;
      return { op: 'neg', arg: power() };
    }
    if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) bad(text, 'unclosed `', i);
      const name = text.slice(i + 1, end);
      i = end + 1;
      return { op: 'col', name };
    }
    const num = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      i += num[0].length;
      return { op: 'num', value: Number(num[0]) };
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (!id) bad(text, `unexpected ${ch === undefined ? 'end' : `"${ch}"`}`, i);
    i += id[0].length;
    ws();
    if (text[i] !== '(') return { op: 'col', name: id[0] };
    const fn = FUNCTIONS[id[0]];
    if (!fn)
      bad(text, `unknown function ${id[0]} (known: ${Object.keys(FUNCTIONS).join(', ')})`, i - id[0].length);
    i++;
    const args: Expr[] = [];
    ws();
    if (text[i] !== ')') {
      for (;;) {
        args.push(sum());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        break;
      }
    }
    if (text[i] !== ')') bad(text, 'missing ")"', i);
    i++;
    if (args.length !== fn.arity)
      bad(text, `${id[0]} takes ${fn.arity} argument(s), got ${args.length}`, i - 1);
    return { op: 'call', fn: id[0], args };
  };
  const power = (): Expr => {
    const base = primary();
    ws();
    if (text[i] === '^') {
      i++;
      return { op: '^', left: base, right: power() };
    }
    return base;
  };
  const product = (): Expr => {
    let e = power();
    for (;;) {
      ws();
      const ch = text[i];
      if (ch !== '*' && ch !== '/') return e;
      i++;
      e = { op: ch, left: e, right: power() };
    }
  };
  const sum = (): Expr => {
    let e = product();
    for (;;) {
      ws();
      const ch = text[i];
      if (ch !== '+' && ch !== '-') return e;
      i++;
      e = { op: ch, left: e, right: product() };
    }
  };
  const e = sum();
  ws();
  if (i < text.length) bad(text, `unexpected "${text[i]}"`, i);
  return e;
}

export function columnsOf(e: Expr): string[] {
  switch (e.op) {
    case 'num':
      return [];
    case 'col':
      return [e.name];
    case 'neg':
      return columnsOf(e.arg);
    case 'call':
      return [...new Set(e.args.flatMap(columnsOf))];
    default:
      return [...new Set([...columnsOf(e.left), ...columnsOf(e.right)])];
  }
}

function evaluate(e: Expr, row: number, cols: Map<string, Float64Array>): number {
  switch (e.op) {
    case 'num':
      return e.value;
    case 'col':
      return (cols.get(e.name) as Float64Array)[row];
    case 'neg':
      return -evaluate(e.arg, row, cols);
    case 'call':
      return FUNCTIONS[e.fn].f(...e.args.map((a) => evaluate(a, row, cols)));
    case '+':
      return evaluate(e.left, row, cols) + evaluate(e.right, row, cols);
    case '-':
      return evaluate(e.left, row, cols) - evaluate(e.right, row, cols);
    case '*':
      return evaluate(e.left, row, cols) * evaluate(e.right, row, cols);
    case '/':
      return evaluate(e.left, row, cols) / evaluate(e.right, row, cols);
    case '^':
      return evaluate(e.left, row, cols) ** evaluate(e.right, row, cols);
  }
}

export interface ExpressionState extends TransformState {
  kind: 'expression';
  names: string[];
  /** the parsed trees (plain JSON) */
  exprs: Expr[];
}

export const EXPRESSION_KINDS = new Set(['expression']);

export function applyExpressions(state: TransformState, frame: Frame): Frame {
  const s = state as ExpressionState;
  const added: Column[] = s.exprs.map((e, k) => {
    const cols = new Map(
      columnsOf(e).map((n) => {
        const c = frame.column(n);
        if (c.type === 'categorical')
          throw new KeelError(TransformErrors.NOT_NUMERIC, `column "${n}" is not numeric`);
        return [n, c.values];
      }),
    );
    return {
      name: s.names[k],
      type: 'numeric',
      values: Float64Array.from({ length: frame.nRows }, (_, i) => evaluate(e, i, cols)),
    };
  });
  return new Frame([...frame.columns, ...added]);
}

/** A node of an expression built in TypeScript (see `expr`); it carries the same plain-data tree a string parses to. */
export class ExprNode {
  constructor(readonly tree: Expr) {}
  private bin(op: '+' | '-' | '*' | '/' | '^', other: ExprNode | number): ExprNode {
    return new ExprNode({
      op,
      left: this.tree,
      right: typeof other === 'number' ? { op: 'num', value: other } : other.tree,
    });
  }
  add(o: ExprNode | number): ExprNode {
    return this.bin('+', o);
  }
  sub(o: ExprNode | number): ExprNode {
    return this.bin('-', o);
  }
  mul(o: ExprNode | number): ExprNode {
    return this.bin('*', o);
  }
  div(o: ExprNode | number): ExprNode {
    return this.bin('/', o);
  }
  pow(o: ExprNode | number): ExprNode {
    return this.bin('^', o);
  }
  neg(): ExprNode {
    return new ExprNode({ op: 'neg', arg: this.tree });
  }
  private call(fn: string, ...rest: ExprNode[]): ExprNode {
    return new ExprNode({ op: 'call', fn, args: [this.tree, ...rest.map((r) => r.tree)] });
  }
  log(): ExprNode {
    return this.call('log');
  }
  log1p(): ExprNode {
    return this.call('log1p');
  }
  exp(): ExprNode {
    return this.call('exp');
  }
  sqrt(): ExprNode {
    return this.call('sqrt');
  }
  abs(): ExprNode {
    return this.call('abs');
  }
  min(o: ExprNode): ExprNode {
    return this.call('min', o);
  }
  max(o: ExprNode): ExprNode {
    return this.call('max', o);
  }
}

/** The names of a row type's numeric fields. */
export type NumericKeys<Row> = { [K in keyof Row]: Row[K] extends number | null ? K : never }[keyof Row] &
  string;

/**
 * A typed expression builder over a row type (the one `keel codegen` emits, or your own): only numeric fields can be
 * named, so a typo or a categorical column is a compile error. `const e = expr<House>();
 * expressions({ per: e.col('total_rooms').div(e.col('households')) })`.
 */
export function expr<Row>(): { col(name: NumericKeys<Row>): ExprNode; num(value: number): ExprNode } {
  return {
    col: (name) => new ExprNode({ op: 'col', name }),
    num: (value) => new ExprNode({ op: 'num', value }),
  };
}

/**
 * Adds one numeric column per expression: `{ rooms_per_household: 'total_rooms / households' }`. Unknown or
 * non-numeric columns are coded errors when fitting; a missing input gives a missing output.
 */
export function expressions(defs: Record<string, string | ExprNode>): Transformer {
  const parsed = Object.entries(defs).map(([name, d]) => ({
    name,
    expr: typeof d === 'string' ? parseExpression(d) : d.tree,
  }));
  return {
    kind: 'expression',
    fit(frame: Frame): ExpressionState {
      for (const { name, expr } of parsed) {
        if (frame.has(name))
          throw new KeelError(
            TransformErrors.BAD_PIPELINE,
            `expression output "${name}" is already a column`,
          );
        for (const col of columnsOf(expr)) {
          if (!frame.has(col)) {
            throw new KeelError(
              TransformErrors.MISSING_COLUMN,
              `expression "${name}" uses "${col}", which is not a column`,
              {
                column: col,
              },
            );
          }
          if (frame.column(col).type === 'categorical') {
            throw new KeelError(
              TransformErrors.NOT_NUMERIC,
              `expression "${name}" uses "${col}", which is not numeric`,
            );
          }
        }
      }
      return { kind: 'expression', names: parsed.map((p) => p.name), exprs: parsed.map((p) => p.expr) };
    },
  };
}
