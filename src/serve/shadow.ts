// Shadow scoring on a worker thread, at a cost to the primary of a few array writes per copy: the request's JSON text
// (already validated) is appended to a batch that goes to the worker as one string every few milliseconds, pending
// copies sit in a fixed ring (no objects per copy), and answers come back as typed arrays (class indexes, values).
// Copies are bounded (beyond maxPending they are dropped and counted); answers that do not come within timeoutMs count
// as failed; a worker that keeps timing out is stuck: copies are dropped for a growing pause, and the worker is replaced
// only if its event loop is blocked. A worker that holds copies and says nothing for far longer than its batches ever
// took is asked at once whether its loop is alive, so a spinning shadow is ended within a few hundred milliseconds, not
// after the copies' timeout. The worker thread runs at the lowest CPU priority where the OS allows — a throwing or
// hanging shadow costs the primary little and can never break it.

import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { shadowWorkerUrl } from './shadow-script.ts';

/** A batch's answers: rows of every copy in the batch, in order. */
export interface ShadowBatch {
  /** classification: index of each row's label in the shadow model's classes */
  labelIndex?: Int32Array;
  /** regression: each row's value */
  values?: Float64Array;
}

/**
 * Called once per copy with what send() was given: with the batch and the copy's first row in it, or with the error
 * that failed the copy.
 */
export type ShadowHandler = (
  copy: { primary: unknown; primaryValue: number; rows: number; input: unknown },
  batch: ShadowBatch | null,
  offset: number,
  error: Error | null,
  latencyMs: number,
) => void;

/** the worker's answer to the batch of copies first … first + count - 1 */
interface BatchMessage extends ShadowBatch {
  first: number;
  count: number;
  /** rows per copy, where some copy has more than one */
  rows?: Int32Array;
  /** how long the worker spent on the batch */
  busyMs?: number;
  error?: string;
}

/** resilience tests only: a shadow that throws, never answers (idle), never answers (spinning), or takes 120 ms a batch */
export type ShadowFault = 'throw' | 'hang' | 'spin' | 'slow';

/** copies separated by NUL, which a parsed JSON text cannot hold raw */
export const COPY_SEPARATOR = '\u0000';
const FLUSH_MS = 2;
const PING_WAIT_MS = 100;
/**
 * A worker that has burnt this much CPU (or 3× its longest batch) since it was pinged, without a sign of life, is
 * blocked. CPU time, not wall time: a low-priority thread starved on a busy host burns none and is waited for, while
 * a spinning one is ended as fast as on an idle host.
 */
const BLOCKED_CPU_MS = 100;
/** rounds of PING_WAIT_MS a starved worker is waited for before it is called blocked all the same (10 s) */
const MAX_STARVED_ROUNDS = 100;
/** where the thread's CPU time cannot be read (not Linux): the waits of successive pings, 2.1 s in all */
const PING_WAITS_MS = [100, 400, 1600];

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux, whatever the kernel's own tick). */
const USER_HZ = 100;

/** CPU milliseconds a thread of this process has used (user + system), or null where it cannot be read. */
function threadCpuMs(tid: number | null): number | null {
  if (tid === null) return null;
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
    // fields after the command name (which may hold spaces) in brackets: state is the 3rd field, utime the 14th
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}
/** silence while holding copies before the loop is probed: at least this, or 10× the longest batch the worker took */
const BLOCKED_FLOOR_MS = 100;

export class ShadowWorker {
  private worker: Worker | null;
  /** how often the worker was found stuck */
  stuckCount = 0;
  /** the worker said it loaded its model */
  private ready = false;
  private pings = 0;
  /** the ping a stuck worker has not answered yet (0: none) */
  private awaitingPong = 0;
  /** when the worker last sent anything (performance.now()) */
  private heardAt = 0;
  /** the longest time the worker spent on one batch */
  private longestBusyMs = 0;
  private readonly bytes: Uint8Array;
  private readonly fault: ShadowFault | undefined;
  private readonly timeoutMs: number;
  private readonly handler: ShadowHandler;
  // pending copies: ids head … next - 1, copy id lives in slot id % capacity
  private readonly capacity: number;
  private readonly sentAt: Float64Array;
  private readonly primaryValues: Float64Array;
  private readonly rowCounts: Int32Array;
  private readonly primaries: unknown[];
  private readonly inputs: unknown[];
  /** handed to the handler, refilled for each copy (the handler must not keep it) */
  private readonly settled = { primary: null as unknown, primaryValue: 0, rows: 0, input: null as unknown };
  private head = 1;
  private next = 1;
  private batchFirst = 1;
  private texts: string[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly flushNow = () => this.flush();
  private readonly sweeper: NodeJS.Timeout;
  private timeoutsInARow = 0;
  private pausedUntil = 0;
  private pauseMs = 1000;
  restarts = 0;
  /** the worker runs at the lowest CPU priority (Linux), so a busy or stuck shadow yields the cores to the primary */
  lowPriority = false;
  /** the worker thread's OS id, whose CPU time the liveness verdict reads (null where it cannot) */
  private tid: number | null = null;

  constructor(
    bytes: Uint8Array,
    o: {
      handler: ShadowHandler;
      maxPending?: number;
      timeoutMs?: number;
      fault?: ShadowFault;
    },
  ) {
    this.bytes = bytes;
    this.fault = o.fault;
    this.handler = o.handler;
    this.capacity = o.maxPending ?? 256;
    this.sentAt = new Float64Array(this.capacity);
    this.primaryValues = new Float64Array(this.capacity);
    this.rowCounts = new Int32Array(this.capacity);
    this.primaries = new Array(this.capacity).fill(null);
    this.inputs = new Array(this.capacity).fill(null);
    this.timeoutMs = o.timeoutMs ?? 2000;
    this.worker = this.spawn();
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(50, this.timeoutMs / 2)));
    this.sweeper.unref();
  }

  private spawn(): Worker {
    const w = new Worker(shadowWorkerUrl(), {
      workerData: { bytes: this.bytes, fault: this.fault },
      // the code needs no loader (one bundled module, or an entry that registers its own), so the parent's --import
      // flags are not run again in the thread
      execArgv: [],
    });
    w.unref();
    this.ready = false;
    this.awaitingPong = 0;
    w.on(
      'message',
      (m: BatchMessage | { ready: true; lowPriority: boolean; tid: number | null } | { pong: number }) => {
        if (w !== this.worker) return;
        this.heardAt = performance.now();
        // from the ready message on, time without answers counts against the worker (its start-up does not)
        if ('ready' in m) {
          this.ready = true;
          this.lowPriority = m.lowPriority;
          this.tid = m.tid;
        } else if ('pong' in m) {
          if (m.pong === this.awaitingPong) this.awaitingPong = 0;
        } else this.answered(m);
      },
    );
    // a worker that dies is not respawned at once (a crash loop would cost the primary a thread start per copy)
    const died = (err: Error) => {
      if (w !== this.worker) return;
      this.worker = null;
      this.failAll(err);
      this.pause();
    };
    w.on('error', died);
    w.on('exit', (code) => died(new Error(`shadow worker exited with code ${code}`)));
    return w;
  }

  /** Hands copy `head` to the handler and frees its slot. */
  private settle(batch: ShadowBatch | null, offset: number, error: Error | null, now: number): void {
    const slot = this.head % this.capacity;
    const copy = this.settled;
    copy.primary = this.primaries[slot];
    copy.primaryValue = this.primaryValues[slot];
    copy.rows = this.rowCounts[slot];
    copy.input = this.inputs[slot];
    this.primaries[slot] = null;
    this.inputs[slot] = null;
    this.head++;
    this.handler(copy, batch, offset, error, now - this.sentAt[slot]);
  }

  private answered(m: BatchMessage): void {
    const now = performance.now();
    const end = m.first + m.count;
    // copies older than the batch were lost with a replaced worker's queue
    if (this.head < m.first && this.head < this.next) {
      const lost = new Error('shadow answer lost');
      while (this.head < m.first && this.head < this.next) this.settle(null, 0, lost, now);
    }
    const error = m.error === undefined ? null : new Error(m.error);
    let offset = 0;
    for (let id = m.first; id < end; id++) {
      if (id === this.head) this.settle(error ? null : m, offset, error, now);
      offset += m.rows ? m.rows[id - m.first] : 1;
    }
    this.timeoutsInARow = 0;
    this.pauseMs = 1000;
    if (m.busyMs !== undefined && m.busyMs > this.longestBusyMs) this.longestBusyMs = m.busyMs;
  }

  /**
   * Queues a copy: `text` is a request body holding `instance` or `instances` of `rows` rows; `primary`,
   * `primaryValue` and `input` come back to the handler. False when the copy was dropped (too many pending, or the
   * shadow paused after repeated hangs); otherwise the handler is called exactly once.
   *
   * Keep what is held small and long-lived: objects that wait here for seconds (a hung shadow) teach V8 to allocate
   * them in the old generation from then on, and the primary's GC pauses grow.
   */
  send(text: string, rows: number, primary: unknown, primaryValue: number, input: unknown): boolean {
    if (this.next - this.head >= this.capacity) return false;
    if (this.pausedUntil !== 0) {
      if (Date.now() < this.pausedUntil) return false;
      this.pausedUntil = 0;
    }
    this.worker ??= this.spawn();
    const slot = this.next % this.capacity;
    this.sentAt[slot] = performance.now();
    this.rowCounts[slot] = rows;
    this.primaryValues[slot] = primaryValue;
    this.primaries[slot] = primary;
    this.inputs[slot] = input;
    this.next++;
    this.texts.push(text);
    this.flushTimer ??= setTimeout(this.flushNow, FLUSH_MS);
    return true;
  }

  private flush(): void {
    this.flushTimer = null;
    if (this.texts.length === 0) return;
    this.worker?.postMessage({
      first: this.batchFirst,
      count: this.texts.length,
      text: this.texts.join(COPY_SEPARATOR),
    });
    this.batchFirst = this.next;
    this.texts = [];
  }

  /**
   * Copies older than timeoutMs fail; three expired copies with no answer in between make the worker stuck. A worker
   * silent for much longer than its batches take, with copies posted to it, is probed.
   */
  private sweep(): void {
    const now = performance.now();
    if (this.ready && this.awaitingPong === 0 && this.head < this.batchFirst) {
      const silentFor = now - Math.max(this.sentAt[this.head % this.capacity], this.heardAt);
      const limit = Math.min(this.timeoutMs, Math.max(BLOCKED_FLOOR_MS, 10 * this.longestBusyMs));
      if (silentFor >= limit) this.probe();
    }
    let expired = 0;
    let late: Error | null = null;
    while (this.head < this.next && now - this.sentAt[this.head % this.capacity] >= this.timeoutMs) {
      // a copy still in the unsent batch leaves it: the batch starts after it
      if (this.head >= this.batchFirst) {
        this.texts.shift();
        this.batchFirst++;
      }
      // one error for all (an error's stack trace costs microseconds)
      late ??= new Error(`shadow did not answer within ${this.timeoutMs} ms`);
      this.settle(null, 0, late, now);
      expired++;
    }
    if (expired === 0 || !this.ready) return;
    this.timeoutsInARow += expired;
    if (this.timeoutsInARow >= 3) this.stuck();
  }

  /**
   * A stuck worker (its copies time out) is replaced only if its event loop is blocked (a spin): it is probed, and one
   * that answers is merely idle — it would hang again just the same, and a new thread costs the primary's machine a few
   * hundred ms of CPU. Either way copies pause for a growing time; a replacement starts when the pause ends.
   */
  private stuck(): void {
    this.timeoutsInARow = 0;
    this.stuckCount++;
    this.failAll(new Error('shadow worker stuck'));
    this.pause();
    this.probe();
  }

  /** Drops copies for the current pause, and makes the next one `growth` times longer (at most a minute). */
  private pause(growth = 2): void {
    this.pausedUntil = Date.now() + this.pauseMs;
    this.pauseMs = Math.min(60_000, this.pauseMs * growth);
  }

  /**
   * Pings the worker: a loop that is not blocked answers it (or a queued batch) within milliseconds once it runs —
   * the wait is about that, not the shadow's budget. Where the thread's CPU time can be read, it is blocked once it
   * has burnt BLOCKED_CPU_MS (or 3× its longest batch) since the first ping without a sign of life; a thread starved
   * of CPU on a busy host burns nothing and is pinged again. Elsewhere, silence through pings of 100, 400 and
   * 1,600 ms is the verdict. A blocked worker is terminated, its copies fail and copies pause; a replacement starts
   * when the pause ends.
   */
  private probe(round = 0, cpuAtFirstPing: number | null = null): void {
    const w = this.worker;
    if (!w || (round === 0 && this.awaitingPong !== 0)) return;
    const token = ++this.pings;
    this.awaitingPong = token;
    const askedAt = performance.now();
    const cpu0 = round === 0 ? threadCpuMs(this.tid) : cpuAtFirstPing;
    w.postMessage({ ping: token });
    setTimeout(
      () => {
        if (this.worker !== w || this.awaitingPong !== token) return;
        if (this.heardAt >= askedAt) {
          this.awaitingPong = 0;
          return; // busy with queued batches, but alive
        }
        const now = threadCpuMs(this.tid);
        const waitMore =
          cpu0 !== null && now !== null
            ? now - cpu0 < Math.max(BLOCKED_CPU_MS, 3 * this.longestBusyMs) && round + 1 < MAX_STARVED_ROUNDS
            : round + 1 < PING_WAITS_MS.length;
        if (waitMore) {
          this.probe(round + 1, cpu0); // still pinging: awaitingPong moves to the new token
          return;
        }
        this.blocked(w);
      },
      cpu0 !== null ? PING_WAIT_MS : PING_WAITS_MS[round],
    ).unref();
  }

  /** Ends a worker whose loop is blocked: its copies fail, copies pause, a replacement starts after the pause. */
  private blocked(w: Worker): void {
    this.awaitingPong = 0;
    this.restarts++;
    this.worker = null;
    void w.terminate();
    if (this.head < this.next) {
      this.stuckCount++;
      this.failAll(new Error('shadow worker blocked'));
    }
    // a replacement costs a thread start and will likely block again: its pauses grow faster
    if (this.pausedUntil <= Date.now()) this.pause(4);
  }

  private failAll(err: Error): void {
    const now = performance.now();
    while (this.head < this.next) this.settle(null, 0, err, now);
    this.texts = [];
    this.batchFirst = this.next;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.failAll(new Error('closed'));
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }
}
