// A full disk: a Keel home on a small tmpfs (mounted in a private user and mount namespace, so no root is needed),
// filled to the last byte. Training fails with a coded reason (no stack trace) and its run is marked failed; the
// model server starts and serves; the API answers reads with 200 and writes with 507.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './helpers.ts';

describe('a full disk', () => {
  it('train fails with CORE_DISK_FULL and a failed run; serve serves; API reads 200, writes 507', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-full-'));
    const script = `mount -t tmpfs -o size=24m tmpfs "${dir}" && exec "${process.execPath}" --import tsx test/e2e/disk-full-steps.ts "${dir}"`;
    const r = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 240_000,
    });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const seen = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}');
    assert.equal(seen.firstTrain, 0);
    assert.equal(seen.fullTrain.code, 3, seen.fullTrain.stderr);
    assert.match(seen.fullTrain.stderr, /\[CORE_DISK_FULL\]/);
    assert.doesNotMatch(seen.fullTrain.stderr, /\n\s+at /, 'no stack trace');
    const failed = seen.runs.filter((x: { status: string }) => x.status === 'failed');
    assert.equal(failed.length, 1, JSON.stringify(seen.runs));
    assert.match(failed[0].error, /CORE_DISK_FULL/);
    assert.equal(seen.serve.status, 200, JSON.stringify(seen.serve));
    assert.ok(seen.serve.body.predictions?.length === 1);
    assert.equal(seen.api.read, 200);
    assert.equal(seen.api.write, 507, JSON.stringify(seen.api.writeBody));
    assert.equal(seen.api.writeBody.error.code, 'CORE_DISK_FULL');
    assert.equal(seen.api.promote, 507);
  });
});
