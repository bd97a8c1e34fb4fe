// keel/track: runs with params, metrics and artifacts in a Keel home (SQLite here; PostgreSQL with a postgres:// url).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from 'keel/track';

const store = await openStore({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'keel-track-')) });
const id = await store.startRun({ experiment: 'demo', name: 'baseline', params: { model: 'ridge' } });
await store.logMetrics(id, { rmse: 0.42 });
await store.logArtifact(id, 'notes.txt', Buffer.from('hello'));
await store.endRun(id, 'finished');
const runs = await store.listRuns({ filter: 'metrics.rmse < 0.5' });
console.log(runs.map((r) => `${r.name} ${r.status} rmse=${r.metrics.rmse}`));
await store.close();
