// The example pipelines run end to end from a clean process and say what they should.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './helpers.ts';

function run(script: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, script)], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `${script} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

describe('examples', () => {
  it('penguins: cross-validated accuracy above 0.95 and an artifact that scores identically', () => {
    const out = run('examples/penguins/pipeline.ts');
    const acc = Number(/accuracy\s+([\d.]+)/.exec(out)?.[1]);
    assert.ok(acc > 0.95, out);
    assert.match(out, /text → date_parts → imputer → power → robust → drop → target → one_hot/);
    assert.match(out, /identical to the fitted pipeline on 344 rows: true/);
  });

  it('california: four cross-validated RMSE lines, all with R² above 0.5', () => {
    const out = run('examples/california/pipeline.ts');
    const r2 = [...out.matchAll(/R² ([\d.]+)/g)].map((m) => Number(m[1]));
    assert.equal(r2.length, 4, out);
    assert.ok(
      r2.every((v) => v > 0.5),
      out,
    );
  });
});
