// Run records and the RunStore contract that every backend (SQLite now, PostgreSQL later) implements.

import type { ArtifactRef } from './artifacts.ts';

export type RunStatus = 'running' | 'finished' | 'failed' | 'killed';

export interface RunArtifact extends ArtifactRef {
  name: string;
}

export interface RunRecord {
  id: string;
  experiment: string;
  name: string;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  heartbeatAt: string;
  pid: number;
  host: string;
  error: string | null;
  params: Record<string, string>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
  artifacts: RunArtifact[];
}

export interface StartRunOptions {
  experiment: string;
  name: string;
  params?: Record<string, unknown>;
  tags?: Record<string, string>;
}

export interface RunStore {
  startRun(options: StartRunOptions): string;
  logParams(runId: string, params: Record<string, unknown>): void;
  logMetrics(runId: string, metrics: Record<string, number>, step?: number): void;
  setTags(runId: string, tags: Record<string, string>): void;
  /** store bytes content-addressed and attach them to the run under a name */
  logArtifact(runId: string, name: string, bytes: Uint8Array): RunArtifact;
  endRun(runId: string, status: Exclude<RunStatus, 'running'>, error?: string): void;
  heartbeat(runId: string): void;
  getRun(runId: string): RunRecord;
  listRuns(filter?: { experiment?: string; status?: RunStatus; limit?: number }): RunRecord[];
  readArtifact(sha256: string): Buffer;
  close(): void;
}
