// Streams as an async iterator of micro-batches (closed by row count or by time). A batch's messages are acknowledged
// only when the caller commits it, after storing its rows; until then a crash leaves them for redelivery.

import { DataErrors, type QuarantinedRow } from '../errors.ts';
import { RecordFramer } from '../records.ts';
import type { Schema } from '../schema.ts';
import type { SourceBatch, SourceDescription } from './source.ts';

/** One message as a transport hands it over: a stable id (used to drop redelivered duplicates) and its body. */
export interface StreamMessage {
  id: string;
  /** a record, or the raw bytes / text of one (parsed as JSON) */
  data: unknown;
}

/** What each stream kind implements; the batching, parsing and accounting are shared. */
export interface StreamTransport {
  /** up to `max` messages, waiting at most `waitMs` for the first */
  pull(max: number, waitMs: number): Promise<StreamMessage[]>;
  /** acknowledges messages so they are never delivered again */
  ack(ids: readonly string[]): Promise<void>;
  /** where the consumer stands now (for snapshots): last acked id, group, durable... */
  position(): Record<string, unknown>;
  close(): Promise<void>;
}

/**
 * Messages a transport's client pushes as they arrive, taken by `pull`: waits at most `waitMs` for the first one,
 * and reports a failure of the client at the next take.
 */
export class ArrivalQueue<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | undefined;
  private failure: Error | undefined;

  push(item: T): void {
    this.items.push(item);
    this.wake?.();
  }

  fail(err: Error): void {
    this.failure = err;
    this.wake?.();
  }

  async take(max: number, waitMs: number): Promise<T[]> {
    if (this.failure) throw this.failure;
    if (this.items.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
      if (this.failure) throw this.failure;
    }
    return this.items.splice(0, max);
  }
}

export interface MicroBatch extends SourceBatch {
  /** the message id of each accepted row, in row order */
  rowIds: string[];
  /** every message in the batch, accepted or quarantined */
  messageIds: string[];
  /** acknowledge the batch's messages; call after its rows are safely stored */
  commit(): Promise<void>;
}

export interface ConsumeOptions {
  /** a batch closes at this many messages (default 1,000) */
  maxRows?: number;
  /** …or this long after its first message arrived (default 500 ms) */
  maxWaitMs?: number;
  /** stop after this long with no message at all (default: never) */
  idleStopMs?: number;
  signal?: AbortSignal;
  /** told once the consumer is connected and subscribed: what is published from then on reaches it */
  onOpen?: () => void;
}

export interface StreamSource {
  readonly kind: string;
  describe(): SourceDescription;
  consume(options?: ConsumeOptions): AsyncGenerator<MicroBatch>;
  close(): Promise<void>;
}

function decode(data: unknown): { ok: true; value: unknown } | { ok: false; raw: string; reason: string } {
  if (data instanceof Uint8Array || typeof data === 'string') {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (err) {
      return { ok: false, raw: text.slice(0, 500), reason: `broken JSON: ${(err as Error).message}` };
    }
  }
  return { ok: true, value: data };
}

export function makeStreamSource(
  kind: string,
  location: string,
  open: () => Promise<StreamTransport>,
  schema?: Schema,
): StreamSource {
  let transport: StreamTransport | undefined;
  let framerSchema = schema;
  return {
    kind,
    describe: () => ({ kind, location, details: transport?.position() ?? {} }),
    async *consume(o: ConsumeOptions = {}): AsyncGenerator<MicroBatch> {
      transport ??= await open();
      const t = transport;
      o.onOpen?.();
      const maxRows = o.maxRows ?? 1000;
      const maxWait = o.maxWaitMs ?? 500;
      let idleSince = Date.now();
      let seq = 0;
      while (!o.signal?.aborted) {
        const msgs: StreamMessage[] = [];
        let firstAt = 0;
        while (msgs.length < maxRows && !o.signal?.aborted) {
          const left = firstAt === 0 ? maxWait : maxWait - (Date.now() - firstAt);
          if (left <= 0) break;
          const got = await t.pull(maxRows - msgs.length, left);
          if (got.length === 0) {
            if (firstAt !== 0) break;
            if (o.idleStopMs !== undefined && Date.now() - idleSince >= o.idleStopMs) return;
            continue;
          }
          if (firstAt === 0) firstAt = Date.now();
          msgs.push(...got);
        }
        if (msgs.length === 0) continue;
        idleSince = Date.now();
        const framer = new RecordFramer(location, framerSchema);
        const rowIds: string[] = [];
        const quarantinedIds = new Set<string>();
        for (const m of msgs) {
          seq++;
          const d = decode(m.data);
          if (d.ok) framer.push(d.value, seq, m.id);
          else framer.reject(seq, DataErrors.BAD_ROW, d.reason, d.raw, m.id);
        }
        const b = framer.flush();
        framerSchema ??= framer.schema;
        for (const q of b.quarantine as QuarantinedRow[]) quarantinedIds.add(q.offset as string);
        for (const m of msgs) if (!quarantinedIds.has(m.id)) rowIds.push(m.id);
        const messageIds = msgs.map((m) => m.id);
        let committed = false;
        yield {
          ...b,
          rowIds,
          messageIds,
          commit: async () => {
            if (committed) return;
            await t.ack(messageIds);
            committed = true;
          },
        };
      }
    },
    async close() {
      await transport?.close();
      transport = undefined;
    },
  };
}
