// A stream consumer process for the crash test: reads micro-batches from Redis Streams or NATS JetStream into a
// SQLite commit log. With KEEL_CRASH_AFTER_BATCH=n it SIGKILLs itself after storing batch n, before acknowledging it.

import { natsSource, redisStreamSource, SqliteCommitLog } from '../../src/data/index.ts';

const [kind, dbPath, name, key] = process.argv.slice(2);
const crashAfter = Number(process.env.KEEL_CRASH_AFTER_BATCH ?? 0);
const source =
  kind === 'redis'
    ? redisStreamSource({
        url: 'redis://127.0.0.1:6379',
        stream: key,
        group: 'g',
        consumer: name,
        claimIdleMs: 0,
      })
    : natsSource({ servers: 'nats://127.0.0.1:4222', stream: key, durable: name, ackWaitMs: 1000 });
const log = new SqliteCommitLog(dbPath);
let batches = 0;
for await (const batch of source.consume({ maxRows: 200, maxWaitMs: 200, idleStopMs: 2500 })) {
  batches++;
  await log.write(batch, () => {
    if (batches === crashAfter) process.kill(process.pid, 'SIGKILL');
  });
}
await source.close();
log.close();
