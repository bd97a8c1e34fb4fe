// The example pipelines run end to end from a clean process and say what they should.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './helpers.ts';

function run(script: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], {
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

  it('orders: two messy sources into one checked table, every row accounted for, a stable snapshot', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-orders-test-'));
    try {
      const out = run('examples/orders/pipeline.ts', dir);
      assert.match(out, /orders\.csv: read 67 = accepted 64 \+ quarantined 3/);
      assert.match(out, /line 9: DATA_SHORT_ROW/);
      assert.match(out, /line 16: DATA_WRONG_DELIMITER/);
      assert.match(out, /line 68: DATA_BAD_VALUE \[amount\]/);
      assert.match(out, /renamed \{"Customer ID":"customer","City":"city","Signup":"signup"\}/);
      assert.match(out, /dedupe: removed 1; conflicts 1012\.amount \["474\.12","45"\] kept 45/);
      assert.match(out, /join: 62 of 63 orders matched; unknown customers C099/);
      assert.match(out, /check: PASSED; read 67 = accepted 61 \+ quarantined 5 \+ duplicates merged 1/);
      assert.match(out, /DATA_OUT_OF_RANGE \[amount\] "-15"/);
      assert.match(out, /DATA_CATEGORY_NOT_ALLOWED \[status\] "shipped"/);
      assert.match(out, /snapshot [0-9a-f]{64} \(61 rows\); written again: no, same id/);
      assert.match(fs.readFileSync(path.join(dir, 'report.html'), 'utf8'), /<!doctype html>/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
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
