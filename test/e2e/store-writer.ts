// A child process for the concurrency tests: opens a (possibly fresh) store and writes metric batches from
// several concurrent writers. usage: node --import tsx store-writer.ts <home> <url|-> <schema|-> <writers> <batches> <points>

import { openStore } from '../../src/track/index.ts';

const [home, url, schema, writers, batches, points] = process.argv.slice(2);
const store = await openStore({
  home,
  url: url === '-' ? undefined : url,
  schema: schema === '-' ? undefined : schema,
  poolSize: Number(writers),
});
await Promise.all(
  Array.from({ length: Number(writers) }, async (_, w) => {
    const id = await store.startRun({ experiment: 'load', name: `p${process.pid}w${w}` });
    for (let b = 0; b < Number(batches); b++) {
      await store.logMetricBatch(
        id,
        Array.from({ length: Number(points) }, (_, k) => ({ key: `m${k}`, value: b * 10 + k, step: b })),
      );
    }
    await store.endRun(id, 'finished');
  }),
);
await store.close();
process.stdout.write('done\n');
