// The library's reference: every public entry point (the package's exports) has a runnable example that imports it
// by its package name and runs here, and the API docs generated from the declarations (TypeDoc) show that example.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
};
const entries = Object.keys(pkg.exports)
  .filter((k) => k !== './package.json')
  .map((k) =>
    k === '.' ? { name: 'keel', example: 'keel' } : { name: `keel/${k.slice(2)}`, example: k.slice(2) },
  );

describe('API reference', () => {
  for (const e of entries) {
    it(`${e.name}: its example imports it by name and runs`, () => {
      const file = path.join(ROOT, 'examples/api', `${e.example}.ts`);
      assert.ok(fs.existsSync(file), `examples/api/${e.example}.ts exists`);
      assert.match(fs.readFileSync(file, 'utf8'), new RegExp(`from '${e.name}'`), `imports from '${e.name}'`);
      const r = spawnSync(process.execPath, ['--import', 'tsx', file], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.ok(r.stdout.trim().length > 0, 'it prints what it did');
    });
  }

  it('TypeDoc builds the reference from the declarations, one page per entry point with its example', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-apidocs-'));
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/typedoc/bin/typedoc'), '--out', out],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 240_000,
      },
    );
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    for (const e of entries) {
      const page = path.join(out, 'modules', `${e.name.replace('/', '_')}.html`);
      assert.ok(fs.existsSync(page), `a page for ${e.name}`);
      const html = fs.readFileSync(page, 'utf8');
      assert.match(html, /Example \(runs in the test suite\)/, `${e.name}: the example heading`);
      assert.match(
        html,
        new RegExp(`&#39;${e.name.replace('/', '\\/')}&#39;`),
        `${e.name}: the example's import`,
      );
    }
    fs.rmSync(out, { recursive: true, force: true });
  });
});
