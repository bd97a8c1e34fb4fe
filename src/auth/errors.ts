// The auth room's error catalog: who is asking, what they may do, and the boundary's own refusals.

import { codesOf, type ErrorEntry } from '../core/index.ts';

export const AUTH_CATALOG = {
  UNAUTHENTICATED: {
    code: 'AUTH_UNAUTHENTICATED',
    status: 401,
    meaning: 'no token, or a token that is unknown, expired or revoked (the answer never says which)',
  },
  FORBIDDEN: {
    code: 'AUTH_FORBIDDEN',
    status: 403,
    meaning: "the identity's role in the object's project does not grant this action",
  },
  BAD_HOST: {
    code: 'AUTH_BAD_HOST',
    status: 421,
    meaning: 'a Host header outside the allowlist (a DNS-rebinding guard); add the name with --allow-host',
  },
  OPEN_BIND: {
    code: 'AUTH_OPEN_BIND',
    status: 400,
    meaning: 'a server asked to listen beyond loopback with a route that needs no token',
  },
  NO_IDENTITY: { code: 'AUTH_NO_IDENTITY', status: 404, meaning: 'no such user, service account or token' },
  BAD_ROLE: { code: 'AUTH_BAD_ROLE', status: 400, meaning: 'a role or project name that is not valid' },
  EXISTS: { code: 'AUTH_EXISTS', status: 409, meaning: 'an identity of that name exists already' },
  AUDIT_BROKEN: {
    code: 'AUTH_AUDIT_BROKEN',
    status: 409,
    meaning: 'the audit log hash chain does not verify: an entry was edited, deleted or reordered',
  },
  UNSIGNED: {
    code: 'AUTH_UNSIGNED',
    status: 409,
    meaning: 'an artifact without a signature where a trust list requires one',
  },
  BAD_SIGNATURE: {
    code: 'AUTH_BAD_SIGNATURE',
    status: 409,
    meaning: 'an artifact signature that does not verify, or one made by a key not on the trust list',
  },
  KEY: { code: 'AUTH_KEY', status: 400, meaning: 'a signing key file that is missing or not an Ed25519 key' },
} as const satisfies Record<string, ErrorEntry>;

export const AuthErrors = codesOf(AUTH_CATALOG);
