// The run filter language: `metrics.roc_auc > 0.9 and params.model = 'boosting'`, with and / or / not, parentheses,
// = != < <= > >= and `~` (SQL LIKE). Compiled to a parameterised SQL condition over runs r; values never touch SQL text.

import { KeelError } from '../core/index.ts';
import { TrackErrors } from './errors.ts';

type Tok = { t: 'id' | 'num' | 'str' | 'op' | 'lp' | 'rp' | 'kw'; v: string; at: number };

const RUN_FIELDS: Record<string, string> = {
  id: 'r.id',
  name: 'r.name',
  status: 'r.status',
  experiment: 'r.experiment',
  parent_id: 'r.parent_id',
  started_at: 'r.started_at',
  ended_at: 'r.ended_at',
  host: 'r.host',
};
const OPS: Record<string, string> = {
  '=': '=',
  '==': '=',
  '!=': '<>',
  '<>': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '~': 'LIKE',
};

function fail(msg: string, at: number, src: string): never {
  const shown = src.length > 200 ? `${src.slice(0, 200)}… (${src.length} characters)` : src;
  throw new KeelError(TrackErrors.BAD_QUERY, `${msg} at position ${at + 1} of: ${shown}`);
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c === '(' ? 'lp' : 'rp', v: c, at: i++ });
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        s += src[j++];
      }
      if (j >= src.length) fail('unclosed string', i, src);
      out.push({ t: 'str', v: s, at: i });
      i = j + 1;
    } else if (/[<>=!~]/.test(c)) {
      const two = src.slice(i, i + 2);
      const op = OPS[two] ? two : c;
      if (!OPS[op]) fail(`unknown operator ${op}`, i, src);
      out.push({ t: 'op', v: op, at: i });
      i += op.length;
    } else if (/[-+0-9.]/.test(c) && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.test(src.slice(i))) {
      const m = src.slice(i).match(/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/) as RegExpMatchArray;
      out.push({ t: 'num', v: m[0], at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = src.slice(i).match(/^[A-Za-z_][\w.\-/]*(`[^`]*`)?/) as RegExpMatchArray;
      const word = m[0];
      const low = word.toLowerCase();
      out.push({
        t: low === 'and' || low === 'or' || low === 'not' ? 'kw' : 'id',
        v: low === 'and' || low === 'or' || low === 'not' ? low : word,
        at: i,
      });
      i += word.length;
    } else {
      fail(`unexpected ${JSON.stringify(c)}`, i, src);
    }
  }
  return out;
}

export interface CompiledFilter {
  sql: string;
  params: unknown[];
}

/** Compile a filter expression into a SQL condition over `runs r`. An empty expression matches everything. */
/** how deep parentheses and NOTs may nest in a run filter */
export const MAX_FILTER_DEPTH = 64;
/** how many words and symbols a run filter may have (each comparison is three) */
export const MAX_FILTER_TOKENS = 3000;

export function compileFilter(src: string): CompiledFilter {
  const toks = tokenize(src);
  if (toks.length === 0) return { sql: '1 = 1', params: [] };
  if (toks.length > MAX_FILTER_TOKENS)
    fail(`longer than ${MAX_FILTER_TOKENS} words and symbols`, toks[MAX_FILTER_TOKENS].at, src);
  let pos = 0;
  let depth = 0;
  const params: unknown[] = [];
  const peek = () => toks[pos];
  // nesting (parentheses, NOT) is bounded, so a hostile filter is a coded 400, never a stack overflow
  const deeper = (at: number) => {
    if (++depth > MAX_FILTER_DEPTH)
      fail(`nested deeper than ${MAX_FILTER_DEPTH} levels (parentheses or not)`, at, src);
  };
  // chains stay flat in the SQL ((a AND b AND c), not ((a AND b) AND c)), so the database's own expression depth
  // limit is never reached by a long filter
  const orExpr = (): string => {
    const terms = [andExpr()];
    while (peek()?.t === 'kw' && peek().v === 'or') {
      pos++;
      terms.push(andExpr());
    }
    return terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`;
  };
  const andExpr = (): string => {
    const terms = [notExpr()];
    while (peek()?.t === 'kw' && peek().v === 'and') {
      pos++;
      terms.push(notExpr());
    }
    return terms.length === 1 ? terms[0] : `(${terms.join(' AND ')})`;
  };
  const notExpr = (): string => {
    if (peek()?.t === 'kw' && peek().v === 'not') {
      deeper(peek().at);
      pos++;
      const inner = `(NOT ${notExpr()})`;
      depth--;
      return inner;
    }
    return primary();
  };
  const primary = (): string => {
    const tok = peek();
    if (!tok) fail('expression ends too early', src.length, src);
    if (tok.t === 'lp') {
      deeper(tok.at);
      pos++;
      const inner = orExpr();
      if (peek()?.t !== 'rp') fail('missing )', peek()?.at ?? src.length, src);
      pos++;
      depth--;
      return inner;
    }
    if (tok.t !== 'id')
      fail(`expected a field such as metrics.auc, got ${JSON.stringify(tok.v)}`, tok.at, src);
    pos++;
    const opTok = peek();
    if (opTok?.t !== 'op') fail('expected a comparison operator', opTok?.at ?? src.length, src);
    pos++;
    const valTok = peek();
    if (valTok?.t !== 'num' && valTok?.t !== 'str')
      fail('expected a number or a quoted string', valTok?.at ?? src.length, src);
    pos++;
    return comparison(tok, OPS[opTok.v], valTok);
  };
  const comparison = (field: Tok, op: string, val: Tok): string => {
    const isNum = val.t === 'num';
    const value = isNum ? Number(val.v) : val.v;
    if (op === 'LIKE' && isNum) fail('~ compares strings', val.at, src);
    const dot = field.v.indexOf('.');
    const scope = dot > 0 ? field.v.slice(0, dot) : field.v;
    const key = dot > 0 ? field.v.slice(dot + 1).replace(/^`|`$/g, '') : '';
    if (scope === 'metrics' && key) {
      if (!isNum) fail('metrics compare with numbers', val.at, src);
      params.push(key, value);
      return `EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_id = r.id AND m.key = ? AND m.value ${op} ?)`;
    }
    if (scope === 'params' && key) {
      params.push(key, value);
      return `EXISTS (SELECT 1 FROM params p WHERE p.run_id = r.id AND p.key = ? AND p.${isNum ? 'num' : 'value'} ${op} ?)`;
    }
    if (scope === 'tags' && key) {
      params.push(key, isNum ? String(value) : value);
      return `EXISTS (SELECT 1 FROM tags t WHERE t.run_id = r.id AND t.key = ? AND t.value ${op} ?)`;
    }
    const col = RUN_FIELDS[field.v];
    if (!col) {
      fail(
        `unknown field ${field.v} (use metrics.<k>, params.<k>, tags.<k>, ${Object.keys(RUN_FIELDS).join(', ')})`,
        field.at,
        src,
      );
    }
    params.push(isNum ? String(value) : value);
    return `${col} ${op} ?`;
  };
  const sql = orExpr();
  if (pos < toks.length) fail(`unexpected ${JSON.stringify(toks[pos].v)}`, toks[pos].at, src);
  return { sql, params };
}

export interface CompiledOrder {
  join: string;
  orderBy: string;
  params: unknown[];
}

/** `metrics.roc_auc desc`, `params.lr`, `started_at asc` → a join and an ORDER BY (missing values last). */
export function compileOrder(spec: string | undefined): CompiledOrder {
  const fallback = { join: '', orderBy: 'r.started_at DESC, r.id DESC', params: [] };
  if (!spec?.trim()) return fallback;
  const m = spec.trim().match(/^([A-Za-z_][\w.\-/]*)(?:\s+(asc|desc))?$/i);
  if (!m)
    throw new KeelError(TrackErrors.BAD_QUERY, `cannot order by "${spec}" (use e.g. "metrics.roc_auc desc")`);
  const dir = (m[2] ?? 'asc').toUpperCase();
  const [scope, ...rest] = m[1].split('.');
  const key = rest.join('.');
  const nullsLast = (expr: string) => `CASE WHEN ${expr} IS NULL THEN 1 ELSE 0 END, ${expr} ${dir}, r.id`;
  if (scope === 'metrics' && key) {
    return {
      join: 'LEFT JOIN latest_metrics om ON om.run_id = r.id AND om.key = ?',
      orderBy: nullsLast('om.value'),
      params: [key],
    };
  }
  if (scope === 'params' && key) {
    return {
      join: 'LEFT JOIN params op ON op.run_id = r.id AND op.key = ?',
      orderBy: `${nullsLast('op.num')}, op.value ${dir}`,
      params: [key],
    };
  }
  const col = RUN_FIELDS[m[1]];
  if (!col) throw new KeelError(TrackErrors.BAD_QUERY, `cannot order by "${m[1]}"`);
  return { join: '', orderBy: nullsLast(col), params: [] };
}
