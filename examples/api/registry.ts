// keel/registry: versions of a model, moved between aliases through promotion gates.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ModelRegistry } from 'keel/registry';
import { openStore } from 'keel/track';

const store = await openStore({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'keel-registry-')) });
const registry = await ModelRegistry.open(store);
for (const auc of [0.81, 0.86]) {
  const run = await store.startRun({ experiment: 'churn', name: 'gbt' });
  await store.logMetrics(run, { roc_auc: auc });
  await store.logArtifact(run, 'model.keel', Buffer.from(`model ${auc}`));
  await store.endRun(run, 'finished');
  const mv = await registry.register({ name: 'churn', runId: run, artifact: 'model.keel', task: 'binary' });
  await registry.promote({
    name: 'churn',
    version: mv.version,
    alias: 'champion',
    gates: ['beats:roc_auc'],
    reason: `roc_auc ${auc}`,
  });
}
const champion = await registry.resolve('churn@champion');
console.log(`churn@champion is version ${champion.version}`);
await store.close();
