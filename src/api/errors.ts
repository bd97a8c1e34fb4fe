// The api room's error catalog, and the status of every code the platform API can answer with.

import { AUTH_CATALOG } from '../auth/index.ts';
import { CORE_CATALOG, codesOf, type ErrorEntry, statusIn } from '../core/index.ts';
import { DATA_CATALOG } from '../data/index.ts';
import { ESTIMATOR_CATALOG } from '../estimator/index.ts';
import { EVALUATE_CATALOG } from '../evaluate/index.ts';
import { FLOW_CATALOG } from '../flow/index.ts';
import { REGISTRY_CATALOG } from '../registry/index.ts';
import { FIELD_CATALOG, SERVE_CATALOG } from '../serve/index.ts';
import { TRACK_CATALOG } from '../track/index.ts';
import { TRANSFORM_CATALOG } from '../transform/index.ts';
import { TUNE_CATALOG } from '../tune/index.ts';

export const API_CATALOG = {
  BAD_REQUEST: {
    code: 'API_BAD_REQUEST',
    status: 400,
    meaning: 'a request body or query the API cannot act on',
  },
  NOT_FOUND: { code: 'API_NOT_FOUND', status: 404, meaning: 'no such route' },
  INTERNAL: {
    code: 'API_INTERNAL',
    status: 500,
    meaning: 'an unexpected fault; the server log has the details',
  },
} as const satisfies Record<string, ErrorEntry>;

export const ApiErrors = codesOf(API_CATALOG);

/** Every room's catalog the API can meet, for statuses and for `keel errors`. */
export const ALL_CATALOGS: Record<string, Record<string, ErrorEntry>> = {
  data: DATA_CATALOG,
  estimator: ESTIMATOR_CATALOG,
  transform: TRANSFORM_CATALOG,
  evaluate: EVALUATE_CATALOG,
  tune: TUNE_CATALOG,
  track: TRACK_CATALOG,
  registry: REGISTRY_CATALOG,
  flow: FLOW_CATALOG,
  serve: SERVE_CATALOG,
  'serve (fields)': FIELD_CATALOG,
  auth: AUTH_CATALOG,
  api: API_CATALOG,
};

export const statusOf = statusIn([CORE_CATALOG, ...Object.values(ALL_CATALOGS)]);
