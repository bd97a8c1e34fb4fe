// Run inside a private mount namespace by disk-full.test.ts: a Keel home on a small tmpfs, filled to the last byte,
// then train, serve and the API are tried against it. Prints one JSON line of what each step saw.

import fs from 'node:fs';
import path from 'node:path';
import { AuthStore } from '../../src/auth/index.ts';
import { openStore } from '../../src/track/index.ts';
import { keel, keelUntil } from './helpers.ts';

const dir = process.argv[2];
// never fill a real disk: the folder must be the small tmpfs the test mounted
const fsStat = fs.statfsSync(dir);
if (!dir || fsStat.blocks * fsStat.bsize > 256 * 1024 * 1024) {
  process.stderr.write(`${dir} is not a small mounted file system; refusing to fill it\n`);
  process.exit(2);
}
const home = path.join(dir, 'home');
const csv = path.join(dir, 'data.csv');
const lines = ['x,color,label'];
for (let i = 0; i < 300; i++) lines.push(`${i % 17},${['red', 'blue'][i % 2]},${i % 17 > 8 ? 'yes' : 'no'}`);
fs.writeFileSync(csv, `${lines.join('\n')}\n`);
const out: Record<string, unknown> = {};

/** the same small training, before and after the disk fills */
const train = () =>
  keel(['train', csv, '--target', 'label', '--name', 'm', '--home', home, '--model', 'logistic_regression']);

const first = await train();
out.firstTrain = first.code;
const store = await openStore({ home });
const auth = await AuthStore.open(store.sql);
await auth.addIdentity('ops', { by: 'test', roles: { '*': 'admin' } });
const { token } = await auth.createToken('ops', { by: 'test' });
await store.close();

/** Fill the file system to its last byte, then give back `spare` bytes. */
function fill(spare: number): void {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'a');
  const chunk = Buffer.alloc(64 * 1024, 1);
  for (let size = chunk.length; size >= 512; ) {
    try {
      fs.writeSync(fd, chunk, 0, size);
    } catch {
      size >>= 1;
    }
  }
  fs.closeSync(fd);
  if (spare > 0) fs.truncateSync(filler, Math.max(0, fs.statSync(filler).size - spare));
}

// room for the run to start, none for its artifacts: it fails part-way, and says why
fill(Number(process.env.KEEL_FULL_SPARE ?? 128 * 1024));
const full = await train();
out.fullTrain = { code: full.code, stderr: full.stderr.slice(-600) };
fill(0);
const runs = await keel(['runs', 'ls', '--json', '--home', home]);
out.runs = JSON.parse(runs.stdout).runs.map((r: { status: string; error: string | null }) => ({
  status: r.status,
  error: r.error,
}));

const served = await keelUntil(
  ['serve', 'm@champion', '--home', home, '--port', '0', '--poll-seconds', '0'],
  /listening on (http:\S+)/,
);
const pred = await fetch(`${served.match[1]}/v1/models/m/predict`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ instance: { x: 3, color: 'red' } }),
});
out.serve = { status: pred.status, body: await pred.json() };
served.child.kill('SIGTERM');

const api = await keelUntil(['api', '--home', home, '--port', '0'], /listening on (http:\S+)/);
const url = api.match[1];
fill(0); // whatever opening gave back is taken again: the disk is full while the API runs
const auth2 = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const read = await fetch(`${url}/api/v1/runs`, { headers: auth2 });
const write = await fetch(`${url}/api/v1/models/m/versions/1/card`, {
  method: 'PUT',
  headers: auth2,
  body: JSON.stringify({ intended_use: `${'x'.repeat(4000)}` }),
});
const promote = await fetch(`${url}/api/v1/models/m/aliases/staging`, {
  method: 'POST',
  headers: auth2,
  body: JSON.stringify({ version: 1, reason: 'on a full disk' }),
});
out.api = { read: read.status, write: write.status, writeBody: await write.json(), promote: promote.status };
api.child.kill('SIGTERM');
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exit(0);
