// KeelClient: the typed TypeScript client of the platform API (fetch only; works in Node and browsers).

import type {
  ApiError,
  CardUpdate,
  GateEvaluation,
  GcReport,
  ListRunsQuery,
  ModelDetail,
  ModelSummary,
  ModelVersion,
  PromoteRequest,
  PromoteResponse,
  RunComparison,
  RunList,
  RunManifest,
  RunRecord,
} from './types.ts';

export class KeelApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, body: ApiError | null, fallback: string) {
    super(body?.error.message ?? fallback);
    this.name = 'KeelApiError';
    this.status = status;
    this.code = body?.error.code ?? 'API_HTTP_ERROR';
    this.details = body?.error.details;
  }
}

export class KeelClient {
  private readonly base: string;
  private readonly auth: Record<string, string>;
  /** `token`: an API token (`keel tokens create`), sent as `Authorization: Bearer …` (default $KEEL_TOKEN) */
  constructor(baseUrl: string, o: { token?: string } = {}) {
    this.base = baseUrl.replace(/\/+$/, '');
    const token = o.token ?? (typeof process === 'undefined' ? undefined : process.env.KEEL_TOKEN);
    this.auth = token ? { authorization: `Bearer ${token}` } : {};
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    as: 'json' | 'text' | 'bytes' = 'json',
  ): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: body === undefined ? this.auth : { ...this.auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      const parsed = (await res.json().catch(() => null)) as ApiError | null;
      throw new KeelApiError(res.status, parsed, `${method} ${path}: HTTP ${res.status}`);
    }
    if (as === 'text') return (await res.text()) as T;
    if (as === 'bytes') return new Uint8Array(await res.arrayBuffer()) as T;
    return (await res.json()) as T;
  }

  listRuns(q: ListRunsQuery = {}): Promise<RunList> {
    const qs = new URLSearchParams(
      Object.entries(q)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)] as [string, string]),
    );
    return this.request('GET', `/api/v1/runs${qs.size ? `?${qs}` : ''}`);
  }
  getRun(id: string): Promise<RunRecord> {
    return this.request('GET', `/api/v1/runs/${encodeURIComponent(id)}`);
  }
  deleteRun(id: string, force = false): Promise<{ deleted: string }> {
    return this.request('DELETE', `/api/v1/runs/${encodeURIComponent(id)}${force ? '?force=true' : ''}`);
  }
  manifest(id: string): Promise<RunManifest> {
    return this.request('GET', `/api/v1/runs/${encodeURIComponent(id)}/manifest`);
  }
  metricHistory(
    id: string,
    key: string,
  ): Promise<{ key: string; history: { step: number; value: number; at: string }[] }> {
    return this.request('GET', `/api/v1/runs/${encodeURIComponent(id)}/metrics/${encodeURIComponent(key)}`);
  }
  /** `name` is a relative artifact path such as "model.keel" or "reports/roc.json" */
  artifact(id: string, name: string): Promise<Uint8Array> {
    const path = name.split('/').map(encodeURIComponent).join('/');
    return this.request(
      'GET',
      `/api/v1/runs/${encodeURIComponent(id)}/artifacts/${path}`,
      undefined,
      'bytes',
    );
  }
  compare(ids: string[]): Promise<RunComparison> {
    return this.request('GET', `/api/v1/compare?ids=${ids.map(encodeURIComponent).join(',')}`);
  }
  collectGarbage(dryRun = true): Promise<GcReport> {
    return this.request('POST', '/api/v1/gc', { dryRun });
  }
  listModels(): Promise<{ models: ModelSummary[] }> {
    return this.request('GET', '/api/v1/models');
  }
  getModel(name: string): Promise<ModelDetail> {
    return this.request('GET', `/api/v1/models/${encodeURIComponent(name)}`);
  }
  getVersion(name: string, version: number): Promise<ModelVersion> {
    return this.request('GET', `/api/v1/models/${encodeURIComponent(name)}/versions/${version}`);
  }
  card(name: string, version: number, format: 'md' | 'html' = 'md'): Promise<string> {
    return this.request(
      'GET',
      `/api/v1/models/${encodeURIComponent(name)}/versions/${version}/card?format=${format}`,
      undefined,
      'text',
    );
  }
  updateCard(name: string, version: number, fields: CardUpdate): Promise<ModelVersion> {
    return this.request('PUT', `/api/v1/models/${encodeURIComponent(name)}/versions/${version}/card`, fields);
  }
  promote(name: string, alias: string, req: PromoteRequest): Promise<PromoteResponse> {
    return this.request(
      'POST',
      `/api/v1/models/${encodeURIComponent(name)}/aliases/${encodeURIComponent(alias)}`,
      req,
    );
  }
  evaluations(name: string): Promise<{ evaluations: GateEvaluation[] }> {
    return this.request('GET', `/api/v1/models/${encodeURIComponent(name)}/evaluations`);
  }
  setPolicy(
    name: string,
    alias: string,
    gates: string[],
  ): Promise<{ name: string; alias: string; gates: string[] }> {
    return this.request(
      'PUT',
      `/api/v1/models/${encodeURIComponent(name)}/policies/${encodeURIComponent(alias)}`,
      { gates },
    );
  }
}
