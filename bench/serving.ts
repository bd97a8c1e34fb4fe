// Serving benchmark: Keel's model server (boosted Adult model) against a bare Fastify endpoint parsing the same JSON,
// with autocannon on 127.0.0.1 — single-row requests, 100-row batches with micro-batching on, and alias moves under
// load, and a shadow arm's faults against the primary alone. usage: node --import tsx bench/serving.ts [--seconds 20]
// [--connections 50] [--rounds 3] [--warmup 2] [--only single|alias|batch|shadow]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { runTrainJob } from '../src/flow/index.ts';
import { DeploymentStore, ModelRegistry } from '../src/registry/index.ts';
import { openStore } from '../src/track/index.ts';
import { startServer as start } from './server-process.ts';

const arg = (n: string, d: string) => {
  const i = process.argv.indexOf(`--${n}`);
  return i >= 0 ? process.argv[i + 1] : d;
};
const SECONDS = Number(arg('seconds', '20'));
const ROUNDS = Number(arg('rounds', '3'));
const WARMUP_SECONDS = Number(arg('warmup', '2'));
/** run one part only: single (bare vs Keel), alias, batch or shadow */
const ONLY = arg('only', '');
const part = (name: string) => ONLY === '' || ONLY === name;
const CONNECTIONS = Number(arg('connections', '50'));
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Median of a few numbers. */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function load(
  url: string,
  body: string,
  o: { onResponse?: (status: number, body: string) => void } = {},
  model = 'adult',
) {
  const instance = autocannon(<autocannon.Options>{
    url: `${url}/v1/models/${model}/predict`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: SECONDS,
    // JIT, caches and any shadow worker warm up first; the warm-up's responses are not counted
    warmup: { connections: CONNECTIONS, duration: WARMUP_SECONDS },
    ...(o.onResponse ? { requests: [{ method: 'POST', body, onResponse: o.onResponse }] } : {}),
  });
  // autocannon's own percentiles are whole milliseconds; its response events carry the exact time
  let latencies = new Float64Array(1 << 20);
  let n = 0;
  // the returned promise is also the run's event emitter
  (instance as unknown as import('node:events').EventEmitter).on('response', (_c, _s, _b, ms: number) => {
    if (n === latencies.length) {
      const grown = new Float64Array(n * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[n++] = ms;
  });
  const result = await instance;
  const sorted = latencies.subarray(0, n).sort();
  const at = (q: number) => sorted[Math.min(n - 1, Math.floor(q * n))] ?? Number.NaN;
  return {
    rps: result.requests.average,
    /** exact percentiles in ms, from every response */
    p50x: at(0.5),
    p99x: at(0.99),
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-serve-'));
const store = await openStore({ home });
const registry = await ModelRegistry.open(store);
const file = path.join(ROOT, 'examples/adult/adult.csv');
const trained = await runTrainJob({
  file,
  target: 'income',
  task: 'binary',
  modelName: 'adult',
  experiment: 'bench',
  store,
  registry,
  models: [{ kind: 'gradient_boosting' }],
});
await runTrainJob({
  file,
  target: 'income',
  task: 'binary',
  modelName: 'adult',
  experiment: 'bench',
  store,
  registry,
  models: [{ kind: 'gradient_boosting', params: { n_estimators: 150 } }],
  promote: null,
});
const deployments = await DeploymentStore.open(store);
await deployments.apply({
  name: 'adult',
  arms: [{ name: 'main', ref: 'adult@champion' }],
  batch: { maxRows: 2000, maxWaitMs: 1 },
});
// the shadow comparison: the same primary alone, and with a shadow arm
await deployments.apply({ name: 'alone', arms: [{ name: 'main', ref: 'adult@1' }] });
await deployments.apply({
  name: 'shadowed',
  arms: [
    { name: 'main', ref: 'adult@1' },
    { name: 'shadow', ref: 'adult@2', shadow: true },
  ],
});
await store.close();
const row = trained.example_rows[0];
const single = JSON.stringify({ instance: row });
const batch = JSON.stringify({
  instances: Array.from({ length: 100 }, (_, i) => ({ ...row, age: 20 + (i % 50) })),
});

type Run = Awaited<ReturnType<typeof load>>;
const rows: Record<string, string | number>[] = [];
/** One table row from the rounds of one configuration: medians, and the spread of throughput. */
const summary = (run: string, runs: Run[], extra: Record<string, number> = {}) => {
  const rps = runs.map((r) => r.rps);
  rows.push({
    run,
    'req/s': Math.round(median(rps)),
    'req/s range': `${Math.round(Math.min(...rps))}–${Math.round(Math.max(...rps))}`,
    'p50 ms': median(runs.map((r) => r.p50x)).toFixed(2),
    'p99 ms': median(runs.map((r) => r.p99x)).toFixed(2),
    'non-2xx': runs.reduce((a, r) => a + r.non2xx, 0),
    errors: runs.reduce((a, r) => a + r.errors, 0),
    ...extra,
  });
};
const serve = (extra: string[]) =>
  start(['bin/keel.mjs', 'serve', ...extra, '--port', '0', '--home', home, '--log-sample', '0']);

const notes: string[] = [];

// single-row throughput: bare Fastify and Keel alternate, ROUNDS each, so drifts of the machine hit both
if (part('single')) {
  const bareRuns: Run[] = [];
  const keelRuns: Run[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const bare = await start([path.join(ROOT, 'bench/bare-fastify.mjs')]);
    bareRuns.push(await load(bare.url, single));
    bare.child.kill('SIGTERM');
    const keel = await serve(['adult@champion', '--poll-seconds', '0.2']);
    keelRuns.push(await load(keel.url, single));
    keel.child.kill('SIGTERM');
  }
  summary('bare Fastify, 1 row', bareRuns);
  summary('Keel, 1 row', keelRuns);
  const ratios = keelRuns.map((k, i) => k.rps / bareRuns[i].rps);
  const bareP99 = median(bareRuns.map((r) => r.p99x));
  const keelP99 = median(keelRuns.map((r) => r.p99x));
  notes.push(
    `Keel / bare throughput: median ${median(ratios).toFixed(2)} (rounds ${ratios.map((x) => x.toFixed(2)).join(', ')}; target >= 0.60); ` +
      `Keel p99 ${keelP99.toFixed(2)} ms vs bound 2 × ${bareP99.toFixed(2)} + 1 = ${(2 * bareP99 + 1).toFixed(2)} ms`,
  );
}

// alias moves under load: every response must be 200 and name a version that was live
if (part('alias')) {
  const keel = await serve(['adult@champion', '--poll-seconds', '0.2']);
  const versions = new Set<number>();
  let bad = 0;
  const moving = load(keel.url, single, {
    onResponse: (status, text) => {
      if (status !== 200) bad++;
      else versions.add(JSON.parse(text).version);
    },
  });
  const mover = await openStore({ home });
  const reg = await ModelRegistry.open(mover);
  // the moves start after the warm-up, inside the measured run
  await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 12));
    await reg.promote({
      name: 'adult',
      version: i % 2 === 0 ? 2 : 1,
      alias: 'champion',
      gates: [],
      reason: `bench move ${i}`,
    });
  }
  const m = await moving;
  await mover.close();
  keel.child.kill('SIGTERM');
  summary('Keel, 1 row, 10 alias moves', [m]);
  notes.push(
    `alias moves: versions answered ${[...versions].sort().join(', ')}; failed requests ${m.non2xx + bad + m.errors}`,
  );
}

if (part('batch')) {
  const batched = await serve(['--deployment', 'adult', '--poll-seconds', '0']);
  const bb = await load(batched.url, batch);
  batched.child.kill('SIGTERM');
  summary('Keel, 100-row batches, micro-batching', [bb], { 'rows/s': Math.round(bb.rps * 100) });
  notes.push(`batched scoring: ${Math.round(bb.rps * 100).toLocaleString()} rows/s (target >= 200,000)`);
}

// shadow isolation: the primary alone, with a shadow that throws, one that never answers (idle) and one that never
// answers while burning its core — in alternating rounds
if (part('shadow')) {
  const shadowCases = [
    { name: 'alone', args: ['--deployment', 'alone'], model: 'alone' },
    {
      name: 'throws',
      args: ['--deployment', 'shadowed', '--shadow-fault', 'shadow=throw'],
      model: 'shadowed',
    },
    {
      name: 'hangs (idle)',
      args: ['--deployment', 'shadowed', '--shadow-fault', 'shadow=hang'],
      model: 'shadowed',
    },
    { name: 'spins', args: ['--deployment', 'shadowed', '--shadow-fault', 'shadow=spin'], model: 'shadowed' },
  ];
  const shadowRuns = new Map<string, Run[]>(shadowCases.map((c) => [c.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    // the order rotates from round to round, so no case always runs right after another
    for (let i = 0; i < shadowCases.length; i++) {
      const c = shadowCases[(i + r) % shadowCases.length];
      const srv = await serve([...c.args, '--poll-seconds', '0']);
      shadowRuns.get(c.name)?.push(await load(srv.url, single, {}, c.model));
      srv.child.kill('SIGTERM');
    }
  }
  for (const c of shadowCases)
    summary(
      `Keel, 1 row, ${c.name === 'alone' ? 'no shadow' : `shadow that ${c.name}`}`,
      shadowRuns.get(c.name) ?? [],
    );
  const alone = shadowRuns.get('alone') ?? [];
  for (const c of shadowCases.slice(1)) {
    const runs = shadowRuns.get(c.name) ?? [];
    const p99 = median(runs.map((r) => r.p99x)) / median(alone.map((r) => r.p99x));
    const rps = median(runs.map((r) => r.rps)) / median(alone.map((r) => r.rps));
    const errs = runs.reduce((a, r) => a + r.non2xx + r.errors, 0);
    const rounds = (rs: Run[]) => rs.map((r) => r.p99x.toFixed(2)).join(' ');
    notes.push(
      `shadow that ${c.name}: p99 ${((p99 - 1) * 100).toFixed(1)}% vs no shadow (target within 5%), ` +
        `throughput ${((rps - 1) * 100).toFixed(1)}%, errors ${errs}; p99 by round ${rounds(runs)} ms vs ${rounds(alone)} ms`,
    );
  }
}

console.log(
  `serving benchmark — ${CONNECTIONS} connections × ${SECONDS} s each after ${WARMUP_SECONDS} s of warm-up, ${ROUNDS} rounds, ` +
    `${os.cpus().length} cores, ${new Date().toISOString()}`,
);
console.log(
  '(req/s and percentiles are medians over the rounds; percentiles from every response, not whole ms)',
);
console.table(rows);
for (const n of notes) console.log(n);
process.exit(0);
