// The platform API's request and response shapes: shared by the server, the typed client and (later) the dashboard.

import type { AliasEvent, GateEvaluation, ModelVersion } from '../registry/index.ts';
import type { GcReport, RunComparison, RunManifest, RunRecord } from '../track/index.ts';

export type { AliasEvent, GateEvaluation, GcReport, ModelVersion, RunComparison, RunManifest, RunRecord };

export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

export interface RunList {
  runs: RunRecord[];
  total: number;
  limit: number;
  offset: number;
}

export interface ListRunsQuery {
  experiment?: string;
  status?: string;
  filter?: string;
  order?: string;
  limit?: number;
  offset?: number;
}

export interface ModelSummary {
  name: string;
  versions: number;
  latest: number;
  aliases: Record<string, number>;
}

export interface ModelDetail {
  name: string;
  versions: ModelVersion[];
  history: AliasEvent[];
}

export interface PromoteRequest {
  version: number;
  reason: string;
  /** gate specs such as "roc_auc>=0.9" or "beats:roc_auc"; the alias's policy when absent */
  gates?: string[];
  /** move even if gates fail; the reason is recorded */
  override?: string;
  actor?: string;
}

export interface PromoteResponse {
  event: AliasEvent;
  evaluation: GateEvaluation;
}

export interface CardUpdate {
  intended_use?: string;
  limitations?: string;
  [field: string]: string | undefined;
}
