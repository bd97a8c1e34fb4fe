// The serve room's error catalog and its mapping to HTTP statuses (only serve/api map codes to statuses).

export const ServeErrors = {
  SCHEMA_MISMATCH: 'SERVE_SCHEMA_MISMATCH',
  BAD_REQUEST: 'SERVE_BAD_REQUEST',
  BAD_JSON: 'SERVE_BAD_JSON',
  TOO_DEEP: 'SERVE_TOO_DEEP',
  TOO_LARGE: 'SERVE_TOO_LARGE',
  UNSUPPORTED_MEDIA: 'SERVE_UNSUPPORTED_MEDIA_TYPE',
  MODEL_NOT_FOUND: 'SERVE_MODEL_NOT_FOUND',
  NOT_READY: 'SERVE_NOT_READY',
  OVERLOADED: 'SERVE_OVERLOADED',
  BAD_ARTIFACT: 'SERVE_BAD_ARTIFACT',
  PREDICT_FAILED: 'SERVE_PREDICT_FAILED',
  INTERNAL: 'SERVE_INTERNAL',
} as const;

/** Codes of single-field problems inside a SERVE_SCHEMA_MISMATCH. */
export const FieldErrors = {
  MISSING: 'FIELD_MISSING',
  UNKNOWN: 'FIELD_UNKNOWN',
  FORBIDDEN: 'FIELD_FORBIDDEN',
  NULL: 'FIELD_NULL',
  TYPE: 'FIELD_TYPE',
  SHAPE: 'BODY_SHAPE',
} as const;

export const STATUS_OF: Record<string, number> = {
  [ServeErrors.SCHEMA_MISMATCH]: 400,
  [ServeErrors.BAD_REQUEST]: 400,
  [ServeErrors.BAD_JSON]: 400,
  [ServeErrors.TOO_DEEP]: 400,
  [ServeErrors.TOO_LARGE]: 413,
  [ServeErrors.UNSUPPORTED_MEDIA]: 415,
  [ServeErrors.MODEL_NOT_FOUND]: 404,
  [ServeErrors.NOT_READY]: 503,
  [ServeErrors.OVERLOADED]: 503,
  [ServeErrors.PREDICT_FAILED]: 500,
  [ServeErrors.INTERNAL]: 500,
};

export interface FieldError {
  code: string;
  path: string;
  message: string;
}
