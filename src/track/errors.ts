// The track room's error catalog.

import { codesOf, type ErrorEntry } from '../core/index.ts';

export const TRACK_CATALOG = {
  NOT_FOUND: { code: 'TRACK_NOT_FOUND', status: 404, meaning: 'no such run, experiment or artifact' },
  ARTIFACT_MISSING: {
    code: 'TRACK_ARTIFACT_MISSING',
    status: 410,
    meaning: 'an artifact recorded in the store but gone from disk',
  },
  ARTIFACT_CORRUPT: {
    code: 'TRACK_ARTIFACT_CORRUPT',
    status: 422,
    meaning: 'an artifact whose bytes do not match its recorded hash',
  },
  RUN_NOT_ACTIVE: { code: 'TRACK_RUN_NOT_ACTIVE', status: 409, meaning: 'writing to a run that has ended' },
  STORE_UNAVAILABLE: {
    code: 'TRACK_STORE_UNAVAILABLE',
    status: 503,
    meaning: 'the metadata store cannot be reached or opened',
  },
  BAD_ARTIFACT_NAME: {
    code: 'TRACK_BAD_ARTIFACT_NAME',
    status: 400,
    meaning: 'an artifact name that leaves its run folder or is empty',
  },
  BAD_PROJECT: {
    code: 'TRACK_BAD_PROJECT',
    status: 409,
    meaning: 'a run started in an experiment that belongs to another project',
  },
  BAD_QUERY: { code: 'TRACK_BAD_QUERY', status: 400, meaning: 'a run filter or order that does not parse' },
  IN_USE: {
    code: 'TRACK_IN_USE',
    status: 409,
    meaning: 'a run or version still referenced (pinned, registered) cannot be deleted',
  },
} as const satisfies Record<string, ErrorEntry>;

export const TrackErrors = codesOf(TRACK_CATALOG);
