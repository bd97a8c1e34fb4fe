// Signed versions: with a trust list, 50 mutations of a registered version (flipped byte, truncation, a swapped or
// added manifest entry, an edited manifest, signature or version number, a removed file, an unknown signer, no
// signature at all) are every one refused at promotion and at load, and the serving version never moves.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSigningKey, loadSigner, loadTrust, signingOf } from '../auth/index.ts';
import { type LocalArtifactStore, openStore, type SqlRunStore } from '../track/index.ts';
import { ModelRegistry, type ModelVersion } from './index.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-sign-'));
let store: SqlRunStore;
let registry: ModelRegistry;
let n = 0;

async function run(): Promise<string> {
  const id = await store.startRun({ experiment: 'sign', name: `r${n}` });
  await store.logArtifact(id, 'model.keel', Buffer.from(`model bytes ${n++} ${'x'.repeat(64)}`));
  await store.logArtifact(id, 'slices.json', Buffer.from(`{"n":${n}}`));
  await store.endRun(id, 'finished');
  return id;
}

const fileOf = (mv: ModelVersion, name = 'model.keel') =>
  (store.artifacts as LocalArtifactStore).pathOf(mv.manifest.find((m) => m.name === name)?.sha256 ?? '');

async function editRow(mv: ModelVersion, set: string, value: unknown): Promise<void> {
  await store.sql.run(`UPDATE model_versions SET ${set} = ? WHERE name = ? AND version = ?`, [
    value,
    mv.name,
    mv.version,
  ]);
}

before(async () => {
  store = await openStore({ home });
  registry = await ModelRegistry.open(store);
  const keys = path.join(home, 'keys');
  const good = createSigningKey(keys, 'release');
  createSigningKey(path.join(home, 'rogue-keys'), 'rogue');
  fs.mkdirSync(path.join(home, 'trust'));
  fs.copyFileSync(good.pubFile, path.join(home, 'trust', 'release.pub'));
  assert.equal(fs.statSync(good.keyFile).mode & 0o077, 0, 'the private key is readable by its owner only');
  const { signer, trust } = signingOf(home, { KEEL_SIGNING_KEY: good.keyFile });
  assert.ok(signer && trust);
  assert.deepEqual(trust.keyIds, [good.keyId]);
  registry.signWith(signer).trust(trust.verify);
  const champion = await registry.register({ name: 'm', runId: await run(), artifact: 'model.keel' });
  assert.equal(champion.signature?.keyId, good.keyId);
  await registry.promote({ name: 'm', alias: 'champion', version: champion.version, reason: 'first' });
});
after(async () => {
  await store.close();
});

type Mutation = (mv: ModelVersion) => Promise<void>;
const MUTATIONS: Record<string, { prepare?: () => void; mutate: Mutation; code: RegExp }> = {
  'flipped byte': {
    mutate: async (mv) => {
      const b = fs.readFileSync(fileOf(mv));
      b[b.length >> 1] ^= 0x10;
      fs.writeFileSync(fileOf(mv), b);
    },
    code: /REGISTRY_INTEGRITY/,
  },
  truncated: {
    mutate: async (mv) => fs.truncateSync(fileOf(mv, 'slices.json'), 3),
    code: /REGISTRY_INTEGRITY/,
  },
  'file removed': { mutate: async (mv) => fs.rmSync(fileOf(mv)), code: /REGISTRY_INTEGRITY/ },
  'swapped for another version': {
    mutate: async (mv) => {
      const other = await registry.get('m', 1);
      await editRow(mv, 'manifest', JSON.stringify(other.manifest));
      await editRow(mv, 'artifact_sha256', other.artifactSha256);
    },
    code: /AUTH_BAD_SIGNATURE/,
  },
  'entry added': {
    mutate: async (mv) =>
      editRow(mv, 'manifest', JSON.stringify([...mv.manifest, { ...mv.manifest[0], name: 'extra.bin' }])),
    code: /AUTH_BAD_SIGNATURE/,
  },
  'manifest edited': {
    mutate: async (mv) => {
      const other = await registry.get('m', 1);
      const edited = mv.manifest.map((m) => (m.name === 'model.keel' ? other.manifest[0] : m));
      await editRow(mv, 'manifest', JSON.stringify(edited));
      await editRow(mv, 'artifact_sha256', other.manifest[0].sha256);
    },
    code: /AUTH_BAD_SIGNATURE/,
  },
  'signature edited': {
    mutate: async (mv) => {
      const sig = Buffer.from(mv.signature?.sig ?? '', 'base64');
      sig[3] ^= 1;
      await editRow(mv, 'signature', JSON.stringify({ ...mv.signature, sig: sig.toString('base64') }));
    },
    code: /AUTH_BAD_SIGNATURE/,
  },
  'signature removed': { mutate: async (mv) => editRow(mv, 'signature', null), code: /AUTH_UNSIGNED/ },
  'run id edited': {
    mutate: async (mv) => editRow(mv, 'run_id', 'someone-elses-run'),
    code: /AUTH_BAD_SIGNATURE/,
  },
  'signed by an unknown key': {
    prepare: () => registry.signWith(loadSigner(path.join(home, 'rogue-keys', 'rogue.key'))),
    mutate: async () => {},
    code: /AUTH_BAD_SIGNATURE/,
  },
};

describe('signed versions', () => {
  it('50 mutations: every one refused at promotion and at load; the champion stays', async () => {
    const good = loadSigner(path.join(home, 'keys', 'release.key'));
    let refused = 0;
    let tried = 0;
    for (let round = 0; round < 5; round++) {
      for (const [what, m] of Object.entries(MUTATIONS)) {
        registry.signWith(good);
        m.prepare?.();
        const mv = await registry.register({ name: 'm', runId: await run(), artifact: 'model.keel' });
        registry.signWith(good);
        await m.mutate(mv);
        const now = await registry.get('m', mv.version);
        tried++;
        let atPromotion = false;
        let atLoad = false;
        try {
          await registry.promote({
            name: 'm',
            alias: 'champion',
            version: mv.version,
            reason: what,
            override: 'try',
          });
        } catch (err) {
          atPromotion = m.code.test(`${(err as { code?: string }).code} ${(err as Error).message}`);
        }
        try {
          await registry.loadVerified(now);
        } catch (err) {
          atLoad = m.code.test(`${(err as { code?: string }).code} ${(err as Error).message}`);
        }
        assert.ok(
          atPromotion && atLoad,
          `${what} (round ${round}): promotion ${atPromotion}, load ${atLoad}`,
        );
        if (atPromotion && atLoad) refused++;
        assert.equal((await registry.resolve('m@champion')).version, 1, `${what}: the champion did not move`);
      }
    }
    assert.equal(tried, 50);
    assert.equal(refused, 50);
    assert.equal((await registry.loadVerified(await registry.resolve('m@champion'))).length > 0, true);
  });

  it('without a trust list, unsigned versions load as before; a key file that is not a key is refused', () => {
    assert.equal(loadTrust(path.join(home, 'no-such-folder')), null);
    fs.writeFileSync(path.join(home, 'bad.key'), 'not a key');
    assert.throws(() => loadSigner(path.join(home, 'bad.key')), /AUTH_KEY|not an Ed25519/);
    assert.throws(
      () => loadSigner(path.join(home, 'bad.key')),
      (e: Error) => !e.message.includes('not a key'),
    );
  });
});
