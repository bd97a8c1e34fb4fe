// Artifacts encrypted at rest: no plaintext on disk, the key id in every file, a flipped byte caught by the tag, a
// missing key a coded error, and rotation to a new key (old files opened with the key ring) that leaves every
// artifact readable with the new key alone.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LocalArtifactStore } from '../track/index.ts';
import { createDataKey, type DataKey, dataKeysFromEnv, ENCRYPTED_MAGIC, keyIdOf } from './encryption.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-enc-'));
const ring = (current: DataKey | null, ...older: DataKey[]) => ({
  current,
  byId: new Map([...(current ? [current] : []), ...older].map((k) => [k.id, k.key])),
});

describe('encryption at rest', () => {
  it('writes ciphertext with its key id, reads plaintext, catches tampering, refuses without the key', async () => {
    const k1 = createDataKey(path.join(dir, 'keys', 'one.aes'));
    assert.equal(fs.statSync(path.join(dir, 'keys', 'one.aes')).mode & 0o077, 0);
    const root = path.join(dir, 'a');
    const store = new LocalArtifactStore(root, { keys: ring(k1) });
    const secret = Buffer.from('customer table: ana@example.com, 4111 1111 1111 1111 '.repeat(50));
    const ref = await store.put(secret);
    const onDisk = fs.readFileSync(store.pathOf(ref.sha256));
    assert.ok(onDisk.subarray(0, 8).equals(ENCRYPTED_MAGIC));
    assert.equal(keyIdOf(onDisk), k1.id);
    assert.ok(!onDisk.includes('ana@example.com'), 'no plaintext on disk');
    assert.equal(ref.size, secret.length);
    assert.ok((await store.get(ref.sha256)).equals(secret));
    assert.deepEqual(await store.put(secret), ref, 'the same content is stored once');
    const flipped = Buffer.from(onDisk);
    flipped[flipped.length - 40] ^= 1;
    fs.writeFileSync(store.pathOf(ref.sha256), flipped);
    await assert.rejects(store.get(ref.sha256), /TRACK_ARTIFACT_CORRUPT|authentication tag/);
    fs.writeFileSync(store.pathOf(ref.sha256), onDisk);
    await assert.rejects(new LocalArtifactStore(root).get(ref.sha256), /is encrypted \(key/);
    const k2 = createDataKey(path.join(dir, 'keys', 'two.aes'));
    await assert.rejects(new LocalArtifactStore(root, { keys: ring(k2) }).get(ref.sha256), /not given/);
  });

  it('rotates: every artifact rewritten with the new key, readable with it alone', async () => {
    const old = createDataKey(path.join(dir, 'keys', 'old.aes'));
    const next = createDataKey(path.join(dir, 'keys', 'next.aes'));
    const root = path.join(dir, 'b');
    const clear = new LocalArtifactStore(root);
    const plain = await clear.put(Buffer.from('written before encryption was turned on'));
    const first = new LocalArtifactStore(root, { keys: ring(old) });
    const refs = [
      plain,
      await first.put(Buffer.from('model bytes one')),
      await first.put(Buffer.from('two')),
    ];
    const rotating = new LocalArtifactStore(root, { keys: ring(next, old) });
    assert.deepEqual(await rotating.reencrypt(), { rewritten: 3, kept: 0 });
    assert.deepEqual(await rotating.reencrypt(), { rewritten: 0, kept: 3 }, 'a second run has nothing to do');
    const after = new LocalArtifactStore(root, { keys: ring(next) });
    for (const r of refs) {
      assert.equal(keyIdOf(fs.readFileSync(after.pathOf(r.sha256))), next.id);
      assert.equal((await after.get(r.sha256)).length, r.size);
    }
  });

  it('takes its keys from the environment', () => {
    const k = createDataKey(path.join(dir, 'env', 'current.aes'));
    const o = createDataKey(path.join(dir, 'env', 'ring', 'older.aes'));
    const keys = dataKeysFromEnv({
      KEEL_ENCRYPTION_KEY_FILE: path.join(dir, 'env', 'current.aes'),
      KEEL_ENCRYPTION_KEYRING: path.join(dir, 'env', 'ring'),
    });
    assert.equal(keys.current?.id, k.id);
    assert.deepEqual([...keys.byId.keys()].sort(), [k.id, o.id].sort());
    fs.writeFileSync(path.join(dir, 'env', 'bad.aes'), 'not a key at all');
    assert.throws(
      () => dataKeysFromEnv({ KEEL_ENCRYPTION_KEY_FILE: path.join(dir, 'env', 'bad.aes') }),
      (e: Error) => /32-byte key/.test(e.message) && !e.message.includes('not a key at all'),
    );
  });
});
