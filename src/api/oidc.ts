// Single sign-on with OpenID Connect (openid-client): the authorization code flow with PKCE for people, and an
// exchange of an identity provider's ID token for a Keel token for scripts. The provider's groups map to roles per
// project; a user is made on first login and their roles follow the groups at every login. Every request to the
// provider passes the SSRF guard.

import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, type JWTPayload, customFetch as joseFetch, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { AuthErrors, type AuthStore, isRole, type Role } from '../auth/index.ts';
import { KeelError } from '../core/index.ts';
import { guardedFetch } from '../data/index.ts';

export interface OidcSettings {
  /** the provider's issuer URL (discovery at <issuer>/.well-known/openid-configuration) */
  issuer: string;
  clientId: string;
  /** a confidential client's secret (from the environment: clientSecretEnv) */
  clientSecretEnv?: string;
  /** where the provider sends the browser back: <keel api>/auth/callback */
  redirectUri: string;
  /** default "openid profile email groups" */
  scope?: string;
  /** the claim holding the user's groups (default groups) and the one naming them (default preferred_username) */
  groupsClaim?: string;
  usernameClaim?: string;
  /** group → the roles it gives: {"ml-admins": [{"project": "*", "role": "admin"}]} */
  groups: Record<string, { project: string; role: Role }[]>;
  /** ID tokens accepted by /auth/exchange must name one of these audiences (default: the client id) */
  audiences?: string[];
  /** hosts the SSRF guard lets through (a provider on a private network) */
  allowHosts?: string[];
  /** lifetime of the Keel token a login or an exchange gives (default 12 hours) */
  tokenHours?: number;
}

interface Pending {
  verifier: string;
  nonce: string;
  at: number;
}

const PENDING_MS = 10 * 60_000;

export class OidcLogin {
  private readonly pending = new Map<string, Pending>();
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  private constructor(
    private readonly s: OidcSettings,
    private readonly config: client.Configuration,
    private readonly auth: AuthStore,
  ) {
    const jwksUri = config.serverMetadata().jwks_uri;
    if (!jwksUri) throw new KeelError(AuthErrors.UNAUTHENTICATED, `${s.issuer} publishes no jwks_uri`);
    this.jwks = createRemoteJWKSet(new URL(jwksUri), {
      [joseFetch]: guardedFetch(s.allowHosts ?? []) as never,
    });
  }

  static async discover(s: OidcSettings, auth: AuthStore): Promise<OidcLogin> {
    for (const [group, grants] of Object.entries(s.groups ?? {}))
      for (const g of grants)
        if (!isRole(g.role))
          throw new KeelError(AuthErrors.BAD_ROLE, `group ${group}: "${g.role}" is not a role`);
    const secret = s.clientSecretEnv ? process.env[s.clientSecretEnv] : undefined;
    if (s.clientSecretEnv && !secret)
      throw new KeelError(AuthErrors.KEY, `the client secret's variable ${s.clientSecretEnv} is not set`);
    const issuer = new URL(s.issuer);
    const config = await client.discovery(
      issuer,
      s.clientId,
      secret,
      secret ? client.ClientSecretBasic(secret) : client.None(),
      {
        [client.customFetch]: guardedFetch(s.allowHosts ?? []) as never,
        // plain http only for a provider on loopback
        execute:
          issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname)
            ? [client.allowInsecureRequests]
            : [],
      },
    );
    return new OidcLogin(s, config, auth);
  }

  /** The provider's login page for a new sign-in (state, nonce and a PKCE verifier kept for 10 minutes). */
  async start(): Promise<string> {
    const now = Date.now();
    for (const [k, p] of this.pending) if (now - p.at > PENDING_MS) this.pending.delete(k);
    if (this.pending.size > 10_000) this.pending.clear();
    const verifier = client.randomPKCECodeVerifier();
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    this.pending.set(state, { verifier, nonce, at: now });
    return client
      .buildAuthorizationUrl(this.config, {
        redirect_uri: this.s.redirectUri,
        scope: this.s.scope ?? 'openid profile email groups',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      })
      .toString();
  }

  /** The provider sent the browser back: redeem the code, check the ID token, sign the user in. */
  async finish(
    query: URLSearchParams,
  ): Promise<{ identity: string; token: string; expiresAt: string | null }> {
    const state = query.get('state') ?? '';
    const p = this.pending.get(state);
    this.pending.delete(state);
    if (!p || Date.now() - p.at > PENDING_MS)
      throw new KeelError(
        AuthErrors.UNAUTHENTICATED,
        'this sign-in was not started here or took too long; start again',
      );
    const current = new URL(this.s.redirectUri);
    for (const [k, v] of query) current.searchParams.set(k, v);
    let claims: JWTPayload | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(this.config, current, {
        pkceCodeVerifier: p.verifier,
        expectedState: state,
        expectedNonce: p.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (err) {
      throw new KeelError(
        AuthErrors.UNAUTHENTICATED,
        `the identity provider's answer was refused: ${(err as Error).message}`,
      );
    }
    if (!claims) throw new KeelError(AuthErrors.UNAUTHENTICATED, 'the identity provider sent no ID token');
    return this.admit(claims, 'login');
  }

  /** A script's ID token from the provider, checked (signature, issuer, audience, expiry), for a Keel token. */
  async exchange(idToken: string): Promise<{ identity: string; token: string; expiresAt: string | null }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, this.jwks, {
        issuer: this.config.serverMetadata().issuer,
        audience: this.s.audiences ?? [this.s.clientId],
        clockTolerance: 30,
      }));
    } catch (err) {
      throw new KeelError(AuthErrors.UNAUTHENTICATED, `the ID token was refused: ${(err as Error).message}`);
    }
    return this.admit(payload, 'exchange');
  }

  /** Cookies carry Secure when the API is reached over https (as its redirect URI says). */
  get secureCookies(): boolean {
    return this.s.redirectUri.startsWith('https:');
  }

  /** Where the provider ends its own session (logout), if it says. */
  endSessionUrl(): string | null {
    return this.config.serverMetadata().end_session_endpoint ?? null;
  }

  private async admit(claims: JWTPayload, how: 'login' | 'exchange') {
    const name = String(claims[this.s.usernameClaim ?? 'preferred_username'] ?? claims.sub ?? '');
    const raw = claims[this.s.groupsClaim ?? 'groups'];
    const groups = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
    const roles: Record<string, Role> = {};
    const rank = ['viewer', 'service', 'scientist', 'maintainer', 'admin'];
    for (const g of groups)
      for (const grant of this.s.groups[g] ?? [])
        if (!roles[grant.project] || rank.indexOf(grant.role) > rank.indexOf(roles[grant.project]))
          roles[grant.project] = grant.role;
    const by = `oidc:${this.s.issuer}`;
    if (Object.keys(roles).length === 0) {
      await this.auth.audit.append({
        actor: name || 'unknown',
        action: `${how}.refused`,
        details: { groups, issuer: this.s.issuer },
      });
      throw new KeelError(
        AuthErrors.FORBIDDEN,
        `${name}: none of the groups ${JSON.stringify(groups)} gives a role here`,
      );
    }
    await this.auth.syncIdentity(name, { source: by, roles, by });
    const { token, info } = await this.auth.createToken(name, {
      by,
      days: (this.s.tokenHours ?? 12) / 24,
      note: how === 'login' ? 'single sign-on session' : 'exchanged ID token',
    });
    await this.auth.audit.append({
      actor: name,
      action: how,
      object: info.id,
      details: { groups, roles, issuer: this.s.issuer },
    });
    return { identity: name, token, expiresAt: info.expiresAt };
  }
}
