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
    await this.db.transaction(async (tx) => {
      await tx.run(
        'INSERT INTO deployments (name, spec, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at',
        [spec.name, JSON.stringify(spec), at],
      );
      await this.event(tx, spec.name, 'applied', { arms: spec.arms.map((a) => `${a.name}=${a.ref}`) });
    });
  }

  async get(name: string): Promise<DeploymentSpec> {
    const row = await this.db.get<{ spec: string }>('SELECT spec FROM deployments WHERE name = ?', [name]);
    if (!row) throw new KeelError(RegistryErrors.NOT_FOUND, `no deployment named ${name}`);
    return JSON.parse(row.spec) as DeploymentSpec;
  }

  async list(): Promise<{ name: string; updatedAt: string }[]> {
    return (
      await this.db.all<{ name: string; updated_at: string }>(
        'SELECT name, updated_at FROM deployments ORDER BY name',
      )
    ).map((r) => ({ name: r.name, updatedAt: r.updated_at }));
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

  async saveState(name: string, state: unknown): Promise<void> {
    await this.db.run(
      'INSERT INTO deployment_state (name, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
      [name, JSON.stringify(state), new Date().toISOString()],
    );
  }

  async state(name: string): Promise<{ state: unknown; updatedAt: string } | null> {
    const row = await this.db.get<{ state: string; updated_at: string }>(
      'SELECT state, updated_at FROM deployment_state WHERE name = ?',
      [name],
    );
    return row ? { state: JSON.parse(row.state), updatedAt: row.updated_at } : null;
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
