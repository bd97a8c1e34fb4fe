// The error catalog is complete: every KeelError in src/ is built from a room's catalog that its room may use, every
// code is catalogued once with a status and a meaning, no plain Error crosses a room door, and docs/errors.md is
// the catalog's current text.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { errorCatalogs, errorsMarkdown } from '../src/cli/errors-command.ts';
import { ALLOWED, roomOf, SRC, walk } from './rooms.ts';

/** The room whose catalog each `…Errors` object is. */
const CATALOG_ROOM: Record<string, string> = {
  CoreErrors: 'core',
  DataErrors: 'data',
  EstimatorErrors: 'estimator',
  TransformErrors: 'transform',
  EvaluateErrors: 'evaluate',
  TuneErrors: 'tune',
  TrackErrors: 'track',
  RegistryErrors: 'registry',
  FlowErrors: 'flow',
  ServeErrors: 'serve',
  FieldErrors: 'serve',
  ApiErrors: 'api',
  AuthErrors: 'auth',
  CliErrors: 'cli',
};

/**
 * Files that may build a plain Error, and why it never reaches a caller as one: it is caught and wrapped in a coded
 * error at once, handed to a callback as a reason, or lives inside a worker thread.
 */
const PLAIN_ERROR_ALLOWED: Record<string, string> = {
  'data/csv.ts': 'caught at once and rethrown as DATA_SOURCE_UNREADABLE',
  'data/sources/http/source.ts': 'transport errors caught by the retry loop and reported as DATA_HTTP_FAILED',
  'serve/shadow.ts': "the reasons of failed shadow copies, handed to the shadow's handler, never thrown",
  'serve/shadow-worker-main.ts': 'an injected fault inside the worker thread, posted back as text',
  'tune/workers.ts':
    "an objective's own failure re-created from the worker's message: the failed trial's reason",
  'tune/tune-worker-main.ts': 'inside the trial worker thread only',
  'tune/test-objective.ts': 'the test objective of the worker tests fails on purpose',
  'auth/guard.ts':
    'a route registered without a policy: a programming error that stops the server from starting',
  'track/db/sqlite/db.ts': "an invariant of the store's own code (migrations never run inside a transaction)",
  'track/db/postgres/db.ts':
    "an invariant of the store's own code (migrations never run inside a transaction)",
};

const files = walk(SRC).filter((f) => !f.endsWith('.test.ts'));

/** The first argument of every `new KeelError(` in a file's text. */
function thrownCodes(text: string): string[] {
  return [...text.matchAll(/new KeelError\(\s*([^,]+?)\s*,/g)].map((m) => m[1]);
}

function codeProblem(file: string, arg: string): string | null {
  const where = path.relative(SRC, file);
  const m = /^([A-Z][A-Za-z]*Errors)\.([A-Z][A-Z0-9_]*)$/.exec(arg);
  if (!m) return `${where} throws ${arg}: not a catalogued code (use a room's …Errors.KEY)`;
  const owner = CATALOG_ROOM[m[1]];
  if (!owner) return `${where} throws a code of ${m[1]}, which is no room's catalog`;
  const room = roomOf(file);
  const allowed = ALLOWED[room];
  if (owner !== room && owner !== 'core' && allowed !== '*' && !allowed?.includes(owner))
    return `${where} (${room}) throws ${arg}, a code of ${owner}, a room it may not use`;
  return null;
}

describe('error catalog', () => {
  it('every KeelError in src/ takes its code from a catalog its room may use', () => {
    const problems: string[] = [];
    let count = 0;
    for (const file of files) {
      for (const arg of thrownCodes(fs.readFileSync(file, 'utf8'))) {
        count++;
        const p = codeProblem(file, arg);
        if (p) problems.push(p);
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(count > 200, `found ${count} KeelErrors`);
  });

  it('every code is catalogued once, under its room, with a status and a meaning', () => {
    const seen = new Map<string, string>();
    for (const [room, catalog] of Object.entries(errorCatalogs())) {
      for (const [key, e] of Object.entries(catalog)) {
        assert.ok(!seen.has(e.code), `${e.code} is in ${seen.get(e.code)} and ${room}`);
        seen.set(e.code, room);
        const prefix = room.startsWith('serve')
          ? /^(SERVE|FIELD|BODY)_/
          : new RegExp(`^${room.toUpperCase()}_`);
        assert.match(e.code, prefix, `${room}.${key}`);
        assert.ok(Number.isInteger(e.status) && e.status >= 400 && e.status < 600, `${e.code}: ${e.status}`);
        assert.ok(e.meaning.length > 10 && !e.meaning.includes('\n'), `${e.code} has a one-line meaning`);
      }
    }
    assert.ok(seen.size > 90, `${seen.size} codes`);
  });

  it('no plain Error is thrown across a room door', () => {
    const problems: string[] = [];
    for (const file of files) {
      const rel = path.relative(SRC, file);
      if (PLAIN_ERROR_ALLOWED[rel]) continue;
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/new (?:Type|Range)?Error\(/g))
        problems.push(`${rel}:${text.slice(0, m.index).split('\n').length} builds a plain Error`);
    }
    assert.deepEqual(problems, []);
    // every allowed file still needs its exception: a stale entry would hide a new plain Error there
    for (const rel of Object.keys(PLAIN_ERROR_ALLOWED))
      assert.match(
        fs.readFileSync(path.join(SRC, rel), 'utf8'),
        /new Error\(/,
        `${rel} no longer needs its exception`,
      );
  });

  it('catches what it forbids (the checks are not vacuous)', () => {
    const at = (f: string) => path.join(SRC, f);
    assert.match(String(codeProblem(at('flow/tune.ts'), "'CLI_USAGE'")), /not a catalogued code/);
    assert.match(String(codeProblem(at('flow/tune.ts'), 'CliErrors.USAGE')), /a room it may not use/);
    assert.match(String(codeProblem(at('data/csv.ts'), 'NopeErrors.X')), /no room's catalog/);
    assert.equal(codeProblem(at('models/linear/fit.ts'), 'EstimatorErrors.BAD_PARAM'), null);
    assert.equal(codeProblem(at('cli/train.ts'), 'FlowErrors.NO_BEST'), null);
    assert.deepEqual(thrownCodes("throw new KeelError(\n  DataErrors.BAD_ROW,\n  'x')"), [
      'DataErrors.BAD_ROW',
    ]);
  });

  it('docs/errors.md is the catalog as `keel errors --markdown` prints it', () => {
    const doc = fs.readFileSync(path.join(SRC, '../docs/errors.md'), 'utf8');
    assert.equal(doc, errorsMarkdown(), 'run: node bin/keel.mjs errors --markdown > docs/errors.md');
  });
});
