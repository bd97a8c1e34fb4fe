// Promotion and the input contract: a retrained model whose input schema differs from the champion's (a column
// removed, one retyped) is registered but not promoted — the differences are reported — until forced.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isKeelError } from '../core/index.ts';
import { decodeArtifact } from '../estimator/index.ts';
import { ModelRegistry } from '../registry/index.ts';
import { openStore } from '../track/index.ts';
import { runTrainJob } from './index.ts';

function writeCsv(file: string, header: string[], row: (i: number) => (string | number)[]): void {
  const lines = [header.join(',')];
  for (let i = 0; i < 120; i++) lines.push(row(i).join(','));
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

describe('schema compatibility on promotion', () => {
  it('keeps @champion on the old version and names the differences; an override moves it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-schema-'));
    const store = await openStore({ home: dir });
    try {
      const registry = await ModelRegistry.open(store);
      const v1 = path.join(dir, 'v1.csv');
      writeCsv(v1, ['age', 'plan', 'spend', 'churned'], (i) => [
        20 + (i % 50),
        i % 3 ? 'basic' : 'pro',
        i * 1.5,
        i % 4 === 0 ? 'yes' : 'no',
      ]);
      const v2 = path.join(dir, 'v2.csv');
      // spend removed, plan now numeric (a tier number), region added
      writeCsv(v2, ['age', 'plan', 'region', 'churned'], (i) => [
        20 + (i % 50),
        i % 3,
        i % 2 ? 'n' : 's',
        i % 4 === 0 ? 'yes' : 'no',
      ]);
      const common = {
        target: 'churned',
        modelName: 'churn',
        experiment: 'train',
        store,
        registry,
        models: [{ kind: 'logistic_regression' }],
      };
      const first = await runTrainJob({ ...common, file: v1 });
      assert.equal(first.registered.alias, 'champion');
      // the artifact carries its output contract and the reference profile of its training features
      const art = decodeArtifact<{
        output: { kind: string; classes: string[] };
        reference_profile: { rows: number; columns: { name: string }[] };
      }>(await registry.loadVerified(await registry.resolve({ name: 'churn', version: 1 })));
      assert.deepEqual(art.output, { task: 'binary', kind: 'probabilities', classes: ['no', 'yes'] });
      assert.equal(art.reference_profile.rows, first.rows.train);
      assert.deepEqual(
        art.reference_profile.columns.map((c) => c.name),
        ['age', 'plan', 'spend'],
      );
      const second = await runTrainJob({ ...common, file: v2 });
      assert.equal(second.registered.alias, null, 'not promoted');
      assert.match(second.promotion, /removed "spend"/);
      assert.match(second.promotion, /"plan" categorical → numeric/);
      assert.match(second.promotion, /added "region"/);
      assert.equal((await registry.resolve({ name: 'churn', alias: 'champion' })).version, 1);
      await assert.rejects(
        registry.promote({ name: 'churn', version: 2, alias: 'champion', reason: 'retrained' }),
        (e) => isKeelError(e, 'REGISTRY_GATE_FAILED'),
      );
      await registry.promote({
        name: 'churn',
        version: 2,
        alias: 'champion',
        reason: 'new contract',
        override: 'clients updated',
      });
      assert.equal((await registry.resolve({ name: 'churn', alias: 'champion' })).version, 2);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
