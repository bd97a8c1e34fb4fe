// Snapshots encrypted at rest: with KEEL_ENCRYPTION_KEY_FILE set, data, schema and profile reach the snapshot store
// as ciphertext only (the Parquet is written and read through a private copy in memory, removed at once); the
// snapshot reads back to the same content id; without the key it is a coded error, and a changed byte is corruption.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { createDataKey, ENCRYPTED_MAGIC } from '../core/index.ts';
import { categoricalFrom, Frame, numericFrom } from './frame.ts';
import { contentId, readSnapshot, writeSnapshot } from './snapshot.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-snap-enc-'));
const scratchLeft = () =>
  fs.existsSync('/dev/shm') ? fs.readdirSync('/dev/shm').filter((f) => f.startsWith('keel-snap-')) : [];

describe('snapshots encrypted at rest', () => {
  it('stores ciphertext only, reads back the same content, refuses without the key or after a change', async () => {
    const key = createDataKey(path.join(dir, 'keys', 'snap.aes'));
    process.env.KEEL_ENCRYPTION_KEY_FILE = path.join(dir, 'keys', 'snap.aes');
    const frame = new Frame([
      categoricalFrom('plan', ['zebra-striped-plan', 'gold', 'zebra-striped-plan', null]),
      numericFrom('amount', [1.5, 2, 3.25, 4]),
    ]);
    const before = scratchLeft().length;
    const snap = await writeSnapshot(
      { frame, source: { kind: 'file', location: 'test', details: {} } },
      { dir: path.join(dir, 'snaps') },
    );
    assert.equal(snap.manifest.encryptedWith, key.id);
    for (const f of ['data.parquet', 'schema.json', 'profile.json']) {
      const bytes = fs.readFileSync(path.join(snap.dir, f));
      assert.ok(bytes.subarray(0, 8).equals(ENCRYPTED_MAGIC), f);
      assert.ok(!bytes.includes('zebra-striped-plan'), `${f} holds no plaintext`);
    }
    const back = await readSnapshot(path.join(dir, 'snaps'), snap.id);
    assert.equal(contentId(back.frame), snap.id);
    assert.equal(scratchLeft().length, before, 'no plaintext copy left in memory storage');

    delete process.env.KEEL_ENCRYPTION_KEY_FILE;
    await assert.rejects(readSnapshot(path.join(dir, 'snaps'), snap.id), /CORE_ENCRYPTION|not given/);
    process.env.KEEL_ENCRYPTION_KEY_FILE = path.join(dir, 'keys', 'snap.aes');
    const file = path.join(snap.dir, 'profile.json');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 20] ^= 1;
    fs.writeFileSync(file, bytes);
    await assert.rejects(readSnapshot(path.join(dir, 'snaps'), snap.id), /does not match its checksum/);
  });
});
