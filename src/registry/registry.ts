// Model registry: versions created from a run's artifacts (their manifest pinned), aliases moved atomically through
// promotion gates with every decision and its evidence recorded, and verified loading.

import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { CoreErrors, isKeelError, KeelError } from '../core/index.ts';
import { decodeArtifact } from '../estimator/index.ts';
import type { SqlDb, SqlRunStore } from '../track/index.ts';
import { RegistryErrors } from './errors.ts';
import { type Gate, type GateResult, parseGate, type VersionEvidence } from './gates.ts';
import { REGISTRY_MIGRATIONS } from './schema.ts';
import { type SchemaLike, schemaGateResult } from './schema-compat.ts';

const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export interface ManifestEntry {
  name: string;
  sha256: string;
  size: number;
}

export interface CardFields {
  intended_use?: string;
  limitations?: string;
  [key: string]: string | undefined;
}

export interface ModelVersion {
  name: string;
  version: number;
  runId: string;
  /** the primary artifact (the model) */
  artifact: string;
  artifactSha256: string;
  artifactSize: number;
  manifest: ManifestEntry[];
  task: string | null;
  description: string | null;
  card: CardFields;
  createdAt: string;
  createdBy: string;
  aliases: string[];
  /** an Ed25519 signature over the version's identity and manifest (see signedPayload), where it was signed */
  signature: { alg: 'ed25519'; keyId: string; sig: string } | null;
}

/** Signs a version at registration (auth's loadSigner gives one). */
export interface VersionSigner {
  keyId: string;
  sign(payload: Buffer): { alg: 'ed25519'; keyId: string; sig: string };
}

/** Checks a version's signature at every load and promotion, throwing a coded error to refuse it. */
export type VersionVerifier = (payload: Buffer, signature: ModelVersion['signature'], what: string) => void;

/** What a signature covers: the name, version, run, model artifact and every manifest entry (names, hashes, sizes). */
export function signedPayload(v: {
  name: string;
  version: number;
  runId: string;
  artifact: string;
  artifactSha256: string;
  manifest: readonly ManifestEntry[];
}): Buffer {
  return Buffer.from(
    JSON.stringify([
      'keel-model-version/1',
      v.name,
      v.version,
      v.runId,
      v.artifact,
      v.artifactSha256,
      v.manifest.map((m) => [m.name, m.sha256, m.size]),
    ]),
  );
}

export interface AliasEvent {
  name: string;
  alias: string;
  fromVersion: number | null;
  toVersion: number;
  actor: string;
  reason: string;
  at: string;
  evaluationId: string | null;
}

export interface GateEvaluation {
  id: string;
  name: string;
  alias: string;
  candidateVersion: number;
  incumbentVersion: number | null;
  passed: boolean;
  overridden: boolean;
  overrideReason: string | null;
  actor: string;
  at: string;
  results: GateResult[];
}

export interface ModelRef {
  name: string;
  alias?: string;
  version?: number;
}

/** "name@alias", "name@3" (a version) or "name" (the latest version). */
export function parseModelRef(ref: string): ModelRef {
  const [name, sel, extra] = ref.split('@');
  if (extra !== undefined || !NAME.test(name ?? '')) {
    throw new KeelError(
      RegistryErrors.BAD_REF,
      `"${ref}" is not a model reference (name, name@alias or name@version)`,
    );
  }
  if (sel === undefined) return { name };
  if (/^\d+$/.test(sel)) return { name, version: Number(sel) };
  if (!NAME.test(sel)) throw new KeelError(RegistryErrors.BAD_REF, `"${sel}" is not a valid alias`);
  return { name, alias: sel };
}

function isUniqueViolation(err: unknown): boolean {
  const code = String((err as { code?: string }).code ?? '');
  return code === '23505' || code.startsWith('SQLITE_CONSTRAINT');
}

export class ModelRegistry {
  readonly store: SqlRunStore;
  private readonly db: SqlDb;
  private signer: VersionSigner | null = null;
  private verifier: VersionVerifier | null = null;

  /** Sign every version registered from now on. */
  signWith(signer: VersionSigner | null): this {
    this.signer = signer;
    return this;
  }

  /** Check every version's signature at load and promotion (a trust list). */
  trust(verifier: VersionVerifier | null): this {
    this.verifier = verifier;
    return this;
  }

  private constructor(store: SqlRunStore) {
    this.store = store;
    this.db = store.sql;
  }

  static async open(store: SqlRunStore): Promise<ModelRegistry> {
    await store.sql.migrate('registry', REGISTRY_MIGRATIONS);
    return new ModelRegistry(store);
  }

  /** A new version of `name` from a run: the named artifact is the model, all of the run's artifacts are its manifest. */
  async register(o: {
    name: string;
    runId: string;
    artifact: string;
    task?: string;
    description?: string;
    actor?: string;
  }): Promise<ModelVersion> {
    if (!NAME.test(o.name))
      throw new KeelError(RegistryErrors.BAD_NAME, `model name "${o.name}" must match ${NAME.source}`);
    const run = await this.store.getRun(o.runId);
    const main = run.artifacts.find((a) => a.name === o.artifact);
    if (!main)
      throw new KeelError(RegistryErrors.NO_ARTIFACT, `run ${o.runId} has no artifact "${o.artifact}"`);
    const manifest: ManifestEntry[] = run.artifacts.map((a) => ({
      name: a.name,
      sha256: a.sha256,
      size: a.size,
    }));
    for (let attempt = 0; ; attempt++) {
      try {
        const version = await this.db.transaction(async (tx) => {
          const row = await tx.get<{ v: number | null }>(
            'SELECT max(version) AS v FROM model_versions WHERE name = ?',
            [o.name],
          );
          const v = Number(row?.v ?? 0) + 1;
          await tx.run(
            'INSERT INTO model_projects (name, project) VALUES (?, ?) ON CONFLICT (name) DO NOTHING',
            [o.name, run.project],
          );
          const owner = await tx.get<{ project: string }>(
            'SELECT project FROM model_projects WHERE name = ?',
            [o.name],
          );
          if (owner && owner.project !== run.project)
            throw new KeelError(
              RegistryErrors.BAD_PROJECT,
              `model ${o.name} belongs to project ${owner.project}; run ${o.runId} is of project ${run.project}`,
            );
          const signature = this.signer?.sign(
            signedPayload({
              name: o.name,
              version: v,
              runId: o.runId,
              artifact: o.artifact,
              artifactSha256: main.sha256,
              manifest,
            }),
          );
          await tx.run(
            `INSERT INTO model_versions (name, version, run_id, artifact, artifact_sha256, artifact_size, manifest, task, description, card, created_at, created_by, signature)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              o.name,
              v,
              o.runId,
              o.artifact,
              main.sha256,
              main.size,
              JSON.stringify(manifest),
              o.task ?? null,
              o.description ?? null,
              '{}',
              new Date().toISOString(),
              o.actor ?? os.userInfo().username,
              signature ? JSON.stringify(signature) : null,
            ],
          );
          await this.store.pinArtifacts(
            `model:${o.name}@${v}`,
            o.runId,
            manifest.map((m) => m.sha256),
            tx,
          );
          return v;
        });
        return this.get(o.name, version);
      } catch (err) {
        if (!isUniqueViolation(err) || attempt > 20) throw err;
      }
    }
  }

  async evidence(mv: ModelVersion): Promise<VersionEvidence> {
    const run = await this.store.getRun(mv.runId).catch(() => null);
    return {
      name: mv.name,
      version: mv.version,
      task: mv.task,
      metrics: run?.metrics ?? {},
      sizeBytes: mv.manifest.reduce((s, m) => s + m.size, 0),
    };
  }

  /** Gates kept for an alias; `promote` applies them when no gates are given. */
  async setPolicy(name: string, alias: string, gateSpecs: readonly string[]): Promise<void> {
    for (const s of gateSpecs) parseGate(s);
    await this.db.run(
      'INSERT INTO alias_policies (name, alias, gates) VALUES (?, ?, ?) ON CONFLICT (name, alias) DO UPDATE SET gates = excluded.gates',
      [name, alias, JSON.stringify(gateSpecs)],
    );
  }

  async policy(name: string, alias: string): Promise<string[]> {
    const row = await this.db.get<{ gates: string }>(
      'SELECT gates FROM alias_policies WHERE name = ? AND alias = ?',
      [name, alias],
    );
    return row ? (JSON.parse(row.gates) as string[]) : [];
  }

  /**
   * Move `alias` to `version` if every gate passes (or an override reason is given). The evaluation and its evidence are
   * recorded either way; a failed gate without override throws REGISTRY_GATE_FAILED and leaves the alias where it was.
   */
  async promote(o: {
    name: string;
    version: number;
    alias: string;
    gates?: readonly (Gate | string)[];
    /** why, kept in the alias history ("no reason given" when a JavaScript caller leaves it out) */
    reason: string;
    actor?: string;
    override?: string;
  }): Promise<{ event: AliasEvent; evaluation: GateEvaluation }> {
    if (typeof o.reason !== 'string' || o.reason.trim() === '') o = { ...o, reason: 'no reason given' };
    if (!NAME.test(o.alias))
      throw new KeelError(RegistryErrors.BAD_NAME, `alias "${o.alias}" must match ${NAME.source}`);
    const candidate = await this.get(o.name, o.version);
    // a version whose files do not match its manifest can never become an alias target (no override): the next
    // server start or batch score would refuse it, turning a restart into an outage
    await this.loadVerified(candidate);
    const holder = await this.resolve({ name: o.name, alias: o.alias }).catch(() => null);
    const gates = (o.gates ?? (await this.policy(o.name, o.alias))).map((g) =>
      typeof g === 'string' ? parseGate(g) : g,
    );
    const cEv = await this.evidence(candidate);
    const iEv = holder && holder.version !== candidate.version ? await this.evidence(holder) : null;
    const results = gates.map((g) => g.evaluate(cEv, iEv));
    // callers of the alias keep sending the old contract: a changed input schema is a failed gate of its own
    if (holder && holder.version !== candidate.version) {
      const [was, now] = await Promise.all([this.inputSchemaOf(holder), this.inputSchemaOf(candidate)]);
      if (was && now) results.push(schemaGateResult(was, now, holder.version));
    }
    const passed = results.every((r) => r.passed);
    const actor = o.actor ?? os.userInfo().username;
    const evaluation: GateEvaluation = {
      id: randomUUID().replace(/-/g, ''),
      name: o.name,
      alias: o.alias,
      candidateVersion: o.version,
      incumbentVersion: holder?.version ?? null,
      passed,
      overridden: !passed && !!o.override,
      overrideReason: !passed ? (o.override ?? null) : null,
      actor,
      at: new Date().toISOString(),
      results,
    };
    await this.db.run(
      `INSERT INTO gate_evaluations (id, name, alias, candidate_version, incumbent_version, passed, overridden, override_reason, actor, at, results)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        evaluation.id,
        o.name,
        o.alias,
        o.version,
        evaluation.incumbentVersion,
        passed ? 1 : 0,
        evaluation.overridden ? 1 : 0,
        evaluation.overrideReason,
        actor,
        evaluation.at,
        JSON.stringify(results),
      ],
    );
    if (!passed && !o.override) {
      const failed = results.filter((r) => !r.passed).map((r) => `${r.gate}: ${r.message}`);
      throw new KeelError(
        RegistryErrors.GATE_FAILED,
        `${o.name}@${o.alias} stays at ${holder ? `v${holder.version}` : 'nothing'}: ${failed.join('; ')}`,
        {
          evaluation,
        },
      );
    }
    const reason = evaluation.overridden ? `${o.reason} (gates overridden: ${o.override})` : o.reason;
    const event = await this.moveAlias(o.name, o.alias, o.version, actor, reason, evaluation.id);
    return { event, evaluation };
  }

  private async moveAlias(
    name: string,
    alias: string,
    version: number,
    actor: string,
    reason: string,
    evaluationId: string | null,
  ): Promise<AliasEvent> {
    const at = new Date().toISOString();
    return this.db.transaction(async (tx) => {
      const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
      const prev = await tx.get<{ version: number }>(
        `SELECT version FROM model_aliases WHERE name = ? AND alias = ?${lock}`,
        [name, alias],
      );
      await tx.run(
        'INSERT INTO model_aliases (name, alias, version, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at',
        [name, alias, version, at],
      );
      const seq = await tx.get<{ s: number | null }>(
        'SELECT max(seq) AS s FROM alias_events WHERE name = ?',
        [name],
      );
      const fromVersion = prev ? Number(prev.version) : null;
      await tx.run(
        'INSERT INTO alias_events (name, seq, alias, from_version, to_version, actor, reason, at, evaluation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [name, Number(seq?.s ?? 0) + 1, alias, fromVersion, version, actor, reason, at, evaluationId],
      );
      return { name, alias, fromVersion, toVersion: version, actor, reason, at, evaluationId };
    });
  }

  async get(name: string, version: number): Promise<ModelVersion> {
    const row = await this.db.get<VersionRow>('SELECT * FROM model_versions WHERE name = ? AND version = ?', [
      name,
      version,
    ]);
    if (!row) throw new KeelError(RegistryErrors.NOT_FOUND, `model ${name} has no version ${version}`);
    return this.hydrate(row);
  }

  async resolve(ref: string | ModelRef): Promise<ModelVersion> {
    const r = typeof ref === 'string' ? parseModelRef(ref) : ref;
    if (r.version !== undefined) return this.get(r.name, r.version);
    if (r.alias !== undefined) {
      const row = await this.db.get<{ version: number }>(
        'SELECT version FROM model_aliases WHERE name = ? AND alias = ?',
        [r.name, r.alias],
      );
      if (!row) throw new KeelError(RegistryErrors.NOT_FOUND, `model ${r.name} has no alias @${r.alias}`);
      return this.get(r.name, Number(row.version));
    }
    const row = await this.db.get<{ v: number | null }>(
      'SELECT max(version) AS v FROM model_versions WHERE name = ?',
      [r.name],
    );
    if (row?.v === null || row?.v === undefined)
      throw new KeelError(RegistryErrors.NOT_FOUND, `no model named ${r.name}`);
    return this.get(r.name, Number(row.v));
  }

  /** The project a model belongs to (undefined for a name never registered). */
  async modelProject(name: string): Promise<string | undefined> {
    const row = await this.db.get<{ project: string }>('SELECT project FROM model_projects WHERE name = ?', [
      name,
    ]);
    return row?.project;
  }

  async listModels(
    o: { projects?: readonly string[] } = {},
  ): Promise<
    { name: string; project: string; versions: number; latest: number; aliases: Record<string, number> }[]
  > {
    const rows = (
      await this.db.all<{ name: string; n: number; latest: number; project: string | null }>(
        `SELECT v.name, count(*) AS n, max(v.version) AS latest, max(p.project) AS project FROM model_versions v
         LEFT JOIN model_projects p ON p.name = v.name GROUP BY v.name ORDER BY v.name`,
      )
    ).filter((r) => !o.projects || o.projects.includes(r.project ?? 'default'));
    const aliases = await this.db.all<{ name: string; alias: string; version: number }>(
      'SELECT name, alias, version FROM model_aliases',
    );
    return rows.map((r) => ({
      name: r.name,
      project: r.project ?? 'default',
      versions: Number(r.n),
      latest: Number(r.latest),
      aliases: Object.fromEntries(
        aliases.filter((a) => a.name === r.name).map((a) => [a.alias, Number(a.version)]),
      ),
    }));
  }

  async listVersions(name: string): Promise<ModelVersion[]> {
    const rows = await this.db.all<VersionRow>(
      'SELECT * FROM model_versions WHERE name = ? ORDER BY version',
      [name],
    );
    return Promise.all(rows.map((r) => this.hydrate(r)));
  }

  async aliasHistory(name: string): Promise<AliasEvent[]> {
    const rows = await this.db.all<{
      name: string;
      alias: string;
      from_version: number | null;
      to_version: number;
      actor: string;
      reason: string;
      at: string;
      evaluation_id: string | null;
    }>('SELECT * FROM alias_events WHERE name = ? ORDER BY seq', [name]);
    return rows.map((e) => ({
      name: e.name,
      alias: e.alias,
      fromVersion: e.from_version === null ? null : Number(e.from_version),
      toVersion: Number(e.to_version),
      actor: e.actor,
      reason: e.reason,
      at: e.at,
      evaluationId: e.evaluation_id,
    }));
  }

  async evaluations(name: string): Promise<GateEvaluation[]> {
    const rows = await this.db.all<Record<string, unknown>>(
      'SELECT * FROM gate_evaluations WHERE name = ? ORDER BY at',
      [name],
    );
    return rows.map((r) => ({
      id: String(r.id),
      name: String(r.name),
      alias: String(r.alias),
      candidateVersion: Number(r.candidate_version),
      incumbentVersion: r.incumbent_version === null ? null : Number(r.incumbent_version),
      passed: Number(r.passed) === 1,
      overridden: Number(r.overridden) === 1,
      overrideReason: (r.override_reason as string | null) ?? null,
      actor: String(r.actor),
      at: String(r.at),
      results: JSON.parse(String(r.results)) as GateResult[],
    }));
  }

  /** Fill in the card fields a person writes (intended use, limitations, …). */
  async updateCard(name: string, version: number, fields: CardFields): Promise<ModelVersion> {
    const mv = await this.get(name, version);
    const card = {
      ...mv.card,
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
    };
    await this.db.run('UPDATE model_versions SET card = ? WHERE name = ? AND version = ?', [
      JSON.stringify(card),
      name,
      version,
    ]);
    return this.get(name, version);
  }

  /**
   * Every file of the version's manifest, verified (size and SHA-256); the primary artifact's bytes are returned.
   * Any missing, truncated or altered file refuses the whole version with a list of what is wrong.
   */
  /** The input schema of a version's model artifact, or null when the artifact is not a Keel pipeline. */
  private async inputSchemaOf(mv: ModelVersion): Promise<SchemaLike | null> {
    try {
      const artifact = decodeArtifact<{ pipeline?: { inputSchema?: SchemaLike } }>(
        await this.loadVerified(mv),
      );
      return artifact?.pipeline?.inputSchema ?? null;
    } catch {
      return null;
    }
  }

  async loadVerified(mv: ModelVersion): Promise<Buffer> {
    const problems: string[] = [];
    let main: Buffer | null = null;
    for (const entry of mv.manifest) {
      try {
        const bytes = await this.store.readArtifact(entry.sha256);
        if (bytes.length !== entry.size)
          problems.push(`${entry.name}: ${bytes.length} bytes, manifest says ${entry.size}`);
        if (entry.name === mv.artifact) main = bytes;
      } catch (err) {
        // a key not given is not damage: say so as it is
        if (isKeelError(err, CoreErrors.ENCRYPTION)) throw err;
        problems.push(`${entry.name}: ${(err as Error).message}`);
      }
    }
    if (main && mv.manifest.find((m) => m.name === mv.artifact)?.sha256 !== mv.artifactSha256)
      problems.push(`the model artifact's hash differs from the manifest's entry for ${mv.artifact}`);
    if (problems.length > 0 || !main) {
      throw new KeelError(
        RegistryErrors.INTEGRITY,
        `${mv.name} version ${mv.version} fails its integrity check: ${problems.join('; ') || 'model artifact missing'}`,
        {
          problems,
        },
      );
    }
    this.verifier?.(signedPayload(mv), mv.signature, `${mv.name} version ${mv.version}`);
    return main;
  }

  /**
   * Every reference that resolves now must pass its integrity (and signature) check — what a deployment checks
   * before it is stored; an alias not set yet is checked by the server when it resolves and loads it.
   */
  async verifyRefs(refs: readonly string[]): Promise<void> {
    for (const ref of refs) {
      const mv = await this.resolve(ref).catch(() => null);
      if (mv) await this.loadVerified(mv);
    }
  }

  private async hydrate(row: VersionRow): Promise<ModelVersion> {
    const aliases = await this.db.all<{ alias: string }>(
      'SELECT alias FROM model_aliases WHERE name = ? AND version = ? ORDER BY alias',
      [row.name, row.version],
    );
    return {
      name: row.name,
      version: Number(row.version),
      runId: row.run_id,
      artifact: row.artifact,
      artifactSha256: row.artifact_sha256,
      artifactSize: Number(row.artifact_size),
      manifest: JSON.parse(row.manifest) as ManifestEntry[],
      task: row.task,
      description: row.description,
      card: JSON.parse(row.card) as CardFields,
      createdAt: row.created_at,
      createdBy: row.created_by,
      aliases: aliases.map((a) => a.alias),
      signature: row.signature ? (JSON.parse(row.signature) as ModelVersion['signature']) : null,
    };
  }
}

interface VersionRow {
  name: string;
  version: number;
  run_id: string;
  artifact: string;
  artifact_sha256: string;
  artifact_size: number;
  manifest: string;
  task: string | null;
  description: string | null;
  card: string;
  created_at: string;
  created_by: string;
  signature: string | null;
}
