// Deployments: which model references serve under an endpoint name, with what weights (A/B, canary, shadow), stored
// with their history of state changes (canary steps, rollbacks) and the latest runtime state a server reports.

import { KeelError } from '../core/index.ts';
import type { SqlDb, SqlRunStore } from '../track/index.ts';
import { RegistryErrors } from './errors.ts';
import { parseModelRef } from './registry.ts';

export const DEPLOYMENT_MIGRATIONS: readonly string[] = [
  `CREATE TABLE deployments (name TEXT PRIMARY KEY, spec TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE TABLE deployment_events (name TEXT NOT NULL, seq BIGINT NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL,
     detail TEXT NOT NULL, PRIMARY KEY (name, seq));
   CREATE TABLE deployment_state (name TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE TABLE prediction_log (id TEXT PRIMARY KEY, at TEXT NOT NULL, endpoint TEXT NOT NULL, model TEXT NOT NULL,
     version BIGINT NOT NULL, arm TEXT NOT NULL, latency_ms DOUBLE PRECISION NOT NULL, input TEXT NOT NULL, output TEXT NOT NULL);
   CREATE INDEX prediction_log_by_endpoint ON prediction_log (endpoint, at);`,
  // a deployment belongs to its models' project; each server reports its own state (servers of one endpoint do not
  // overwrite each other)
  `ALTER TABLE deployments ADD COLUMN project TEXT NOT NULL DEFAULT 'default';
   CREATE TABLE deployment_server_state (name TEXT NOT NULL, server TEXT NOT NULL, state TEXT NOT NULL,
     updated_at TEXT NOT NULL, PRIMARY KEY (name, server));`,
];

export interface ArmSpec {
  name: string;
  /** a model reference: name@alias or name@version */
  ref: string;
  /** share of live traffic (ignored for shadows and for the canary arm, whose share the controller sets) */
  weight?: number;
  /** receives a copy of traffic; its answers are logged and compared, never returned */
  shadow?: boolean;
  /** this arm is the canary of a canary rollout */
  canary?: boolean;
}

export interface DeploymentSpec {
  /** the endpoint: /v1/models/<name>/predict */
  name: string;
  arms: ArmSpec[];
  /** header whose value keeps a caller on one arm (default x-request-key) */
  stickyHeader?: string;
  canary?: {
    steps: number[];
    metric?: { higherIsBetter?: boolean; maxRelativeDrop?: number; minSamples?: number };
    minRequestsPerStep?: number;
    toleratedErrorRate?: number;
    alpha?: number;
    latencyFactor?: number;
    latencySlackMs?: number;
  };
  /** A/B comparison on a metric posted to /v1/deployments/<name>/outcomes */
  abTest?: { metric: string; higherIsBetter?: boolean; alpha?: number };
  /** micro-batching of requests for every arm */
  batch?: { maxRows: number; maxWaitMs: number };
  /** share of requests written to the prediction log (0..1) */
  logSampleRate?: number;
  /** predict and model-metadata routes: open to anyone (default, loopback only) or to tokens with `predict` */
  access?: 'open' | 'token';
}

const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** Problems of a spec, collected (an empty list means it is valid). */
export function checkDeployment(spec: DeploymentSpec): string[] {
  const problems: string[] = [];
  if (!spec || typeof spec !== 'object') return ['a deployment is an object'];
  if (!NAME.test(spec.name ?? '')) problems.push(`name must match ${NAME.source}`);
  if (!Array.isArray(spec.arms) || spec.arms.length === 0) return [...problems, 'arms: at least one arm'];
  const names = new Set<string>();
  spec.arms.forEach((a, i) => {
    if (!NAME.test(a.name ?? '')) problems.push(`arms[${i}].name must match ${NAME.source}`);
    if (names.has(a.name)) problems.push(`arms[${i}].name "${a.name}" is repeated`);
    names.add(a.name);
    try {
      parseModelRef(a.ref);
    } catch (err) {
      problems.push(`arms[${i}].ref: ${(err as Error).message}`);
    }
    if (a.weight !== undefined && !(a.weight >= 0)) problems.push(`arms[${i}].weight must be >= 0`);
  });
  const live = spec.arms.filter((a) => !a.shadow);
  if (live.length === 0) problems.push('at least one arm must serve (not shadow)');
  const canaries = spec.arms.filter((a) => a.canary);
  if (spec.canary && canaries.length !== 1)
    problems.push('a canary rollout needs exactly one arm with canary: true');
  if (!spec.canary && canaries.length > 0)
    problems.push('an arm is marked canary but there is no canary section');
  if (spec.canary && live.filter((a) => !a.canary).length !== 1)
    problems.push('a canary rollout needs exactly one baseline arm');
  if (
    spec.canary &&
    (!Array.isArray(spec.canary.steps) || spec.canary.steps.some((s) => !(s >= 0 && s <= 100)))
  ) {
    problems.push('canary.steps are percentages from 0 to 100');
  }
  if (spec.abTest && live.length !== 2) problems.push('an A/B test compares exactly two serving arms');
  if (spec.batch && !(spec.batch.maxRows >= 1 && spec.batch.maxWaitMs >= 0))
    problems.push('batch needs maxRows >= 1 and maxWaitMs >= 0');
  if (spec.logSampleRate !== undefined && !(spec.logSampleRate >= 0 && spec.logSampleRate <= 1))
    problems.push('logSampleRate is between 0 and 1');
  if (spec.access !== undefined && spec.access !== 'open' && spec.access !== 'token')
    problems.push('access is "open" or "token"');
  return problems;
}

export class DeploymentStore {
  private readonly db: SqlDb;
  private constructor(db: SqlDb) {
    this.db = db;
  }

  static async open(store: SqlRunStore): Promise<DeploymentStore> {
    await store.sql.migrate('deployments', DEPLOYMENT_MIGRATIONS);
    return new DeploymentStore(store.sql);
  }

  async apply(spec: DeploymentSpec): Promise<void> {
    const problems = checkDeployment(spec);
    if (problems.length)
      throw new KeelError(
        RegistryErrors.BAD_DEPLOYMENT,
        `deployment "${spec?.name}" is invalid: ${problems.join('; ')}`,
        { problems },
      );
    const at = new Date().toISOString();
    const project = await this.projectOfArms(spec);
    await this.db.transaction(async (tx) => {
      const before = await tx.get<{ project: string }>('SELECT project FROM deployments WHERE name = ?', [
        spec.name,
      ]);
      if (before && before.project !== project)
        throw new KeelError(
          RegistryErrors.BAD_PROJECT,
          `deployment ${spec.name} belongs to project ${before.project}; its new arms are of project ${project}`,
        );
      await tx.run(
        'INSERT INTO deployments (name, spec, updated_at, project) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at',
        [spec.name, JSON.stringify(spec), at, project],
      );
      await this.event(tx, spec.name, 'applied', { arms: spec.arms.map((a) => `${a.name}=${a.ref}`) });
    });
  }

  /** The one project of a spec's arms' models (models not yet registered count as 'default'). */
  async projectOfArms(spec: DeploymentSpec): Promise<string> {
    const found = new Set<string>();
    for (const a of spec.arms) {
      const row = await this.db.get<{ project: string }>(
        'SELECT project FROM model_projects WHERE name = ?',
        [parseModelRef(a.ref).name],
      );
      found.add(row?.project ?? 'default');
    }
    if (found.size > 1)
      throw new KeelError(
        RegistryErrors.BAD_PROJECT,
        `deployment ${spec.name} has arms in projects ${[...found].join(', ')}; one deployment serves one project`,
      );
    return [...found][0] ?? 'default';
  }

  /** The project a deployment belongs to (undefined for one never declared). */
  async project(name: string): Promise<string | undefined> {
    return (await this.db.get<{ project: string }>('SELECT project FROM deployments WHERE name = ?', [name]))
      ?.project;
  }

  async get(name: string): Promise<DeploymentSpec> {
    const row = await this.db.get<{ spec: string }>('SELECT spec FROM deployments WHERE name = ?', [name]);
    if (!row) throw new KeelError(RegistryErrors.NOT_FOUND, `no deployment named ${name}`);
    return JSON.parse(row.spec) as DeploymentSpec;
  }

  async list(
    o: { projects?: readonly string[] } = {},
  ): Promise<{ name: string; project: string; updatedAt: string }[]> {
    return (
      await this.db.all<{ name: string; updated_at: string; project: string }>(
        'SELECT name, updated_at, project FROM deployments ORDER BY name',
      )
    )
      .filter((r) => !o.projects || o.projects.includes(r.project))
      .map((r) => ({ name: r.name, project: r.project, updatedAt: r.updated_at }));
  }

  private async event(db: SqlDb, name: string, kind: string, detail: unknown): Promise<void> {
    const seq = await db.get<{ s: number | null }>(
      'SELECT max(seq) AS s FROM deployment_events WHERE name = ?',
      [name],
    );
    await db.run('INSERT INTO deployment_events (name, seq, at, kind, detail) VALUES (?, ?, ?, ?, ?)', [
      name,
      Number(seq?.s ?? 0) + 1,
      new Date().toISOString(),
      kind,
      JSON.stringify(detail),
    ]);
  }

  recordEvent(name: string, kind: string, detail: unknown): Promise<void> {
    return this.db.transaction((tx) => this.event(tx, name, kind, detail));
  }

  async events(name: string): Promise<{ at: string; kind: string; detail: unknown }[]> {
    const rows = await this.db.all<{ at: string; kind: string; detail: string }>(
      'SELECT at, kind, detail FROM deployment_events WHERE name = ? ORDER BY seq',
      [name],
    );
    return rows.map((r) => ({ at: r.at, kind: r.kind, detail: JSON.parse(r.detail) }));
  }

  /** A server's latest runtime state of an endpoint; `server` names the instance (host:port:pid) so servers of one
   * endpoint keep separate rows. */
  async saveState(name: string, state: unknown, server = 'default'): Promise<void> {
    await this.db.run(
      'INSERT INTO deployment_server_state (name, server, state, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name, server) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
      [name, server, JSON.stringify(state), new Date().toISOString()],
    );
  }

  /** The most recently reported state, with every server's own report beside it. */
  async state(name: string): Promise<{
    state: unknown;
    updatedAt: string;
    servers: { server: string; state: unknown; updatedAt: string }[];
  } | null> {
    const rows = await this.db.all<{ server: string; state: string; updated_at: string }>(
      'SELECT server, state, updated_at FROM deployment_server_state WHERE name = ? ORDER BY updated_at DESC, server',
      [name],
    );
    if (rows.length === 0) {
      const old = await this.db.get<{ state: string; updated_at: string }>(
        'SELECT state, updated_at FROM deployment_state WHERE name = ?',
        [name],
      );
      return old ? { state: JSON.parse(old.state), updatedAt: old.updated_at, servers: [] } : null;
    }
    const servers = rows.map((r) => ({
      server: r.server,
      state: JSON.parse(r.state),
      updatedAt: r.updated_at,
    }));
    return { state: servers[0].state, updatedAt: servers[0].updatedAt, servers };
  }

  /** Append sampled predictions (inputs already redacted by the server). */
  async logPredictions(
    rows: readonly {
      id: string;
      at: string;
      endpoint: string;
      model: string;
      version: number;
      arm: string;
      latencyMs: number;
      input: unknown;
      output: unknown;
    }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += 100) {
        const part = rows.slice(i, i + 100);
        await tx.run(
          `INSERT INTO prediction_log (id, at, endpoint, model, version, arm, latency_ms, input, output) VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (id) DO NOTHING`,
          part.flatMap((r) => [
            r.id,
            r.at,
            r.endpoint,
            r.model,
            r.version,
            r.arm,
            r.latencyMs,
            JSON.stringify(r.input),
            JSON.stringify(r.output),
          ]),
        );
      }
    });
  }

  async predictions(
    endpoint: string,
    limit = 100,
  ): Promise<
    {
      at: string;
      model: string;
      version: number;
      arm: string;
      latencyMs: number;
      input: unknown;
      output: unknown;
    }[]
  > {
    const rows = await this.db.all<{
      at: string;
      model: string;
      version: number;
      arm: string;
      latency_ms: number;
      input: string;
      output: string;
    }>(
      'SELECT at, model, version, arm, latency_ms, input, output FROM prediction_log WHERE endpoint = ? ORDER BY at DESC LIMIT ?',
      [endpoint, limit],
    );
    return rows.map((r) => ({
      at: r.at,
      model: r.model,
      version: Number(r.version),
      arm: r.arm,
      latencyMs: Number(r.latency_ms),
      input: JSON.parse(r.input),
      output: JSON.parse(r.output),
    }));
  }
}
