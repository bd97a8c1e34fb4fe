// Identities (users, service accounts), their roles per project, and their API tokens, kept in the Keel store
// (SQLite or PostgreSQL). Every change is written to the audit log in the same breath.

import { KeelError } from '../core/index.ts';
import { AuditLog } from './audit.ts';
import { AUTH_MIGRATIONS, type AuthDb } from './db.ts';
import { AuthErrors } from './errors.ts';
import { isRole, type Permission, PROJECT_NAME, ROLES, type Role, roleGrants } from './roles.ts';
import { KDF, mintToken, parseToken, tokenMatches } from './tokens.ts';

export type IdentityKind = 'user' | 'service';

/** Who a request or command acts as, with what it may do. */
export interface Principal {
  name: string;
  kind: IdentityKind;
  /** role per project; '*' is every project */
  memberships: Record<string, Role>;
  /** the token's own narrowing, where it has one */
  token?: { id: string; role: Role | null; projects: string[] | null };
}

export interface IdentityInfo {
  name: string;
  kind: IdentityKind;
  source: string;
  createdAt: string;
  disabledAt: string | null;
  memberships: Record<string, Role>;
}

export interface TokenInfo {
  id: string;
  identity: string;
  role: Role | null;
  projects: string[] | null;
  note: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const IDENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$/;
const DAY = 86_400_000;

/** The operator at the store's own machine (the command line, `keel api --no-auth`): admin everywhere. */
export function localPrincipal(user: string): Principal {
  return { name: `local:${user}`, kind: 'user', memberships: { '*': 'admin' } };
}

/** May `p` do `perm` on an object of `project`? */
export function can(p: Principal, perm: Permission, project: string): boolean {
  const role = p.memberships[project] ?? p.memberships['*'];
  if (!role || !roleGrants(role, perm)) return false;
  const t = p.token;
  if (t?.role && !roleGrants(t.role, perm)) return false;
  if (t?.projects && !t.projects.includes(project) && !t.projects.includes('*')) return false;
  return true;
}

/** May `p` do `perm` across every project (gc, users, the whole audit log)? */
export function canEverywhere(p: Principal, perm: Permission): boolean {
  return can(p, perm, '*');
}

/** The projects where `p` may do `perm`: a list to filter listings by, or '*' for all. */
export function projectsWhere(p: Principal, perm: Permission): string[] | '*' {
  if (can(p, perm, '*')) return '*';
  return Object.keys(p.memberships).filter((proj) => proj !== '*' && can(p, perm, proj));
}

interface TokenRow {
  id: string;
  identity: string;
  kdf: string;
  salt: string;
  hash: string;
  role: string | null;
  projects: string | null;
  note: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export class AuthStore {
  /** verified tokens (kept in this process's memory only), so a request costs one scrypt per token per cacheMs */
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();
  /** verifications under way, by cache key */
  private readonly pending = new Map<string, Promise<Principal | null>>();

  private constructor(
    private readonly db: AuthDb,
    readonly audit: AuditLog,
    private readonly now: () => Date,
    private readonly cacheMs: number,
  ) {}

  static async open(db: AuthDb, o: { now?: () => Date; cacheMs?: number } = {}): Promise<AuthStore> {
    await db.migrate('auth', AUTH_MIGRATIONS);
    const now = o.now ?? (() => new Date());
    return new AuthStore(db, await AuditLog.open(db, { now }), now, o.cacheMs ?? 30_000);
  }

  async addIdentity(
    name: string,
    o: { kind?: IdentityKind; by: string; source?: string; roles?: Record<string, Role> },
  ): Promise<IdentityInfo> {
    if (!IDENTITY_NAME.test(name))
      throw new KeelError(AuthErrors.BAD_ROLE, `identity name "${name}" must match ${IDENTITY_NAME.source}`);
    const kind = o.kind ?? 'user';
    for (const [proj, role] of Object.entries(o.roles ?? {})) checkRole(proj, role);
    await this.db.transaction(async (tx) => {
      const n = await tx.run(
        'INSERT INTO identities (name, kind, created_at, created_by, source) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING',
        [name, kind, this.now().toISOString(), o.by, o.source ?? 'local'],
      );
      if (n === 0) throw new KeelError(AuthErrors.EXISTS, `an identity named ${name} exists already`);
      for (const [proj, role] of Object.entries(o.roles ?? {}))
        await tx.run('INSERT INTO memberships (identity, project, role) VALUES (?, ?, ?)', [
          name,
          proj,
          role,
        ]);
    });
    await this.audit.append({
      actor: o.by,
      action: 'identity.add',
      object: name,
      details: { kind, roles: o.roles ?? {}, source: o.source ?? 'local' },
    });
    return this.identity(name);
  }

  async identity(name: string): Promise<IdentityInfo> {
    const row = await this.db.get<{
      name: string;
      kind: IdentityKind;
      source: string;
      created_at: string;
      disabled_at: string | null;
    }>('SELECT * FROM identities WHERE name = ?', [name]);
    if (!row) throw new KeelError(AuthErrors.NO_IDENTITY, `no identity named ${name}`);
    return {
      name: row.name,
      kind: row.kind,
      source: row.source,
      createdAt: row.created_at,
      disabledAt: row.disabled_at,
      memberships: await this.memberships(name),
    };
  }

  async identities(): Promise<IdentityInfo[]> {
    const rows = await this.db.all<{ name: string }>('SELECT name FROM identities ORDER BY name');
    return Promise.all(rows.map((r) => this.identity(r.name)));
  }

  private async memberships(name: string): Promise<Record<string, Role>> {
    const rows = await this.db.all<{ project: string; role: Role }>(
      'SELECT project, role FROM memberships WHERE identity = ? ORDER BY project',
      [name],
    );
    return Object.fromEntries(rows.map((r) => [r.project, r.role]));
  }

  /** Give `name` a role in a project ('*' for all); a null role takes the membership away. */
  async setRole(name: string, project: string, role: Role | null, by: string): Promise<IdentityInfo> {
    await this.identity(name);
    if (role !== null) checkRole(project, role);
    if (role === null)
      await this.db.run('DELETE FROM memberships WHERE identity = ? AND project = ?', [name, project]);
    else
      await this.db.run(
        'INSERT INTO memberships (identity, project, role) VALUES (?, ?, ?) ON CONFLICT (identity, project) DO UPDATE SET role = excluded.role',
        [name, project, role],
      );
    this.cache.clear();
    await this.audit.append({ actor: by, action: 'identity.role', project, object: name, details: { role } });
    return this.identity(name);
  }

  /**
   * An identity from an identity provider, as of this login: made on first sight, its memberships replaced by
   * `roles` (the provider's groups, mapped) every time, so a group taken away there is a role taken away here.
   */
  async syncIdentity(
    name: string,
    o: { source: string; roles: Record<string, Role>; by: string },
  ): Promise<IdentityInfo> {
    if (!IDENTITY_NAME.test(name))
      throw new KeelError(AuthErrors.BAD_ROLE, `identity name "${name}" must match ${IDENTITY_NAME.source}`);
    for (const [proj, role] of Object.entries(o.roles)) checkRole(proj, role);
    await this.db.transaction(async (tx) => {
      await tx.run(
        'INSERT INTO identities (name, kind, created_at, created_by, source) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING',
        [name, 'user', this.now().toISOString(), o.by, o.source],
      );
      await tx.run('DELETE FROM memberships WHERE identity = ?', [name]);
      for (const [proj, role] of Object.entries(o.roles))
        await tx.run('INSERT INTO memberships (identity, project, role) VALUES (?, ?, ?)', [
          name,
          proj,
          role,
        ]);
    });
    this.cache.clear();
    return this.identity(name);
  }

  /** Disable an identity: its tokens stop working at once in this process, within the cache time elsewhere. */
  async disable(name: string, by: string): Promise<void> {
    await this.identity(name);
    await this.db.run('UPDATE identities SET disabled_at = ? WHERE name = ? AND disabled_at IS NULL', [
      this.now().toISOString(),
      name,
    ]);
    this.cache.clear();
    await this.audit.append({ actor: by, action: 'identity.disable', object: name });
  }

  /**
   * A new token for `identity`: the whole token is returned here once and never again. `role` and `projects`
   * narrow it below the identity's own roles; it expires after `days` (default 90, at most 365).
   */
  async createToken(
    identity: string,
    o: { by: string; role?: Role; projects?: string[]; days?: number; note?: string },
  ): Promise<{ token: string; info: TokenInfo }> {
    const who = await this.identity(identity);
    if (who.disabledAt) throw new KeelError(AuthErrors.FORBIDDEN, `identity ${identity} is disabled`);
    if (o.role !== undefined && !isRole(o.role))
      throw new KeelError(AuthErrors.BAD_ROLE, `role must be one of ${Object.keys(ROLES).join(', ')}`);
    for (const p of o.projects ?? []) checkRole(p, 'viewer');
    const days = o.days ?? 90;
    if (!(days > 0 && days <= 365))
      throw new KeelError(AuthErrors.BAD_ROLE, 'a token lives from a fraction of a day up to 365 days');
    const t = await mintToken();
    const created = this.now();
    const expires = new Date(created.getTime() + days * DAY);
    await this.db.run(
      `INSERT INTO tokens (id, identity, kdf, salt, hash, role, projects, note, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        t.id,
        identity,
        KDF,
        t.salt,
        t.hash,
        o.role ?? null,
        o.projects ? JSON.stringify(o.projects) : null,
        o.note ?? null,
        created.toISOString(),
        expires.toISOString(),
      ],
    );
    await this.audit.append({
      actor: o.by,
      action: 'token.create',
      object: t.id,
      details: {
        identity,
        role: o.role ?? null,
        projects: o.projects ?? null,
        expiresAt: expires.toISOString(),
      },
    });
    return { token: t.token, info: (await this.tokens(identity)).find((x) => x.id === t.id) as TokenInfo };
  }

  async tokens(identity?: string): Promise<TokenInfo[]> {
    const rows = await this.db.all<TokenRow>(
      identity === undefined
        ? 'SELECT * FROM tokens ORDER BY created_at'
        : 'SELECT * FROM tokens WHERE identity = ? ORDER BY created_at',
      identity === undefined ? [] : [identity],
    );
    return rows.map((r) => ({
      id: r.id,
      identity: r.identity,
      role: (r.role as Role | null) ?? null,
      projects: r.projects ? (JSON.parse(r.projects) as string[]) : null,
      note: r.note,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      revokedAt: r.revoked_at,
      lastUsedAt: r.last_used_at,
    }));
  }

  async revokeToken(id: string, by: string): Promise<void> {
    const n = await this.db.run('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [
      this.now().toISOString(),
      id,
    ]);
    if (n === 0 && !(await this.db.get('SELECT id FROM tokens WHERE id = ?', [id])))
      throw new KeelError(AuthErrors.NO_IDENTITY, `no token ${id}`);
    this.cache.clear();
    await this.audit.append({ actor: by, action: 'token.revoke', object: id });
  }

  /**
   * The cached answer for a token, without I/O: a principal, null (known bad), or undefined (not cached). A warm
   * entry is re-verified in the background in the last fifth of its life, so busy tokens never fall out of the
   * cache all at once (and a revocation still lands within cacheMs).
   */
  cached(token: string): Principal | null | undefined {
    const hit = this.cache.get(token);
    const now = Date.now();
    if (!hit || hit.until <= now) return undefined;
    if (hit.principal && hit.until - now < this.cacheMs / 5 && !this.pending.has(token))
      void this.refresh(token).catch(() => {});
    return hit.principal;
  }

  /** The principal a bearer token stands for, or null (unknown, malformed, expired, revoked or disabled alike). */
  async authenticate(token: string | undefined): Promise<Principal | null> {
    if (!token) return null;
    const hit = this.cached(token);
    if (hit !== undefined) return hit;
    // many requests with one cold token share one verification (one scrypt), not one each
    return this.pending.get(token) ?? this.refresh(token);
  }

  private refresh(token: string): Promise<Principal | null> {
    const p = this.verify(token)
      .then((principal) => {
        if (this.cache.size > 10_000) this.cache.clear();
        // unknown tokens are remembered briefly too, so a flood of one bad token costs one scrypt
        const ttl = principal ? this.cacheMs : Math.min(this.cacheMs, 5000);
        this.cache.set(token, { principal, until: Date.now() + ttl });
        return principal;
      })
      .finally(() => this.pending.delete(token));
    this.pending.set(token, p);
    return p;
  }

  private async verify(token: string): Promise<Principal | null> {
    const parsed = parseToken(token);
    if (!parsed) return null;
    const row = await this.db.get<TokenRow>('SELECT * FROM tokens WHERE id = ?', [parsed.id]);
    if (!row || row.revoked_at) return null;
    const nowIso = this.now().toISOString();
    if (row.expires_at && row.expires_at <= nowIso) return null;
    if (!(await tokenMatches(parsed.secret, row))) return null;
    const who = await this.db.get<{ kind: IdentityKind; disabled_at: string | null }>(
      'SELECT kind, disabled_at FROM identities WHERE name = ?',
      [row.identity],
    );
    if (!who || who.disabled_at) return null;
    await this.db.run('UPDATE tokens SET last_used_at = ? WHERE id = ?', [nowIso, row.id]).catch(() => 0);
    return {
      name: row.identity,
      kind: who.kind,
      memberships: await this.memberships(row.identity),
      token: {
        id: row.id,
        role: (row.role as Role | null) ?? null,
        projects: row.projects ? (JSON.parse(row.projects) as string[]) : null,
      },
    };
  }
}

function checkRole(project: string, role: string): void {
  if (!PROJECT_NAME.test(project))
    throw new KeelError(AuthErrors.BAD_ROLE, `project "${project}" must match ${PROJECT_NAME.source}`);
  if (!isRole(role))
    throw new KeelError(AuthErrors.BAD_ROLE, `role "${role}" is not one of ${Object.keys(ROLES).join(', ')}`);
}
