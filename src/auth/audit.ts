// The audit log: append-only, one row per action, each row's hash covering the previous row's hash, so an edited,
// deleted or reordered entry breaks the chain that `keel audit verify` walks.

import { createHash } from 'node:crypto';
import { KeelError } from '../core/index.ts';
import { AUTH_MIGRATIONS, type AuthDb } from './db.ts';
import { AuthErrors } from './errors.ts';

export interface AuditEntry {
  seq: number;
  at: string;
  /** the authenticated identity (`local:<user>` for the command line on the store's own machine) */
  actor: string;
  /** promote, policy.set, run.delete, deploy.apply, gc, token.create, token.revoke, identity.add, login, … */
  action: string;
  project: string | null;
  /** what was acted on: model@alias, run id, deployment name, token id */
  object: string | null;
  details: Record<string, unknown>;
  prev: string;
  hash: string;
}

export type AuditInput = Pick<AuditEntry, 'actor' | 'action'> &
  Partial<Pick<AuditEntry, 'project' | 'object' | 'details'>>;

export interface AuditProblem {
  seq: number;
  problem: 'edited' | 'missing' | 'out of order';
  message: string;
}

const GENESIS = '0'.repeat(64);
/** PostgreSQL appenders queue on one advisory lock so two never take the same sequence number */
const AUDIT_LOCK = 0x6b65656c_a0d1;

function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256')
    .update(e.prev)
    .update('\n')
    .update(JSON.stringify([e.seq, e.at, e.actor, e.action, e.project, e.object, e.details]))
    .digest('hex');
}

/** an entry as stored: details as JSON text */
type AuditRow = Omit<AuditEntry, 'details'> & { details: string };

function fromRow(r: AuditRow): AuditEntry {
  return { ...r, seq: Number(r.seq), details: JSON.parse(r.details) as Record<string, unknown> };
}

export class AuditLog {
  private constructor(
    private readonly db: AuthDb,
    private readonly now: () => Date,
  ) {}

  static async open(db: AuthDb, o: { now?: () => Date } = {}): Promise<AuditLog> {
    await db.migrate('auth', AUTH_MIGRATIONS);
    return new AuditLog(db, o.now ?? (() => new Date()));
  }

  async append(e: AuditInput): Promise<AuditEntry> {
    return this.db.transaction(async (tx) => {
      if (tx.dialect === 'postgres') await tx.run('SELECT pg_advisory_xact_lock(?)', [AUDIT_LOCK]);
      const last = await tx.get<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
      );
      const base = {
        seq: Number(last?.seq ?? 0) + 1,
        at: this.now().toISOString(),
        actor: e.actor,
        action: e.action,
        project: e.project ?? null,
        object: e.object ?? null,
        details: e.details ?? {},
        prev: last?.hash ?? GENESIS,
      };
      const entry = { ...base, hash: entryHash(base) };
      await tx.run(
        'INSERT INTO audit_log (seq, at, actor, action, project, object, details, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          entry.seq,
          entry.at,
          entry.actor,
          entry.action,
          entry.project,
          entry.object,
          JSON.stringify(entry.details),
          entry.prev,
          entry.hash,
        ],
      );
      return entry;
    });
  }

  async list(
    o: { projects?: readonly string[]; action?: string; limit?: number; afterSeq?: number } = {},
  ): Promise<AuditEntry[]> {
    const rows = await this.db.all<AuditRow>(
      'SELECT * FROM audit_log WHERE seq > ? ORDER BY seq DESC LIMIT ?',
      [o.afterSeq ?? 0, Math.min(o.limit ?? 100, 10_000) * (o.projects || o.action ? 10 : 1)],
    );
    return rows
      .map(fromRow)
      .filter((e) => !o.action || e.action === o.action)
      .filter((e) => !o.projects || (e.project !== null && o.projects.includes(e.project)))
      .slice(0, o.limit ?? 100);
  }

  /** Walk the chain from the first entry: every problem found, in order (an empty list means intact). */
  async verify(): Promise<{ entries: number; head: string; problems: AuditProblem[] }> {
    const problems: AuditProblem[] = [];
    let prev = GENESIS;
    let expected = 1;
    let n = 0;
    const page = 5000;
    for (let after = 0; ; ) {
      const rows = await this.db.all<AuditRow>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?', [
        after,
        page,
      ]);
      for (const r of rows.map(fromRow)) {
        n++;
        if (r.seq !== expected)
          problems.push({
            seq: r.seq,
            problem: 'missing',
            message: `entries ${expected}..${r.seq - 1} are gone (deleted)`,
          });
        if (entryHash(r) !== r.hash)
          problems.push({
            seq: r.seq,
            problem: 'edited',
            message: `entry ${r.seq} does not match its hash (edited or moved)`,
          });
        else if (r.prev !== prev && r.seq === expected)
          problems.push({
            seq: r.seq,
            problem: 'out of order',
            message: `entry ${r.seq} does not follow the entry before it (reordered or replaced)`,
          });
        prev = r.hash;
        expected = r.seq + 1;
        after = r.seq;
      }
      if (rows.length < page) break;
    }
    return { entries: n, head: prev, problems };
  }

  /** verify(), throwing AUTH_AUDIT_BROKEN with the problems when the chain is not intact. */
  async requireIntact(): Promise<{ entries: number; head: string }> {
    const v = await this.verify();
    if (v.problems.length)
      throw new KeelError(
        AuthErrors.AUDIT_BROKEN,
        `the audit log does not verify: ${v.problems.map((p) => p.message).join('; ')}`,
        { problems: v.problems },
      );
    return v;
  }
}
