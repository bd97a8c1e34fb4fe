// Identities, tokens and the audit chain on both real stores (SQLite and PostgreSQL): a token works until it expires
// or is revoked, is stored only as a scrypt hash, is narrowed by its own role and projects; the audit log detects an
// edited, deleted and reordered entry.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openPostgres, openStore, type SqlRunStore } from '../track/index.ts';
import { PG_URL, testSchema } from '../track/pg-test-env.ts';
import { AuthStore, can, canEverywhere, hostAllowlist, isLoopback, projectsWhere } from './index.ts';

function suite(label: string, open: () => Promise<SqlRunStore>, drop: () => Promise<void>): void {
  describe(`auth on ${label}`, () => {
    let store: SqlRunStore;
    let clock = new Date('2026-01-01T00:00:00Z');
    let auth: AuthStore;
    before(async () => {
      store = await open();
      auth = await AuthStore.open(store.sql, { now: () => clock, cacheMs: 0 });
    });
    after(async () => {
      await store.close();
      await drop();
    });

    it('a token is shown once, stored hashed, works until revoked or expired', async () => {
      await auth.addIdentity('ana', { by: 'test', roles: { fraud: 'scientist' } });
      const { token, info } = await auth.createToken('ana', { by: 'test', days: 1 });
      assert.match(token, /^keel_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      const row = await store.sql.get<Record<string, string>>('SELECT * FROM tokens WHERE id = ?', [info.id]);
      assert.ok(row);
      assert.ok(!JSON.stringify(row).includes(token.slice(22)), 'the secret is not stored');
      assert.match(String(row.kdf), /^scrypt:16384:8:1$/);
      const p = await auth.authenticate(token);
      assert.equal(p?.name, 'ana');
      assert.equal(await auth.authenticate(`${token.slice(0, -1)}x`), null, 'one changed character');
      assert.equal(await auth.authenticate('keel_0123456789abcdef_x'), null);
      assert.equal(await auth.authenticate(undefined), null);
      clock = new Date(clock.getTime() + 2 * 86_400_000);
      assert.equal(await auth.authenticate(token), null, 'expired');
      const fresh = await auth.createToken('ana', { by: 'test' });
      assert.equal((await auth.authenticate(fresh.token))?.name, 'ana');
      await auth.revokeToken(fresh.info.id, 'test');
      assert.equal(await auth.authenticate(fresh.token), null, 'revoked');
      const again = await auth.createToken('ana', { by: 'test' });
      await auth.disable('ana', 'test');
      assert.equal(await auth.authenticate(again.token), null, 'disabled identity');
    });

    it('roles per project, narrowed by the token', async () => {
      await auth.addIdentity('bo', { by: 'test', roles: { fraud: 'maintainer', churn: 'viewer' } });
      const full = await auth.authenticate((await auth.createToken('bo', { by: 'test' })).token);
      assert.ok(full);
      assert.equal(can(full, 'model.promote', 'fraud'), true);
      assert.equal(can(full, 'model.promote', 'churn'), false);
      assert.equal(can(full, 'read', 'churn'), true);
      assert.equal(can(full, 'read', 'other'), false);
      assert.equal(canEverywhere(full, 'gc'), false);
      assert.deepEqual(projectsWhere(full, 'read'), ['churn', 'fraud']);
      assert.deepEqual(projectsWhere(full, 'model.promote'), ['fraud']);
      const narrow = await auth.authenticate(
        (await auth.createToken('bo', { by: 'test', role: 'viewer', projects: ['fraud'] })).token,
      );
      assert.ok(narrow);
      assert.equal(can(narrow, 'model.promote', 'fraud'), false, 'the token is a viewer token');
      assert.equal(can(narrow, 'read', 'fraud'), true);
      assert.equal(can(narrow, 'read', 'churn'), false, 'the token is for fraud only');
      await assert.rejects(auth.addIdentity('bo', { by: 'test' }), /exists already/);
      await assert.rejects(auth.setRole('bo', 'fraud', 'owner' as never, 'test'), /not one of/);
    });

    it('the audit log records every change and detects an edited, deleted and reordered entry', async () => {
      for (let i = 0; i < 6; i++)
        await auth.audit.append({ actor: 'cy', action: 'promote', project: 'fraud', object: `m@${i}` });
      const intact = await auth.audit.verify();
      assert.deepEqual(intact.problems, []);
      assert.ok(intact.entries >= 6 + 4, 'token and identity changes are in it too');
      const actions = (await auth.audit.list({ limit: 1000 })).map((e) => e.action);
      for (const a of ['identity.add', 'token.create', 'token.revoke', 'identity.disable'])
        assert.ok(actions.includes(a), a);
      const last = Number((await store.sql.get<{ n: number }>('SELECT max(seq) AS n FROM audit_log'))?.n);

      // edited: a promotion's object changed in place
      await store.sql.run('UPDATE audit_log SET object = ? WHERE seq = ?', ['m@evil', last - 3]);
      let v = await auth.audit.verify();
      assert.deepEqual(
        v.problems.map((p) => [p.seq, p.problem]),
        [[last - 3, 'edited']],
      );
      await store.sql.run('UPDATE audit_log SET object = ? WHERE seq = ?', [`m@${6 - 4}`, last - 3]);
      assert.deepEqual((await auth.audit.verify()).problems, [], 'restored');

      // reordered: two entries swap places (their contents change sequence numbers)
      const a = await store.sql.get<Record<string, unknown>>('SELECT * FROM audit_log WHERE seq = ?', [
        last - 1,
      ]);
      const b = await store.sql.get<Record<string, unknown>>('SELECT * FROM audit_log WHERE seq = ?', [last]);
      assert.ok(a && b);
      await store.sql.run('UPDATE audit_log SET seq = ? WHERE seq = ?', [-1, last - 1]);
      await store.sql.run('UPDATE audit_log SET seq = ? WHERE seq = ?', [last - 1, last]);
      await store.sql.run('UPDATE audit_log SET seq = ? WHERE seq = ?', [last, -1]);
      v = await auth.audit.verify();
      assert.ok(v.problems.length > 0, 'reordering detected');
      assert.ok(v.problems.every((p) => p.seq >= last - 1));
      await store.sql.run('UPDATE audit_log SET seq = ? WHERE seq = ?', [-1, last]);
      await store.sql.run('UPDATE audit_log SET seq = ? WHERE seq = ?', [last, last - 1]);
      await store.sql.run('UPDATE audit_log SET seq = ? WHERE seq = ?', [last - 1, -1]);
      assert.deepEqual((await auth.audit.verify()).problems, [], 'restored');

      // deleted: one entry in the middle removed
      await store.sql.run('DELETE FROM audit_log WHERE seq = ?', [last - 2]);
      v = await auth.audit.verify();
      assert.deepEqual(
        v.problems.map((p) => [p.seq, p.problem]),
        [[last - 1, 'missing']],
      );
      await assert.rejects(auth.audit.requireIntact(), /AUTH_AUDIT_BROKEN|does not verify/);
    });

    it('concurrent appends keep one unbroken chain', async () => {
      const other = await AuthStore.open(store.sql);
      const before = (await auth.audit.verify()).entries;
      await store.sql.run('DELETE FROM audit_log');
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? auth : other).audit.append({ actor: 'x', action: 'promote', object: String(i) }),
        ),
      );
      const v = await auth.audit.verify();
      assert.equal(v.entries, 20);
      assert.deepEqual(v.problems, []);
      assert.ok(before > 0);
    });
  });
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-auth-'));
suite(
  'SQLite',
  () => openStore({ home }),
  async () => {},
);
const schema = testSchema('auth');
suite(
  'PostgreSQL',
  () => openStore({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'keel-auth-pg-')), url: PG_URL, schema }),
  async () => {
    const db = await openPostgres({ url: PG_URL });
    await db.run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.close();
  },
);

describe('listen addresses and Host names', () => {
  it('knows loopback, and answers only allowed Host names', () => {
    for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.3.4.5'])
      assert.equal(isLoopback(h), true, h);
    for (const h of ['0.0.0.0', '::', '10.0.0.2', 'example.com']) assert.equal(isLoopback(h), false, h);
    const ok = hostAllowlist('127.0.0.1', ['models.internal']);
    for (const h of [
      'localhost:7070',
      '127.0.0.1:80',
      '[::1]:7070',
      'models.internal',
      'MODELS.internal:8080',
    ])
      assert.equal(ok(h), true, h);
    for (const h of ['evil.example:7070', 'attacker.com', undefined, '127.0.0.1.evil.com'])
      assert.equal(ok(h), false, String(h));
    assert.equal(hostAllowlist('0.0.0.0', ['*'])('anything'), true);
  });
});
