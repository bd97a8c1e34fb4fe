// The rooms' import rules from DESIGN.md, checked on every import in src/: arrows point toward core, each room is
// entered through its index.ts (or inference.ts, the serving door of transform and models), and the server's
// whole import graph stays free of training code.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ALLOWED, roomOf, SRC, walk } from './rooms.ts';

/**
 * Doors other than index.ts: the inference-only modules, and Keel's version alone (so `keel --version` loads nothing
 * else, and inference code bundled for a worker never reads package.json).
 */
const EXTRA_DOORS: Record<string, string[]> = {
  transform: ['inference.ts'],
  models: ['inference.ts'],
  core: ['version.ts'],
};
/** serve may enter these rooms only through their inference door. */
const INFERENCE_ONLY: Record<string, string[]> = { serve: ['transform', 'models'] };

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  const re =
    /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3]) as string);
  return out.filter((s) => s.startsWith('.'));
}

const files = walk(SRC).filter((f) => !f.endsWith('.test.ts'));

/** Why an import from `file` of `spec` breaks the rules, or null when it is fine. */
function edgeProblem(file: string, spec: string): string | null {
  const from = roomOf(file);
  const target = path.resolve(path.dirname(file), spec);
  const where = path.relative(SRC, file);
  if (!target.startsWith(SRC + path.sep)) return `${where} imports ${spec}, outside src/`;
  const to = roomOf(target);
  if (to === from) return null;
  const allowed = ALLOWED[from];
  if (allowed === undefined) return `${from} is not a room of DESIGN.md`;
  if (allowed !== '*' && !allowed.includes(to)) return `${where} (${from}) imports ${to}: not allowed`;
  const rel = path.relative(path.join(SRC, to), target);
  const extra = EXTRA_DOORS[to] ?? [];
  const doors = INFERENCE_ONLY[from]?.includes(to) ? extra : ['index.ts', ...extra];
  if (!doors.includes(rel)) return `${where} enters ${to} through ${rel}, not ${doors.join(' or ')}`;
  return null;
}

describe('architecture', () => {
  it('finds the rooms', () => {
    const rooms = new Set(files.map(roomOf));
    for (const r of [
      'core',
      'data',
      'estimator',
      'transform',
      'models',
      'evaluate',
      'track',
      'registry',
      'serve',
      'cli',
    ]) {
      assert.ok(rooms.has(r), `room ${r} exists`);
      assert.ok(fs.existsSync(path.join(SRC, r, 'index.ts')) || r === 'cli', `room ${r} has an index.ts`);
    }
  });

  it('every cross-room import is allowed by DESIGN.md and goes through a door', () => {
    const problems: string[] = [];
    for (const file of files) {
      for (const spec of importsOf(file)) {
        const p = edgeProblem(file, spec);
        if (p) problems.push(p);
      }
    }
    assert.deepEqual(problems, []);
  });

  it("the model server's import graph holds no training, tuning or evaluation code", () => {
    const seen = new Set<string>();
    const stack = [path.join(SRC, 'serve/index.ts')];
    while (stack.length) {
      const f = stack.pop() as string;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const spec of importsOf(f)) stack.push(path.resolve(path.dirname(f), spec));
    }
    const bad = [...seen]
      .map((f) => path.relative(SRC, f))
      .filter(
        (f) =>
          f.endsWith('/fit.ts') ||
          f.startsWith('tune/') ||
          f.startsWith('evaluate/') ||
          f === 'transform/pipeline.ts',
      );
    assert.deepEqual(bad, []);
    assert.ok(seen.size > 5, 'walked the graph');
  });

  it('model families import no other family: shared machinery lives in models/engine/', () => {
    const problems: string[] = [];
    for (const file of files) {
      const familyOf = (f: string): string | null => {
        const parts = path.relative(path.join(SRC, 'models'), f).split(path.sep);
        return parts.length > 1 && !parts[0].startsWith('..') ? parts[0] : null;
      };
      const from = familyOf(file);
      if (!from) continue;
      for (const spec of importsOf(file)) {
        const to = familyOf(path.resolve(path.dirname(file), spec));
        if (to && to !== from && to !== 'engine')
          problems.push(`${path.relative(SRC, file)} (family ${from}) imports ${spec} (family ${to})`);
        if (from === 'engine' && to && to !== 'engine')
          problems.push(`${path.relative(SRC, file)}: the engine imports the ${to} family`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('catches forbidden arrows (the checker is not vacuous)', () => {
    const at = (f: string) => path.join(SRC, f);
    assert.match(String(edgeProblem(at('models/linear/fit.ts'), '../../transform/index.ts')), /not allowed/);
    assert.match(String(edgeProblem(at('core/rng.ts'), '../data/index.ts')), /not allowed/);
    assert.match(String(edgeProblem(at('flow/train.ts'), '../serve/index.ts')), /not allowed/);
    assert.match(String(edgeProblem(at('flow/train.ts'), '../data/csv.ts')), /through csv.ts/);
    assert.match(String(edgeProblem(at('serve/model.ts'), '../models/index.ts')), /through index.ts/);
    assert.equal(edgeProblem(at('serve/model.ts'), '../models/inference.ts'), null);
    assert.equal(edgeProblem(at('cli/main.ts'), '../serve/index.ts'), null);
  });
});
