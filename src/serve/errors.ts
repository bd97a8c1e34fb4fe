// The serve room's error catalog and its mapping to HTTP statuses (only serve/api map codes to statuses).

export const ServeErrors = {
  SCHEMA_MISMATCH: 'SERVE_SCHEMA_MISMATCH',
  BAD_REQUEST: 'SERVE_BAD_REQUEST',
  BAD_JSON: 'SERVE_BAD_JSON',
  TOO_LARGE: 'SERVE_TOO_LARGE',
  MODEL_NOT_FOUND: 'SERVE_MODEL_NOT_FOUND',
  NOT_READY: 'SERVE_NOT_READY',
  BAD_ARTIFACT: 'SERVE_BAD_ARTIFACT',
  INTERNAL: 'SERVE_INTERNAL',
} as const;

export const STATUS_OF: Record<string, number> = {
  [ServeErrors.SCHEMA_MISMATCH]: 400,
  [ServeErrors.BAD_REQUEST]: 400,
  [ServeErrors.BAD_JSON]: 400,
  [ServeErrors.TOO_LARGE]: 413,
  [ServeErrors.MODEL_NOT_FOUND]: 404,
  [ServeErrors.NOT_READY]: 503,
  [ServeErrors.INTERNAL]: 500,
};

export interface FieldError {
  path: string;
  message: string;
}
