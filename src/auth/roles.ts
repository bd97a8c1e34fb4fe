// Roles and what each may do, declared once: every check, the policy table and `keel users` read this.

/** Every action a route or command can need. */
export const PERMISSIONS = [
  'read',
  'predict',
  'run.write',
  'run.delete',
  'model.register',
  'model.card',
  'model.promote',
  'policy.write',
  'deploy.write',
  'deploy.reload',
  'outcomes.write',
  'audit.read',
  'gc',
  'admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: Permission[] = ['read', 'predict'];
const SCIENTIST: Permission[] = [...VIEWER, 'run.write', 'model.register', 'model.card'];
const MAINTAINER: Permission[] = [
  ...SCIENTIST,
  'run.delete',
  'model.promote',
  'policy.write',
  'deploy.write',
  'deploy.reload',
  'audit.read',
];

/** The roles; `service` is for model servers, workers and feedback jobs (no promotion, no deletion). */
export const ROLES = {
  viewer: { about: 'reads runs, models, deployments; may call predict', permissions: VIEWER },
  scientist: { about: 'viewer + runs, studies, registering candidates, cards', permissions: SCIENTIST },
  maintainer: {
    about: 'scientist + promote, roll back, deploy, policies, deletions, the audit log',
    permissions: MAINTAINER,
  },
  admin: { about: 'everything, users and tokens included', permissions: [...PERMISSIONS] },
  service: {
    about: 'servers and workers: read, predict, post outcomes, write runs, register',
    permissions: ['read', 'predict', 'outcomes.write', 'run.write', 'model.register', 'deploy.reload'],
  },
} as const satisfies Record<string, { about: string; permissions: readonly Permission[] }>;
export type Role = keyof typeof ROLES;

export function isRole(r: string): r is Role {
  return Object.hasOwn(ROLES, r);
}

export function roleGrants(role: Role, p: Permission): boolean {
  return (ROLES[role].permissions as readonly Permission[]).includes(p);
}

/** Every project-wide name: letters, digits, dot, dash, underscore; `*` is every project. */
export const PROJECT_NAME = /^(\*|[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;
export const DEFAULT_PROJECT = 'default';
