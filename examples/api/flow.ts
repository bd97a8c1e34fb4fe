// keel/flow: the whole training job — read, split, one tracked run per model, the best registered through its gates.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTrainJob } from 'keel/flow';
import { ModelRegistry } from 'keel/registry';
import { openStore } from 'keel/track';

const store = await openStore({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'keel-flow-')) });
const result = await runTrainJob({
  file: 'examples/penguins/penguins_raw.csv',
  target: 'Species',
  models: [{ kind: 'logistic_regression' }, { kind: 'decision_tree' }],
  modelName: 'penguins',
  experiment: 'demo',
  store,
  registry: await ModelRegistry.open(store),
});
console.log(`best ${result.best}; ${result.model_ref}; ${result.promotion}`);
await store.close();
