// The serve room's error catalog, each code with its HTTP status (only serve/api answer with statuses).

import { codesOf, type ErrorEntry, statusIn } from '../core/index.ts';

export const SERVE_CATALOG = {
  SCHEMA_MISMATCH: {
    code: 'SERVE_SCHEMA_MISMATCH',
    status: 400,
    meaning: 'a request whose instances do not fit the model input schema; details list every field',
  },
  BAD_REQUEST: { code: 'SERVE_BAD_REQUEST', status: 400, meaning: 'a request the server cannot act on' },
  BAD_JSON: { code: 'SERVE_BAD_JSON', status: 400, meaning: 'a body that is not valid JSON' },
  TOO_DEEP: { code: 'SERVE_TOO_DEEP', status: 400, meaning: 'a body nested deeper than allowed' },
  TOO_LARGE: { code: 'SERVE_TOO_LARGE', status: 413, meaning: 'a body over the size limit' },
  UNSUPPORTED_MEDIA: {
    code: 'SERVE_UNSUPPORTED_MEDIA_TYPE',
    status: 415,
    meaning: 'a content type other than application/json',
  },
  MODEL_NOT_FOUND: {
    code: 'SERVE_MODEL_NOT_FOUND',
    status: 404,
    meaning: 'no served model or deployment of that name',
  },
  NOT_READY: { code: 'SERVE_NOT_READY', status: 503, meaning: 'the server is starting or draining' },
  OVERLOADED: { code: 'SERVE_OVERLOADED', status: 503, meaning: 'too many requests in flight; retry later' },
  BAD_ARTIFACT: {
    code: 'SERVE_BAD_ARTIFACT',
    status: 422,
    meaning: 'a registered artifact the server cannot load or serve',
  },
  PREDICT_FAILED: { code: 'SERVE_PREDICT_FAILED', status: 500, meaning: 'the model failed while scoring' },
  INTERNAL: { code: 'SERVE_INTERNAL', status: 500, meaning: 'an unexpected server fault' },
} as const satisfies Record<string, ErrorEntry>;

export const ServeErrors = codesOf(SERVE_CATALOG);

/** Codes of single-field problems inside a SERVE_SCHEMA_MISMATCH. */
export const FIELD_CATALOG = {
  MISSING: { code: 'FIELD_MISSING', status: 400, meaning: 'a required field is absent' },
  UNKNOWN: { code: 'FIELD_UNKNOWN', status: 400, meaning: 'a field the model does not take' },
  FORBIDDEN: {
    code: 'FIELD_FORBIDDEN',
    status: 400,
    meaning: 'a field name that is never allowed (__proto__, constructor)',
  },
  NULL: { code: 'FIELD_NULL', status: 400, meaning: 'null in a field that was never missing in training' },
  TYPE: { code: 'FIELD_TYPE', status: 400, meaning: 'a value of the wrong type for its field' },
  SHAPE: { code: 'BODY_SHAPE', status: 400, meaning: 'a body or instance of the wrong shape' },
} as const satisfies Record<string, ErrorEntry>;

export const FieldErrors = codesOf(FIELD_CATALOG);

/** The HTTP status of a code the server answers with (its own, and those of the rooms it reads models from). */
export const statusOf = statusIn([SERVE_CATALOG, FIELD_CATALOG]);

export interface FieldError {
  code: string;
  path: string;
  message: string;
}

/** The message for an endpoint this server does not serve: the guard's answer for another project's endpoint must
 * read exactly like it. */
export function notServed(name: string): string {
  return `no model named "${name}" is served here`;
}
