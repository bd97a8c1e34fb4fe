// Redis Streams through a consumer group: a restarted consumer first takes back its own unacknowledged entries,
// entries another consumer left idle too long are claimed, and XACK is sent only when a batch is committed.

import { KeelError } from '../../../core/index.ts';
import { DataErrors } from '../../errors.ts';
import type { Schema } from '../../schema.ts';
import { makeStreamSource, type StreamMessage, type StreamSource, type StreamTransport } from '../stream.ts';

export interface RedisStreamOptions {
  /** redis://host:port/db; a password in it is never described */
  url: string;
  stream: string;
  group: string;
  /** a stable name per consumer process, so a restart finds its own pending entries */
  consumer: string;
  /** the entry field holding a JSON record (default "data"); entries without it become a record of their fields */
  field?: string;
  /** claim entries another consumer has held unacknowledged this long (default 30 s; 0 turns claiming off) */
  claimIdleMs?: number;
  schema?: Schema;
}

type Entry = [id: string, fields: string[]];

function toMessage(e: Entry, field: string): StreamMessage {
  const [id, fields] = e;
  const rec: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) rec[fields[i]] = fields[i + 1];
  return { id, data: field in rec ? rec[field] : rec };
}

export function redisStreamSource(o: RedisStreamOptions): StreamSource {
  const field = o.field ?? 'data';
  const claimIdle = o.claimIdleMs ?? 30_000;
  const location = `${o.url.replace(/\/\/[^@/]*@/, '//***@')} stream ${o.stream} group ${o.group}`;
  return makeStreamSource(
    'redis',
    location,
    async (): Promise<StreamTransport> => {
      const { Redis } = await import('ioredis');
      const redis = new Redis(o.url, { lazyConnect: true, maxRetriesPerRequest: 3 });
      try {
        await redis.connect();
      } catch (err) {
        throw new KeelError(
          DataErrors.SOURCE_UNREADABLE,
          `cannot connect to Redis: ${(err as Error).message}`,
        );
      }
      try {
        await redis.xgroup('CREATE', o.stream, o.group, '0', 'MKSTREAM');
      } catch (err) {
        if (!/BUSYGROUP/.test((err as Error).message)) throw err;
      }
      let ownPending = true;
      let pendingCursor = '0'; // own pending entries are read once each, in id order
      let claimCursor = '0-0';
      let lastAcked: string | undefined;
      return {
        async pull(max, waitMs) {
          // XREADGROUP from an id: "0…" re-reads this consumer's own pending entries, ">" takes new ones
          const read = async (from: string, block: string[]): Promise<Entry[]> => {
            const res = (await redis.xreadgroup(
              'GROUP',
              o.group,
              o.consumer,
              'COUNT',
              max,
              ...(block as ['BLOCK', string]),
              'STREAMS',
              o.stream,
              from,
            )) as [string, Entry[]][] | null;
            return res?.[0]?.[1] ?? [];
          };
          if (ownPending) {
            const entries = await read(pendingCursor, []);
            if (entries.length > 0) {
              pendingCursor = entries[entries.length - 1][0];
              return entries.map((e) => toMessage(e, field));
            }
            ownPending = false;
          }
          if (claimIdle > 0) {
            const [next, claimed] = (await redis.xautoclaim(
              o.stream,
              o.group,
              o.consumer,
              claimIdle,
              claimCursor,
              'COUNT',
              max,
            )) as [string, Entry[]];
            claimCursor = next;
            const live = claimed.filter((e) => e && e[1] !== null);
            if (live.length > 0) return live.map((e) => toMessage(e, field));
          }
          const fresh = await read('>', ['BLOCK', String(Math.max(1, Math.round(waitMs)))]);
          return fresh.map((e) => toMessage(e, field));
        },
        async ack(ids) {
          if (ids.length === 0) return;
          await redis.xack(o.stream, o.group, ...ids);
          lastAcked = ids[ids.length - 1];
        },
        position: () => ({ stream: o.stream, group: o.group, consumer: o.consumer, lastAcked }),
        async close() {
          redis.disconnect();
        },
      };
    },
    o.schema,
  );
}
