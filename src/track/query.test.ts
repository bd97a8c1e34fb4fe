// The run filter's parser: nesting and length are bounded with a coded error, chains compile flat.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isKeelError } from '../core/index.ts';
import { compileFilter, MAX_FILTER_DEPTH } from './query.ts';

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return isKeelError(err) ? err.code : `not a KeelError: ${(err as Error).name}`;
  }
  return undefined;
}

describe('run filter parser', () => {
  it('refuses nesting beyond its bound with TRACK_BAD_QUERY, for parentheses and for not', () => {
    assert.equal(
      code(() => compileFilter('('.repeat(5000))),
      'TRACK_BAD_QUERY',
    );
    assert.equal(
      code(() => compileFilter(`${'not '.repeat(5000)}metrics.a > 1`)),
      'TRACK_BAD_QUERY',
    );
    const ok = `${'('.repeat(MAX_FILTER_DEPTH)}metrics.a > 1${')'.repeat(MAX_FILTER_DEPTH)}`;
    assert.equal(
      code(() => compileFilter(ok)),
      undefined,
    );
    const over = `${'('.repeat(MAX_FILTER_DEPTH + 1)}metrics.a > 1${')'.repeat(MAX_FILTER_DEPTH + 1)}`;
    assert.equal(
      code(() => compileFilter(over)),
      'TRACK_BAD_QUERY',
    );
  });

  it('refuses filters of too many tokens, and its message does not echo a huge filter', () => {
    const long = Array.from({ length: 2000 }, () => 'metrics.a > 1').join(' and ');
    try {
      compileFilter(long);
      assert.fail('expected an error');
    } catch (err) {
      assert.ok(isKeelError(err, 'TRACK_BAD_QUERY'));
      assert.ok(err.message.length < 400, err.message.slice(0, 100));
    }
  });

  it('compiles and/or chains flat: each term adds only its own parentheses', () => {
    const opens = (sql: string) => (sql.match(/\(/g) ?? []).length;
    const chain = (n: number, op: string) =>
      compileFilter(Array.from({ length: n }, (_, i) => `metrics.a > ${i}`).join(` ${op} `));
    const one = opens(compileFilter('metrics.a > 0').sql);
    for (const op of ['and', 'or']) {
      const grow = opens(chain(200, op).sql) - opens(chain(100, op).sql);
      assert.equal(grow, 100 * one, `${op}: no extra nesting per term`);
      assert.equal(chain(200, op).params.length, 400, 'a key and a value per comparison');
    }
  });
});
