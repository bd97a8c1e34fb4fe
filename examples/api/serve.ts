// keel/serve: a registered model behind HTTP, validated against its input schema (in-process request here).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { train } from 'keel';
import { ModelRegistry } from 'keel/registry';
import { buildModelServer } from 'keel/serve';
import { openStore } from 'keel/track';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-serve-'));
const rows = Array.from({ length: 200 }, (_, i) => ({ size: i % 50, color: ['red', 'blue'][i % 2], big: i % 50 > 25 ? 'yes' : 'no' }));
const model = await train({ source: rows, target: 'big', model: 'logistic_regression' });
await model.register('sizes', { home });
const store = await openStore({ home });
const { app } = await buildModelServer({ registry: await ModelRegistry.open(store), refs: ['sizes@champion'] });
const res = await app.inject({ method: 'POST', url: '/v1/models/sizes/predict', payload: { instance: { size: 40, color: 'red' } } });
console.log(res.statusCode, res.json().predictions[0].label);
await app.close();
await store.close();
