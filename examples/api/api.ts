// keel/api: the platform HTTP API and its typed client, against a real listening server on loopback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeelClient, startApi } from 'keel/api';
import { AuthStore } from 'keel/auth';
import { ModelRegistry } from 'keel/registry';
import { openStore } from 'keel/track';

const store = await openStore({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'keel-api-')) });
const run = await store.startRun({ experiment: 'demo', name: 'first' });
await store.endRun(run, 'finished');
// every route but /health needs a token: an admin and its token, made as `keel users add` / `keel tokens create` do
const auth = await AuthStore.open(store.sql);
await auth.addIdentity('ops', { by: 'example', roles: { '*': 'admin' } });
const { token } = await auth.createToken('ops', { by: 'example', days: 1 });
const api = await startApi({ store, registry: await ModelRegistry.open(store), auth, port: 0 });
const client = new KeelClient(api.url, { token });
const list = await client.listRuns({});
console.log(`${list.total} run(s) through ${api.url}`);
await api.close();
await store.close();
