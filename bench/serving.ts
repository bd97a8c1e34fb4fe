// Serving benchmark: Keel's model server (boosted Adult model) against a bare Fastify endpoint parsing the same JSON,
// with autocannon on 127.0.0.1 — single-row requests, 100-row batches with micro-batching on, and alias moves under
// load. usage: node --import tsx bench/serving.ts [--seconds 20] [--connections 50]

import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { runTrainJob } from '../src/flow/index.ts';
import { DeploymentStore, ModelRegistry } from '../src/registry/index.ts';
import { openStore } from '../src/track/index.ts';

const arg = (n: string, d: string) => {
  const i = process.argv.indexOf(`--${n}`);
  return i >= 0 ? process.argv[i + 1] : d;
};
const SECONDS = Number(arg('seconds', '20'));
const CONNECTIONS = Number(arg('connections', '50'));
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

function start(
  cmd: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cmd, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[\d.:]+)/);
      if (m) resolve({ child, url: m[1] });
    });
    child.stderr?.on('data', () => {});
    child.on('exit', (c) => reject(new Error(`server exited (${c}): ${out}`)));
  });
}

async function load(
  url: string,
  body: string,
  o: { onResponse?: (status: number, body: string) => void } = {},
  model = 'adult',
) {
  const result = await autocannon({
    url: `${url}/v1/models/${model}/predict`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: SECONDS,
    ...(o.onResponse ? { requests: [{ method: 'POST', body, onResponse: o.onResponse }] } : {}),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
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

const rows: Record<string, string | number>[] = [];
const bare = await start([path.join(ROOT, 'bench/bare-fastify.mjs')]);
const b = await load(bare.url, single);
bare.child.kill('SIGTERM');
rows.push({
  run: 'bare Fastify, 1 row',
  'req/s': Math.round(b.rps),
  'p50 ms': b.p50,
  'p99 ms': b.p99,
  'non-2xx': b.non2xx,
  errors: b.errors,
});

const keelArgs = [
  'bin/keel.mjs',
  'serve',
  'adult@champion',
  '--port',
  '0',
  '--home',
  home,
  '--log-sample',
  '0',
  '--poll-seconds',
  '0.2',
];
const keel = await start(keelArgs);
const k = await load(keel.url, single);
rows.push({
  run: 'Keel, 1 row',
  'req/s': Math.round(k.rps),
  'p50 ms': k.p50,
  'p99 ms': k.p99,
  'non-2xx': k.non2xx,
  errors: k.errors,
});

// alias moves under load: every response must be 200 and name a version that was live
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
rows.push({
  run: 'Keel, 1 row, 10 alias moves',
  'req/s': Math.round(m.rps),
  'p50 ms': m.p50,
  'p99 ms': m.p99,
  'non-2xx': m.non2xx + bad,
  errors: m.errors,
});

const batched = await start([
  'bin/keel.mjs',
  'serve',
  '--deployment',
  'adult',
  '--port',
  '0',
  '--home',
  home,
  '--log-sample',
  '0',
  '--poll-seconds',
  '0',
]);
const bb = await load(batched.url, batch);
batched.child.kill('SIGTERM');
rows.push({
  run: 'Keel, 100-row batches, micro-batching',
  'req/s': Math.round(bb.rps),
  'p50 ms': bb.p50,
  'p99 ms': bb.p99,
  'non-2xx': bb.non2xx,
  errors: bb.errors,
  'rows/s': Math.round(bb.rps * 100),
});

// shadow isolation: the primary with a shadow that throws, and with one that never answers
const shadowRuns: Record<string, Awaited<ReturnType<typeof load>>> = {};
for (const fault of ['throw', 'hang']) {
  const srv = await start([
    'bin/keel.mjs',
    'serve',
    '--deployment',
    'shadowed',
    '--port',
    '0',
    '--home',
    home,
    '--log-sample',
    '0',
    '--poll-seconds',
    '0',
    '--shadow-fault',
    `shadow=${fault}`,
  ]);
  const r = await load(srv.url, single, {}, 'shadowed');
  srv.child.kill('SIGTERM');
  shadowRuns[fault] = r;
  rows.push({
    run: `Keel, 1 row, shadow that ${fault === 'throw' ? 'throws' : 'hangs'}`,
    'req/s': Math.round(r.rps),
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    'non-2xx': r.non2xx,
    errors: r.errors,
  });
}

console.log(
  `serving benchmark — ${CONNECTIONS} connections × ${SECONDS} s each, ${os.cpus().length} cores, ${new Date().toISOString()}`,
);
console.table(rows);
console.log(
  `Keel / bare throughput: ${(k.rps / b.rps).toFixed(2)} (target >= 0.60); Keel p99 ${k.p99} ms vs bound 2 × ${b.p99} + 1 = ${2 * b.p99 + 1} ms`,
);
console.log(
  `alias moves: versions answered ${[...versions].sort().join(', ')}; failed requests ${m.non2xx + bad + m.errors}`,
);
console.log(
  `shadow isolation: p99 ${k.p99} ms alone vs ${shadowRuns.throw.p99} ms (throwing shadow) and ${shadowRuns.hang.p99} ms (hanging shadow); ` +
    `errors ${k.non2xx + k.errors} vs ${shadowRuns.throw.non2xx + shadowRuns.throw.errors} and ${shadowRuns.hang.non2xx + shadowRuns.hang.errors}`,
);
console.log(`batched scoring: ${Math.round(bb.rps * 100).toLocaleString()} rows/s (target >= 200,000)`);
process.exit(0);
