// Run records and the RunStore contract every metadata backend satisfies (one contract suite checks them all).

import type { Readable } from 'node:stream';
import type { ArtifactRef, ArtifactStore } from './artifacts.ts';
import type { SqlDb } from './db/types.ts';

export type RunStatus = 'running' | 'finished' | 'failed' | 'killed';
export const RUN_STATUSES: readonly RunStatus[] = ['running', 'finished', 'failed', 'killed'];

export interface RunArtifact extends ArtifactRef {
  name: string;
}

export interface RunRecord {
  id: string;
  experiment: string;
  /** the project of its experiment */
  project: string;
  parentId: string | null;
  name: string;
  status: RunStatus;
  note: string | null;
  startedAt: string;
  endedAt: string | null;
  heartbeatAt: string;
  pid: number;
  host: string;
  error: string | null;
  params: Record<string, string>;
  /** the latest value of each metric */
  metrics: Record<string, number>;
  tags: Record<string, string>;
  artifacts: RunArtifact[];
}

export interface StartRunOptions {
  experiment: string;
  /** the experiment's project: set when the experiment is first made ('default' unless given), checked after */
  project?: string;
  name: string;
  parentId?: string;
  note?: string;
  params?: Record<string, unknown>;
  tags?: Record<string, string>;
}

export interface MetricPoint {
  key: string;
  value: number;
  step?: number;
  /** ISO time; now when absent */
  at?: string;
}

export interface ListRunsOptions {
  experiment?: string;
  /** only runs of these projects (absent: every project) */
  projects?: readonly string[];
  status?: RunStatus;
  parentId?: string;
  /** the filter language: `metrics.auc > 0.9 and params.model = 'boosting'` */
  filter?: string;
  /** `metrics.auc desc`, `started_at` … */
  orderBy?: string;
  limit?: number;
  offset?: number;
}

export interface RunManifest {
  run_id: string;
  artifacts: RunArtifact[];
  /** SHA-256 over the sorted "name sha256 size" lines */
  sha256: string;
}

export interface GcReport {
  dryRun: boolean;
  scanned: number;
  referenced: number;
  removed: { sha256: string; size: number }[];
  removedBytes: number;
  keptYoung: number;
}

export interface RunStore {
  readonly sql: SqlDb;
  readonly artifacts: ArtifactStore;
  startRun(options: StartRunOptions): Promise<string>;
  logParams(runId: string, params: Record<string, unknown>): Promise<void>;
  logMetrics(runId: string, metrics: Record<string, number>, step?: number): Promise<void>;
  /** many points in one transaction */
  logMetricBatch(runId: string, points: readonly MetricPoint[]): Promise<void>;
  setTags(runId: string, tags: Record<string, string>): Promise<void>;
  setNote(runId: string, note: string): Promise<void>;
  logArtifact(
    runId: string,
    name: string,
    content: Uint8Array | Readable | AsyncIterable<Uint8Array>,
  ): Promise<RunArtifact>;
  endRun(runId: string, status: Exclude<RunStatus, 'running'>, error?: string): Promise<void>;
  heartbeat(runId: string): Promise<void>;
  getRun(runId: string): Promise<RunRecord>;
  listRuns(options?: ListRunsOptions): Promise<RunRecord[]>;
  countRuns(options?: ListRunsOptions): Promise<number>;
  metricHistory(runId: string, key: string): Promise<{ step: number; value: number; at: string }[]>;
  manifest(runId: string): Promise<RunManifest>;
  /** the named artifact of a run, verified */
  readRunArtifact(runId: string, name: string): Promise<Buffer>;
  readArtifact(sha256: string): Promise<Buffer>;
  deleteRun(runId: string): Promise<void>;
  deleteExperiment(name: string): Promise<number>;
  collectGarbage(options?: { dryRun?: boolean; minAgeMs?: number }): Promise<GcReport>;
  /** mark runs whose process is gone as killed; returns how many */
  reapAbandonedRuns(graceMs?: number): Promise<number>;
  close(): Promise<void>;
}
