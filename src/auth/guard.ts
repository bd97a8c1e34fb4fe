// The guard both servers install: every registered route must have a policy (else start-up fails), and every
// request is checked against it before its body is read — Host allowlist, token, role in the object's project.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KeelError } from '../core/index.ts';
import { AuthErrors } from './errors.ts';
import { type RoutePolicy, routeKey, type Scope } from './policy.ts';
import type { Permission } from './roles.ts';
import { type AuthStore, can, canEverywhere, type Principal, projectsWhere } from './store.ts';

export interface GuardOptions {
  policies: Readonly<Record<string, RoutePolicy>>;
  /** where tokens are checked; null: no authentication (loopback only; every non-public route answers 401) */
  auth: AuthStore | null;
  /** the project of the object a route names (undefined: no such object, the handler answers its own 404) */
  projectOf: (
    scope: Scope,
    req: FastifyRequest,
  ) => string | string[] | undefined | Promise<string | string[] | undefined>;
  /** the (404) error the handler gives for a missing object (the i-th of a list): a caller without access sees exactly that */
  hidden: (scope: Scope, req: FastifyRequest, i: number) => KeelError;
  /** who a request without any token acts as (a local single-user server); absent: such requests get 401 */
  anonymousAs?: Principal;
  /** for openable routes: is this request's object open to callers without a token? */
  isOpen?: (req: FastifyRequest) => boolean;
  /** whether the server answers requests naming a given Host */
  hostAllowed?: (host: string | undefined) => boolean;
  /** keep who called for the handler (accessOf, actorOf); a server whose handlers never ask passes false */
  remember?: boolean;
  /** the projects a served-scope route needs the permission in */
  served?: () => string[];
}

/** What the guard learned about a request, for the handler: who, and for listings which projects. */
export interface RequestAccess {
  principal: Principal | null;
  /** the projects a listing may show ('*' for all) */
  projects: string[] | '*';
}

const access = new WeakMap<FastifyRequest, RequestAccess>();

export function accessOf(req: FastifyRequest): RequestAccess {
  return access.get(req) ?? { principal: null, projects: [] };
}

/** The actor name the audit log and the registry record for a request. */
export function actorOf(req: FastifyRequest): string {
  return accessOf(req).principal?.name ?? 'anonymous';
}

/** The browser's session cookie after a single sign-on (read for GET only: a cookie never authorises a change). */
export const SESSION_COOKIE = 'keel_session';

const SESSION_COOKIE_PATTERN = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`);

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    const cookie = req.headers.cookie;
    if (typeof cookie !== 'string') return undefined;
    return SESSION_COOKIE_PATTERN.exec(cookie)?.[1];
  }
  // the common exact form first, without a regular expression (this runs on every protected request)
  if (h.startsWith('Bearer ') && h.indexOf(' ', 7) < 0) return h.length > 7 ? h.slice(7) : undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

export function installGuard(app: FastifyInstance, o: GuardOptions): void {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      if (m === 'HEAD' || m === 'OPTIONS') continue;
      if (!o.policies[routeKey(m, route.url)])
        throw new Error(`route ${m} ${route.url} has no policy in the route policy table`);
    }
  });

  const deny = (reply: FastifyReply, code: string, status: number, message: string) => {
    if (status === 401) reply.header('www-authenticate', 'Bearer realm="keel"');
    return reply.code(status).send({ error: { code, message } });
  };

  /** the role check once the caller is known; sync when the object's project is known without I/O */
  const decide = (
    req: FastifyRequest,
    reply: FastifyReply,
    policy: RoutePolicy,
    who: Principal | null,
  ): boolean | Promise<boolean> => {
    if (!who) {
      deny(
        reply,
        AuthErrors.UNAUTHENTICATED,
        401,
        'this route needs a valid token (Authorization: Bearer …)',
      );
      return false;
    }
    const perm = policy.permission as Permission;
    const forbidden = () => {
      deny(reply, AuthErrors.FORBIDDEN, 403, `${who.name} may not ${perm} here`);
      return false;
    };
    switch (policy.scope) {
      case 'token':
        access.set(req, { principal: who, projects: projectsWhere(who, 'read') });
        return true;
      case 'global':
        if (!canEverywhere(who, perm)) return forbidden();
        access.set(req, { principal: who, projects: '*' });
        return true;
      case 'list': {
        const projects = projectsWhere(who, perm);
        if (projects !== '*' && projects.length === 0) return forbidden();
        access.set(req, { principal: who, projects });
        return true;
      }
      case 'served':
        for (const p of o.served?.() ?? []) if (!can(who, perm, p)) return forbidden();
        access.set(req, { principal: who, projects: '*' });
        return true;
      default: {
        const found = o.projectOf(policy.scope, req);
        // the one-project case (an endpoint, a run) decided inline: this is the hot path of protected predict
        if (typeof found === 'string' && can(who, perm, found)) {
          if (o.remember !== false) access.set(req, { principal: who, projects: projectsWhere(who, 'read') });
          return true;
        }
        const judge = (found: string | string[] | undefined): boolean => {
          const list = found === undefined ? [] : Array.isArray(found) ? found : [found];
          for (let i = 0; i < list.length; i++) {
            if (can(who, perm, list[i])) continue;
            // an object of a project the caller cannot even read does not exist for them
            if (!can(who, 'read', list[i])) {
              const e = o.hidden(policy.scope, req, i);
              deny(reply, e.code, 404, e.message);
              return false;
            }
            return forbidden();
          }
          access.set(req, {
            principal: who,
            projects: policy.scope === 'endpoint' ? [] : projectsWhere(who, 'read'),
          });
          return true;
        };
        return found instanceof Promise ? found.then(judge) : judge(found);
      }
    }
  };

  /** who the request is: the token's principal (from the cache without any await when it is warm) */
  const identify = (req: FastifyRequest): Principal | null | Promise<Principal | null> => {
    const token = bearer(req);
    if (token === undefined) return o.anonymousAs ?? null;
    if (!o.auth) return null;
    const hit = o.auth.cached(token);
    return hit !== undefined ? hit : o.auth.authenticate(token);
  };

  app.addHook('onRequest', (req, reply, done) => {
    if (o.hostAllowed && !o.hostAllowed(req.headers.host)) {
      deny(
        reply,
        AuthErrors.BAD_HOST,
        421,
        `this server does not answer for host ${JSON.stringify(req.headers.host ?? '')}`,
      );
      return;
    }
    const url = req.routeOptions.url;
    if (url === undefined) return done(); // no such route: the not-found handler answers
    const policy = o.policies[routeKey(req.method, url)];
    if (!policy) {
      deny(reply, AuthErrors.FORBIDDEN, 403, 'this route has no policy');
      return;
    }
    if (policy.scope === 'public' || (policy.openable && o.isOpen?.(req))) return done();
    const fail = (err: Error) => done(err);
    const after = (ok: boolean | Promise<boolean>) => {
      if (ok instanceof Promise) ok.then((x) => x && done(), fail);
      else if (ok) done();
    };
    const who = identify(req);
    if (who instanceof Promise) who.then((w) => after(decide(req, reply, policy, w)), fail);
    else after(decide(req, reply, policy, who));
  });
}
