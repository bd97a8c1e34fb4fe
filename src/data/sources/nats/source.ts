// NATS JetStream through a durable pull consumer with explicit acks: a message not acknowledged within ackWaitMs
// (a crashed consumer) is redelivered; ids are the Nats-Msg-Id header when the publisher set one, else the stream
// sequence, so redelivered duplicates can be dropped by the sink.

import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { connect } from '@nats-io/transport-node';
import { KeelError } from '../../../core/index.ts';
import { DataErrors } from '../../errors.ts';
import type { Schema } from '../../schema.ts';
import { ArrivalQueue, makeStreamSource, type StreamSource, type StreamTransport } from '../stream.ts';

export interface NatsSourceOptions {
  /** e.g. "nats://127.0.0.1:4222" */
  servers: string;
  stream: string;
  /** the durable consumer's name (created when absent) */
  durable: string;
  filterSubject?: string;
  /** redelivery delay for unacknowledged messages (default 30 s) */
  ackWaitMs?: number;
  /** messages pulled ahead of the consumer (default 1,000) */
  prefetch?: number;
  schema?: Schema;
}

export function natsSource(o: NatsSourceOptions): StreamSource {
  const location = `${o.servers.replace(/\/\/[^@/]*@/, '//***@')} stream ${o.stream} durable ${o.durable}`;
  return makeStreamSource(
    'nats',
    location,
    async (): Promise<StreamTransport> => {
      let nc: Awaited<ReturnType<typeof connect>>;
      try {
        const transport = await import('@nats-io/transport-node');
        nc = await transport.connect({ servers: o.servers });
      } catch (err) {
        throw new KeelError(
          DataErrors.SOURCE_UNREADABLE,
          `cannot connect to NATS: ${(err as Error).message}`,
        );
      }
      const { AckPolicy, jetstream, jetstreamManager } = await import('@nats-io/jetstream');
      const jsm = await jetstreamManager(nc);
      try {
        await jsm.consumers.info(o.stream, o.durable);
      } catch {
        await jsm.consumers.add(o.stream, {
          durable_name: o.durable,
          ack_policy: AckPolicy.Explicit,
          ack_wait: (o.ackWaitMs ?? 30_000) * 1_000_000,
          ...(o.filterSubject ? { filter_subject: o.filterSubject } : {}),
        });
      }
      const consumer: Consumer = await jetstream(nc).consumers.get(o.stream, o.durable);
      // one continuous pull with a bounded prefetch: a fetch per batch would wait out its 1 s minimum expiry with
      // messages in hand, and a short ack wait would then redeliver them
      const messages = await consumer.consume({ max_messages: o.prefetch ?? 1000 });
      const queue = new ArrivalQueue<JsMsg>();
      void (async () => {
        try {
          for await (const m of messages) queue.push(m);
        } catch (err) {
          queue.fail(
            new KeelError(DataErrors.SOURCE_UNREADABLE, `NATS consumer failed: ${(err as Error).message}`),
          );
        }
      })();
      const inFlight = new Map<string, JsMsg[]>();
      let lastSeq = 0;
      return {
        async pull(max, waitMs) {
          return (await queue.take(max, waitMs)).map((m) => {
            const id = m.headers?.get('Nats-Msg-Id') || String(m.seq);
            const list = inFlight.get(id) ?? [];
            list.push(m);
            inFlight.set(id, list);
            return { id, data: m.data };
          });
        },
        async ack(ids) {
          for (const id of ids) {
            for (const m of inFlight.get(id) ?? []) {
              m.ack();
              lastSeq = Math.max(lastSeq, m.seq);
            }
            inFlight.delete(id);
          }
          await nc.flush();
        },
        position: () => ({ stream: o.stream, durable: o.durable, lastAckedSeq: lastSeq }),
        async close() {
          await messages.close().catch(() => {});
          await nc.drain().catch(() => nc.close());
        },
      };
    },
    o.schema,
  );
}
