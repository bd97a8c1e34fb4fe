// keel/api: the platform HTTP API and its typed client, against a real listening server on loopback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeelClient, startApi } from 'keel/api';
import { ModelRegistry } from 'keel/registry';
import { openStore } from 'keel/track';

const store = await openStore({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'keel-api-')) });
const run = await store.startRun({ experiment: 'demo', name: 'first' });
await store.endRun(run, 'finished');
const api = await startApi({ store, registry: await ModelRegistry.open(store), port: 0 });
const client = new KeelClient(api.url);
const list = await client.listRuns({});
console.log(`${list.total} run(s) through ${api.url}`);
await api.close();
await store.close();
