// The registry room's error catalog.

import { codesOf, type ErrorEntry } from '../core/index.ts';

export const REGISTRY_CATALOG = {
  BAD_NAME: {
    code: 'REGISTRY_BAD_NAME',
    status: 400,
    meaning: 'a model name that is not a valid identifier',
  },
  BAD_REF: {
    code: 'REGISTRY_BAD_REF',
    status: 400,
    meaning: 'a model reference that is not name@alias or name@version',
  },
  NOT_FOUND: { code: 'REGISTRY_NOT_FOUND', status: 404, meaning: 'no such model, version or alias' },
  NO_ARTIFACT: {
    code: 'REGISTRY_NO_ARTIFACT',
    status: 400,
    meaning: 'the run has no artifact of that name to register',
  },
  BAD_GATE: {
    code: 'REGISTRY_BAD_GATE',
    status: 400,
    meaning: 'a promotion gate that cannot be evaluated as written',
  },
  GATE_FAILED: {
    code: 'REGISTRY_GATE_FAILED',
    status: 409,
    meaning: 'a promotion gate did not pass; the alias stays',
  },
  INTEGRITY: {
    code: 'REGISTRY_INTEGRITY',
    status: 422,
    meaning: 'an artifact whose bytes do not match the version manifest',
  },
  BAD_PROJECT: {
    code: 'REGISTRY_BAD_PROJECT',
    status: 409,
    meaning: "a version registered from another project's run, or a deployment whose arms span projects",
  },
  BAD_DEPLOYMENT: {
    code: 'REGISTRY_BAD_DEPLOYMENT',
    status: 400,
    meaning: 'a deployment spec with missing or contradictory arms',
  },
} as const satisfies Record<string, ErrorEntry>;

export const RegistryErrors = codesOf(REGISTRY_CATALOG);
