// Trust-boundary benchmark on the model server (boosted Adult model, `keel serve` from dist/, autocannon on
// 127.0.0.1): throughput with token authentication against the same server open; overload at 3× measured capacity
// (1-row and 1,000-row bodies: shed with 503 + Retry-After, accepted p99 against unloaded p99, timeouts, recovery);
// slow clients (1,000 slow-header and 300 slow-body sockets cut by the timeouts while a probe keeps its latency).
// usage: npm run build && node --import tsx bench/trust.ts [--only auth|overload|slow] [--seconds 10] [--rounds 3]
//        [--overload-seconds 60] [--max-in-flight 512] [--max-queue-ms 5] [--slow-headers 1000] [--slow-bodies 300]

import type { EventEmitter } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { AuthStore } from '../src/auth/index.ts';
import { median } from '../src/core/index.ts';
import { runTrainJob } from '../src/flow/index.ts';
import { DeploymentStore, ModelRegistry } from '../src/registry/index.ts';
import { openStore } from '../src/track/index.ts';
import { startServer as start } from './server-process.ts';

const arg = (n: string, d: string) => {
  const i = process.argv.indexOf(`--${n}`);
  return i >= 0 ? process.argv[i + 1] : d;
};
const SECONDS = Number(arg('seconds', '10'));
const ROUNDS = Number(arg('rounds', '3'));
const OVERLOAD_SECONDS = Number(arg('overload-seconds', '60'));
const MAX_IN_FLIGHT = arg('max-in-flight', '512');
const MAX_QUEUE_MS = arg('max-queue-ms', '5');
const SLOW_HEADERS = Number(arg('slow-headers', '1000'));
const SLOW_BODIES = Number(arg('slow-bodies', '300'));
const ONLY = arg('only', '');
const part = (name: string) => ONLY === '' || ONLY === name;
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

const pct = (xs: number[], q: number) => {
  const s = Float64Array.from(xs).sort();
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : Number.NaN;
};

interface Load {
  rps: number;
  /** latencies (ms) of 200 answers, and when each came (ms since start) */
  ok: number[];
  okAt: number[];
  shed: number;
  shedWithRetryAfter: number;
  other: number;
  timeouts: number;
  errors: number;
}

async function load(
  url: string,
  body: string,
  o: { connections: number; seconds: number; rate?: number; token?: string; model?: string },
): Promise<Load> {
  const out: Load = {
    rps: 0,
    ok: [],
    okAt: [],
    shed: 0,
    shedWithRetryAfter: 0,
    other: 0,
    timeouts: 0,
    errors: 0,
  };
  const t0 = Date.now();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const run = autocannon(<autocannon.Options>{
    url: `${url}/v1/models/${o.model ?? 'open'}/predict`,
    method: 'POST',
    headers,
    body,
    connections: o.connections,
    duration: o.seconds,
    timeout: 10,
    ...(o.rate ? { overallRate: o.rate } : {}),
    requests: [
      {
        method: 'POST',
        body,
        onResponse: (status: number, _b: string, _c: unknown, h: Record<string, string> | string[]) => {
          if (status !== 503) return;
          const has = Array.isArray(h)
            ? h.some((x, i) => i % 2 === 0 && String(x).toLowerCase() === 'retry-after')
            : h && Object.keys(h).some((k) => k.toLowerCase() === 'retry-after');
          if (has) out.shedWithRetryAfter++;
        },
      },
    ],
  });
  (run as unknown as EventEmitter).on('response', (_c, status: number, _b, ms: number) => {
    if (status === 200) {
      out.ok.push(ms);
      out.okAt.push(Date.now() - t0);
    } else if (status === 503) out.shed++;
    else out.other++;
  });
  const r = await run;
  out.rps = r.requests.average;
  out.timeouts = r.timeouts;
  out.errors = r.errors;
  return out;
}

// a trained model, two deployments of it (open, token-only), and a service token
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-trust-'));
const store = await openStore({ home });
const registry = await ModelRegistry.open(store);
const trained = await runTrainJob({
  file: path.join(ROOT, 'examples/adult/adult.csv'),
  target: 'income',
  task: 'binary',
  modelName: 'adult',
  experiment: 'bench',
  store,
  registry,
  models: [{ kind: 'gradient_boosting' }],
});
const deployments = await DeploymentStore.open(store);
await deployments.apply({ name: 'open', arms: [{ name: 'main', ref: 'adult@champion' }] });
await deployments.apply({ name: 'closed', access: 'token', arms: [{ name: 'main', ref: 'adult@champion' }] });
const auth = await AuthStore.open(store.sql);
await auth.addIdentity('bench', { kind: 'service', by: 'bench', roles: { default: 'service' } });
const { token } = await auth.createToken('bench', { by: 'bench', days: 1 });
await store.close();
const row = trained.example_rows[0];
const single = JSON.stringify({ instance: row });
const thousand = JSON.stringify({
  instances: Array.from({ length: 1000 }, (_, i) => ({ ...row, age: 20 + (i % 50) })),
});
const serve = (extra: string[] = []) =>
  start([
    'bin/keel.mjs',
    'serve',
    '--deployment',
    'open',
    '--deployment',
    'closed',
    '--port',
    '0',
    '--home',
    home,
    '--log-sample',
    '0',
    '--poll-seconds',
    '0',
    ...extra,
  ]);
const lines: string[] = [];
const say = (s: string) => {
  lines.push(s);
  process.stdout.write(`${s}\n`);
};
say(`# trust bench ${new Date().toISOString()} — ${os.cpus().length} cores, node ${process.version}`);

if (part('auth')) {
  const open: number[] = [];
  const closed: number[] = [];
  const p99: Record<string, number[]> = { open: [], closed: [] };
  const s = await serve();
  await load(s.url, single, { connections: 50, seconds: 3 }); // warm-up
  await load(s.url, single, { connections: 50, seconds: 3, model: 'closed', token });
  // ABBA order: a drift of the machine within a round hits both sides alike
  for (let r = 0; r < ROUNDS; r++) {
    const runOpen = () => load(s.url, single, { connections: 50, seconds: SECONDS, model: 'open' });
    const runClosed = () =>
      load(s.url, single, { connections: 50, seconds: SECONDS, model: 'closed', token });
    let a: Load;
    let b: Load;
    if (r % 2 === 0) {
      a = await runOpen();
      b = await runClosed();
    } else {
      b = await runClosed();
      a = await runOpen();
    }
    if (a.other + b.other + a.errors + b.errors > 0) say(`  round ${r}: unexpected non-200 answers`);
    open.push(a.rps);
    closed.push(b.rps);
    p99.open.push(pct(a.ok, 0.99));
    p99.closed.push(pct(b.ok, 0.99));
  }
  // the server's own CPU time per request at a fixed rate both sides sustain: far less noisy than peak throughput
  const cpuOf = (pid: number) => {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * (1e6 / 100); // utime + stime, clock ticks (100/s) → µs
  };
  const perRequest: Record<'open' | 'closed', number[]> = { open: [], closed: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of r % 2 === 0 ? (['open', 'closed'] as const) : (['closed', 'open'] as const)) {
      const before = cpuOf(s.child.pid as number);
      const l = await load(s.url, single, {
        connections: 20,
        seconds: SECONDS,
        rate: 6000,
        model: side,
        token: side === 'closed' ? token : undefined,
      });
      perRequest[side].push((cpuOf(s.child.pid as number) - before) / Math.max(1, l.ok.length));
    }
  }
  s.child.kill('SIGTERM');
  const cpuRatio = median(perRequest.closed) / median(perRequest.open);
  say(
    `auth CPU per request at 6,000 req/s: open ${median(perRequest.open).toFixed(1)} µs, with a token ${median(perRequest.closed).toFixed(1)} µs: ${((cpuRatio - 1) * 100).toFixed(1)} % more (rounds open ${perRequest.open.map((x) => x.toFixed(0)).join('/')}, token ${perRequest.closed.map((x) => x.toFixed(0)).join('/')})`,
  );
  const ratios = closed.map((c, i) => c / open[i]);
  say(
    `auth: open ${Math.round(median(open))} req/s (p99 ${median(p99.open).toFixed(2)} ms), with a token ${Math.round(median(closed))} req/s (p99 ${median(p99.closed).toFixed(2)} ms); ratio of medians ${(median(closed) / median(open)).toFixed(3)}, median of round ratios ${median(ratios).toFixed(3)} (rounds ${ratios.map((x) => x.toFixed(3)).join(', ')}; target >= 0.95)`,
  );
}

if (part('overload')) {
  for (const [label, body] of [
    ['1 row', single],
    ['1,000 rows', thousand],
  ] as const) {
    const s = await serve(['--max-in-flight', MAX_IN_FLIGHT, '--max-queue-ms', MAX_QUEUE_MS]);
    await load(s.url, body, { connections: 4, seconds: 3 }); // warm-up
    const cap = await load(s.url, body, { connections: 8, seconds: SECONDS });
    const quiet = await load(s.url, body, { connections: 1, seconds: SECONDS });
    const quietP99 = pct(quiet.ok, 0.99);
    const rate = Math.round(3 * cap.rps);
    const over = await load(s.url, body, {
      connections: Math.min(400, Math.max(64, Math.round(rate / 20))),
      seconds: OVERLOAD_SECONDS,
      rate,
    });
    const after = await load(s.url, body, { connections: 1, seconds: 10 });
    // the first second after the overload whose p99 is back within 2× the unloaded p99
    let back = -1;
    for (let sec = 0; sec < 10 && back < 0; sec++) {
      const inSec = after.ok.filter(
        (_, i) => after.okAt[i] >= sec * 1000 && after.okAt[i] < (sec + 1) * 1000,
      );
      if (inSec.length > 0 && pct(inSec, 0.99) <= 2 * quietP99) back = sec + 1;
    }
    s.child.kill('SIGTERM');
    const total = over.ok.length + over.shed + over.other;
    say(
      `overload, ${label}: capacity ${Math.round(cap.rps)} req/s (8 connections), unloaded p99 ${quietP99.toFixed(2)} ms; ` +
        `offered ${rate} req/s for ${OVERLOAD_SECONDS} s: ${total} answered, ${over.ok.length} accepted (${Math.round(over.ok.length / OVERLOAD_SECONDS)} req/s), ` +
        `${over.shed} shed with 503 (${over.shedWithRetryAfter} with Retry-After), ${over.other} other, ${over.timeouts} timeouts, ${over.errors} errors; ` +
        `accepted p50 ${pct(over.ok, 0.5).toFixed(2)} ms, p99 ${pct(over.ok, 0.99).toFixed(2)} ms = ${(pct(over.ok, 0.99) / quietP99).toFixed(2)}× unloaded (target <= 2); ` +
        `back within 2× unloaded p99 after ${back < 0 ? '> 10' : back} s`,
    );
  }
}

if (part('slow')) {
  const s = await serve();
  const probe = (seconds: number) => load(s.url, single, { connections: 1, seconds });
  await probe(3);
  const normal = await probe(SECONDS);
  const normalP99 = pct(normal.ok, 0.99);
  const closedAt: { kind: string; ms: number }[] = [];
  const sockets: net.Socket[] = [];
  const t0 = Date.now();
  const open = (kind: string, first: string, drip: string) => {
    const sock = net.connect(s.port, '127.0.0.1', () => sock.write(first));
    const timer = setInterval(() => sock.write(drip), 5000);
    sock.on('error', () => {});
    sock.on('data', () => {});
    sock.on('close', () => {
      clearInterval(timer);
      closedAt.push({ kind, ms: Date.now() - t0 });
    });
    sockets.push(sock);
  };
  for (let i = 0; i < SLOW_HEADERS; i++)
    open('headers', 'GET /health/live HTTP/1.1\r\nHost: localhost\r\n', 'X-a: b\r\n');
  for (let i = 0; i < SLOW_BODIES; i++)
    open(
      'body',
      'POST /v1/models/open/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
      ' ',
    );
  const during = await probe(35);
  const deadline = Date.now() + 15_000;
  while (closedAt.length < sockets.length && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  s.child.kill('SIGTERM');
  for (const sock of sockets) sock.destroy();
  const of = (k: string) => closedAt.filter((c) => c.kind === k).map((c) => c.ms);
  const h = of('headers');
  const b = of('body');
  say(
    `slow clients: ${h.length}/${SLOW_HEADERS} slow-header sockets cut, the last after ${(Math.max(...h) / 1000).toFixed(1)} s (headers timeout 10 s); ` +
      `${b.length}/${SLOW_BODIES} slow-body sockets cut, the last after ${(Math.max(...b) / 1000).toFixed(1)} s (request timeout 30 s); ` +
      `probe p99 ${pct(during.ok, 0.99).toFixed(2)} ms meanwhile vs ${normalP99.toFixed(2)} ms normal = ${(pct(during.ok, 0.99) / normalP99).toFixed(2)}× (target <= 2), ` +
      `probe errors ${during.errors + during.other + during.timeouts}`,
  );
}
process.exit(0);
