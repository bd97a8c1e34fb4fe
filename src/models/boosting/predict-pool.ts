// The prediction helper threads, kept between calls: starting a thread costs ~50–65 ms here, as long as scoring
// 100,000 rows, so a helper that finishes a batch waits for the next one (IDLE_MS) before it ends. One pool per process,
// as libuv keeps one thread pool: helpers are unref'd (they never keep a process alive) and closePredictionHelpers()
// ends them at once.

import { Worker } from 'node:worker_threads';

/** How long an idle helper waits for its next batch before it ends. */
export const IDLE_MS = 10_000;

interface PoolHelper {
  worker: Worker;
  /** jobs posted and not yet finished; -1 once the helper has ended (or is ending) */
  pending: Int32Array;
}

const pool: PoolHelper[] = [];
let started = 0;

function scriptUrl(): URL | null {
  try {
    // bundled elsewhere (a shadow worker's code is one data: module) there is no file to start
    const url = new URL('./predict-worker.mjs', import.meta.url);
    return url.protocol === 'file:' ? url : null;
  } catch {
    return null;
  }
}

function start(url: URL, idleMs: number): PoolHelper | null {
  const pending = new Int32Array(new SharedArrayBuffer(4));
  let worker: Worker;
  try {
    // plain JavaScript: without the parent's --import flags (a TypeScript loader) a helper starts in milliseconds
    worker = new Worker(url, { workerData: { pending, idleMs }, execArgv: [] });
  } catch {
    return null;
  }
  const helper = { worker, pending };
  // one that fails leaves its share of a batch to the others; it is dropped from the pool
  const drop = () => {
    Atomics.store(pending, 0, -1);
    const at = pool.indexOf(helper);
    if (at >= 0) pool.splice(at, 1);
  };
  worker.on('error', drop);
  worker.on('exit', drop);
  worker.unref();
  started++;
  pool.push(helper);
  return helper;
}

/** One more job for this helper, unless it has ended (then false). */
function reserve(h: PoolHelper): boolean {
  for (;;) {
    const v = Atomics.load(h.pending, 0);
    if (v < 0) return false;
    if (Atomics.compareExchange(h.pending, 0, v, v + 1) === v) return true;
  }
}

/**
 * Posts `job` to `count` helpers — the live ones first (the least busy), new ones started for the rest — and returns
 * how many took it (0 where threads cannot be started).
 */
export function postToHelpers(count: number, job: unknown, idleMs = IDLE_MS): number {
  const url = scriptUrl();
  if (!url || count < 1) return 0;
  let posted = 0;
  const live = pool
    .filter((h) => Atomics.load(h.pending, 0) >= 0)
    .sort((a, b) => Atomics.load(a.pending, 0) - Atomics.load(b.pending, 0));
  for (const h of live) {
    if (posted === count) break;
    if (!reserve(h)) continue;
    h.worker.postMessage(job);
    posted++;
  }
  while (posted < count) {
    const h = start(url, idleMs);
    if (!h || !reserve(h)) break;
    h.worker.postMessage(job);
    posted++;
  }
  return posted;
}

/**
 * Starts helpers until `count` are alive, without work: a fit that expects a large prediction next calls this while
 * it still trains, so the first batch does not wait for threads to start.
 */
export function warmPredictionHelpers(count: number, idleMs = IDLE_MS): void {
  const url = scriptUrl();
  if (!url) return;
  let live = pool.filter((h) => Atomics.load(h.pending, 0) >= 0).length;
  while (live < count && start(url, idleMs)) live++;
}

/** Helpers alive now and started since the process began (what tests check reuse with). */
export function predictionHelperStats(): { alive: number; started: number } {
  return { alive: pool.filter((h) => Atomics.load(h.pending, 0) >= 0).length, started };
}

/** Ends every helper now (a later batch starts new ones). */
export async function closePredictionHelpers(): Promise<void> {
  const all = pool.splice(0);
  for (const h of all) Atomics.store(h.pending, 0, -1);
  await Promise.all(all.map((h) => h.worker.terminate()));
}
