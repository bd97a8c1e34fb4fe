// Single sign-on against a real OpenID provider started here (oidc-provider): the authorization code flow with
// PKCE through the provider's login and consent pages, groups mapped to roles and projects, the user made on first
// login, logout; and for scripts, ID tokens exchanged for Keel tokens — refused for a wrong audience, an expiry in
// the past and a forged signature.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import Provider from 'oidc-provider';
import { AuthStore } from '../auth/index.ts';
import { ModelRegistry } from '../registry/index.ts';
import { openStore, type SqlRunStore } from '../track/index.ts';
import { buildApi, OidcLogin } from './index.ts';

const REDIRECT = 'http://127.0.0.1:7070/auth/callback';
const ACCOUNTS: Record<string, string[]> = {
  alice: ['ml-admins'],
  bob: ['fraud-team', 'readers'],
  carol: ['marketing'],
};
let server: import('node:http').Server;
let issuer: string;
type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let signingKey: SigningKey;
let kid: string;
let store: SqlRunStore;
let auth: AuthStore;
let app: FastifyInstance;

before(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  kid = 'test-key';
  server = (await import('node:http')).createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'keel',
        client_secret: 'a-test-client-secret',
        redirect_uris: [REDIRECT],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: async () => ({ sub: id, preferred_username: id, groups: ACCOUNTS[id] ?? [] }),
    }),
    claims: { openid: ['sub'], profile: ['preferred_username'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'groups'],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    cookies: { keys: ['cookie-key-for-tests'] },
    features: { devInteractions: { enabled: true } },
  } as never);
  server.on('request', provider.callback());

  store = await openStore({ home: fs.mkdtempSync(path.join(os.tmpdir(), 'keel-oidc-')) });
  auth = await AuthStore.open(store.sql);
  process.env.KEEL_TEST_OIDC_SECRET = 'a-test-client-secret';
  const oidc = await OidcLogin.discover(
    {
      issuer,
      clientId: 'keel',
      clientSecretEnv: 'KEEL_TEST_OIDC_SECRET',
      redirectUri: REDIRECT,
      scope: 'openid profile groups',
      allowHosts: ['127.0.0.1'],
      groups: {
        'ml-admins': [{ project: '*', role: 'admin' }],
        'fraud-team': [{ project: 'fraud', role: 'scientist' }],
        readers: [
          { project: 'fraud', role: 'viewer' },
          { project: 'churn', role: 'viewer' },
        ],
      },
    },
    auth,
  );
  app = await buildApi({ store, registry: await ModelRegistry.open(store), auth, oidc });
});
after(async () => {
  await app.close();
  await store.close();
  server.close();
});

/** A browser: follows the provider's redirects by hand, keeping its cookies, until Keel's callback is reached. */
async function signIn(user: string): Promise<URL> {
  const jar = new Map<string, string>();
  const login = await app.inject({ method: 'GET', url: '/auth/login' });
  assert.equal(login.statusCode, 302);
  let url = new URL(String(login.headers.location));
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  for (let hop = 0; hop < 20; hop++) {
    if (url.href.startsWith(REDIRECT)) return url;
    let res = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    const keep = (r: Response) => {
      for (const c of r.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const i = pair.indexOf('=');
        jar.set(pair.slice(0, i), pair.slice(i + 1));
      }
    };
    keep(res);
    if (res.status === 200) {
      // the provider's development login or consent page: submit it
      const html = await res.text();
      const action = /action="([^"]+)"/.exec(html)?.[1];
      assert.ok(action, html.slice(0, 300));
      const form = new URLSearchParams();
      for (const m of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) form.set(m[1], m[2]);
      if (/name="login"/.test(html)) {
        form.set('login', user);
        form.set('password', 'any');
      }
      res = await fetch(new URL(action, url), {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        },
        body: form.toString(),
      });
      keep(res);
    }
    assert.ok(res.status >= 300 && res.status < 400, `hop ${hop}: ${res.status} ${await res.text()}`);
    url = new URL(String(res.headers.get('location')), url);
  }
  throw new Error('no redirect back to Keel');
}

async function callback(url: URL) {
  return app.inject({ method: 'GET', url: `/auth/callback${url.search}` });
}

const idToken = (claims: Record<string, unknown>, o: { key?: SigningKey; exp?: number } = {}) =>
  new SignJWT({ groups: ['fraud-team'], preferred_username: 'dave', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(issuer)
    .setSubject('dave')
    .setIssuedAt()
    .setExpirationTime(o.exp ?? Math.floor(Date.now() / 1000) + 300)
    .sign(o.key ?? signingKey);

describe('single sign-on (OpenID Connect)', () => {
  it('signs alice in through the provider: user made on first login, groups mapped, a session that works', async () => {
    const res = await callback(await signIn('alice'));
    assert.equal(res.statusCode, 200, res.body);
    const session = res.json() as { identity: string; token: string };
    assert.equal(session.identity, 'alice');
    assert.match(String(res.headers['set-cookie']), /keel_session=keel_[^;]+; HttpOnly; SameSite=Strict/);
    const me = await auth.identity('alice');
    assert.deepEqual(me.memberships, { '*': 'admin' });
    assert.match(me.source, /^oidc:/);
    const who = await app.inject({
      method: 'GET',
      url: '/api/v1/whoami',
      headers: { authorization: `Bearer ${session.token}` },
    });
    assert.equal(who.json().name, 'alice');
    // the browser's cookie reads, but never writes
    const cookie = `keel_session=${session.token}`;
    assert.equal(
      (await app.inject({ method: 'GET', url: '/api/v1/runs', headers: { cookie } })).statusCode,
      200,
    );
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/gc',
          headers: { cookie },
          payload: { dryRun: true },
        })
      ).statusCode,
      401,
    );
    // logout: the session's token stops working
    const out = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: { authorization: `Bearer ${session.token}` },
    });
    assert.equal(out.statusCode, 200);
    assert.match(String(out.json().endSession), /^http:\/\/127\.0\.0\.1:\d+\/session\/end/);
    assert.equal(
      (
        await app.inject({
          method: 'GET',
          url: '/api/v1/whoami',
          headers: { authorization: `Bearer ${session.token}` },
        })
      ).statusCode,
      401,
    );
    const actions = (await auth.audit.list({ limit: 50 })).map((e) => `${e.actor} ${e.action}`);
    assert.ok(actions.includes('alice login'), actions.join('\n'));
    assert.ok(actions.includes('alice token.revoke'));
  });

  it('maps several groups to the highest role per project; a user whose groups give nothing is refused', async () => {
    assert.equal((await callback(await signIn('bob'))).statusCode, 200);
    assert.deepEqual((await auth.identity('bob')).memberships, { churn: 'viewer', fraud: 'scientist' });
    const carol = await callback(await signIn('carol'));
    assert.equal(carol.statusCode, 403);
    assert.equal(carol.json().error.code, 'AUTH_FORBIDDEN');
    await assert.rejects(auth.identity('carol'), /no identity/);
  });

  it('refuses a replayed or unknown state', async () => {
    const url = await signIn('alice');
    assert.equal((await callback(url)).statusCode, 200);
    assert.equal((await callback(url)).statusCode, 401, 'the same state twice');
  });

  it("exchanges a provider's ID token for a Keel token; refuses a wrong audience, an expired token, a forged signature", async () => {
    const ok = await app.inject({
      method: 'POST',
      url: '/auth/exchange',
      payload: { id_token: await idToken({ aud: 'keel' }) },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().identity, 'dave');
    assert.deepEqual((await auth.identity('dave')).memberships, { fraud: 'scientist' });
    const refused = async (token: string, why: RegExp) => {
      const res = await app.inject({ method: 'POST', url: '/auth/exchange', payload: { id_token: token } });
      assert.equal(res.statusCode, 401, res.body);
      assert.equal(res.json().error.code, 'AUTH_UNAUTHENTICATED');
      assert.match(res.json().error.message, why);
    };
    await refused(await idToken({ aud: 'someone-else' }), /aud/);
    await refused(await idToken({ aud: 'keel' }, { exp: Math.floor(Date.now() / 1000) - 3600 }), /exp/);
    const forger = (await generateKeyPair('RS256')).privateKey;
    await refused(await idToken({ aud: 'keel' }, { key: forger }), /signature/);
  });
});
