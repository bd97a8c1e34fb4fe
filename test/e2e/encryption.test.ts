// Encryption at rest through the command line: a data key made by `keel keys data-key`, a model trained with it has
// every artifact encrypted on disk, scoring works with the key and fails with a coded error without it, and
// `keel keys reencrypt` moves every artifact to a new key.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { KEEL, ROOT } from './helpers.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-enc-e2e-'));
const home = path.join(dir, 'home');

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [KEEL, ...args, ...(args[0] === 'data' ? [] : ['--home', home])], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

function artifactFiles(): string[] {
  const base = path.join(home, 'artifacts', 'sha256');
  return fs
    .readdirSync(base)
    .flatMap((p) => fs.readdirSync(path.join(base, p)).map((f) => path.join(base, p, f)));
}

describe('encryption at rest (command line)', () => {
  it('trains encrypted, scores with the key, refuses without it, rotates', async () => {
    const csv = path.join(dir, 'd.csv');
    const rows = ['x,color,label'];
    for (let i = 0; i < 200; i++)
      rows.push(`${i % 11},${['red', 'blue'][i % 2]},${i % 11 > 5 ? 'yes' : 'no'}`);
    fs.writeFileSync(csv, `${rows.join('\n')}\n`);
    const made = await run(['keys', 'data-key', 'first']);
    assert.equal(made.code, 0, made.out);
    const first = { KEEL_ENCRYPTION_KEY_FILE: path.join(home, 'keys', 'first.aes') };
    const train = await run(
      ['train', csv, '--target', 'label', '--name', 'm', '--model', 'logistic_regression'],
      first,
    );
    assert.equal(train.code, 0, train.out);
    const files = artifactFiles();
    assert.ok(files.length >= 3);
    for (const f of files) assert.equal(fs.readFileSync(f).subarray(0, 8).toString(), 'KEELENC1', f);
    // the data snapshot too: data, schema and profile
    const snaps = fs.readdirSync(path.join(home, 'snapshots')).filter((d) => !d.startsWith('.'));
    assert.equal(snaps.length, 1);
    for (const f of ['data.parquet', 'schema.json', 'profile.json'])
      assert.equal(
        fs
          .readFileSync(path.join(home, 'snapshots', snaps[0], f))
          .subarray(0, 8)
          .toString(),
        'KEELENC1',
        f,
      );
    const scored = path.join(dir, 'scored.csv');
    const ok = await run(['score', 'm@champion', csv, '--out', scored], first);
    assert.equal(ok.code, 0, ok.out);
    const refused = await run(['score', 'm@champion', csv, '--out', path.join(dir, 'no.csv')]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.out, /\[CORE_ENCRYPTION\]/);
    // rotation: a new key current, the old one in the ring
    assert.equal((await run(['keys', 'data-key', 'second'])).code, 0);
    fs.mkdirSync(path.join(dir, 'ring'));
    fs.copyFileSync(first.KEEL_ENCRYPTION_KEY_FILE, path.join(dir, 'ring', 'first.aes'));
    const second = { KEEL_ENCRYPTION_KEY_FILE: path.join(home, 'keys', 'second.aes') };
    const rot = await run(['keys', 'reencrypt'], {
      ...second,
      KEEL_ENCRYPTION_KEYRING: path.join(dir, 'ring'),
    });
    assert.equal(rot.code, 0, rot.out);
    assert.match(rot.out, new RegExp(`${files.length} artifact\\(s\\) rewritten`));
    assert.match(rot.out, /1 snapshot\(s\) rewritten/);
    const show = await run(
      ['data', 'snapshot', 'show', snaps[0], '--dir', path.join(home, 'snapshots')],
      second,
    );
    assert.equal(show.code, 0, show.out);
    assert.match(show.out, new RegExp(snaps[0].slice(0, 12)));
    const again = await run(['score', 'm@champion', csv, '--out', path.join(dir, 'again.csv')], second);
    assert.equal(again.code, 0, again.out);
    assert.equal(fs.readFileSync(path.join(dir, 'again.csv'), 'utf8'), fs.readFileSync(scored, 'utf8'));
    assert.notEqual(
      (await run(['score', 'm@champion', csv, '--out', path.join(dir, 'x.csv')], first)).code,
      0,
    );
  });
});
