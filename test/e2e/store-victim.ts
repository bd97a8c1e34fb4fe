// A child process for the crash test: tracks a run that logs metrics and artifacts without pause until it is killed.
// usage: node --import tsx store-victim.ts <home>

import { randomBytes } from 'node:crypto';
import { ActiveRun, openStore } from '../../src/track/index.ts';

const store = await openStore({ home: process.argv[2] });
const run = await ActiveRun.start(store, {
  experiment: 'victim',
  name: 'crash-me',
  params: { pid: process.pid },
  bufferSize: 25,
});
process.stdout.write(`ready ${run.id}\n`);
for (let i = 0; ; i++) {
  for (let k = 0; k < 20; k++) run.log('loss', 1 / (i + 1) + k, i * 20 + k);
  await run.flush();
  await run.logArtifact(`chunks/c${i}.bin`, randomBytes(50_000 + ((i * 7919) % 250_000)));
  await store.setTags(run.id, { last: String(i) });
}
