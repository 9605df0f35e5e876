import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sameGroup } from '../../auth/oidc-groups.js';
import { newCsrfSecret, newSessionId, openSession, sealSession, SESSION_COOKIE, SESSION_LIFETIME, type OperatorSession, type SessionKeys } from '../../auth/sessions.js';
import { findSessionSubject, keepOperatorSession, type CheckedAccount } from '../../storage/operator-sessions.js';
import type { Store } from '../../storage/store.js';
import type { HttpDeps } from '../deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the logged-in operator, or null: set for every request from the `sd_session` cookie */
    operator: OperatorSession | null;
    /** a single sign-on session checked against another required group than today's: no operator, and the gate says why */
    lacksPrivileges: boolean;
  }
}

export interface OperatorSessionOptions {
  deps: HttpDeps;
  keys: SessionKeys;
  /** SD_OIDC_REQUIRED_GROUP: single sign-on sessions count only if their login checked this group */
  operatorGroup?: string | undefined;
}

/** Secure cookies when the browser talks HTTPS to us, or the public address is HTTPS (a TLS proxy in front). */
export function isSecure(request: FastifyRequest, publicUrl: string | undefined): boolean {
  return request.protocol === 'https' || (publicUrl?.startsWith('https://') ?? false);
}

export function cookieOptions(request: FastifyRequest, publicUrl: string | undefined, maxAgeSeconds: number, path = '/') {
  return { httpOnly: true, sameSite: 'lax' as const, path, secure: isSecure(request, publicUrl), maxAge: maxAgeSeconds };
}

/** Ends a cookie that cookieOptions set (a browser drops it only under the same name, path and flags). */
export function clearCookie(reply: FastifyReply, request: FastifyRequest, publicUrl: string | undefined, name: string, path = '/'): void {
  reply.clearCookie(name, { httpOnly: true, sameSite: 'lax', path, secure: isSecure(request, publicUrl) });
}

/**
 * Opens a session: first its row, through which a logout or a revocation reaches every instance,
 * then the cookie that names it. With a local account checked at login, false when the account
 * has changed since (no session then).
 */
export function sessionOpener({ store, keys, publicUrl }: { store: Store; keys: SessionKeys; publicUrl: string | undefined }) {
  return async (request: FastifyRequest, reply: FastifyReply, person: { subject: string; name: string; group?: string | undefined }, now: number, account?: CheckedAccount): Promise<boolean> => {
    const id = newSessionId();
    const { value, expiresAt } = await sealSession(keys, { id, ...person, csrf: newCsrfSecret() }, now);
    const kept = await keepOperatorSession(store, { id, subject: person.subject, name: person.name, createdAt: now, expiresAt: expiresAt * 1000 }, account);
    if (!kept) return false;
    request.log.info({ subject: person.subject }, 'operator logged in');
    reply.setCookie(SESSION_COOKIE, value, cookieOptions(request, publicUrl, SESSION_LIFETIME));
    return true;
  };
}

/**
 * Reads the session cookie on every request that has one (anonymous readers pay nothing): the
 * encrypted cookie, then its row, one query, so a session ended on any instance (logout, a new
 * password, a removed account, the CLI) ends here too. A single sign-on session also needs the
 * group that is required now to have been checked at its login.
 */
export default fp<OperatorSessionOptions>(
  async (app, { deps: { store, clock }, keys, operatorGroup }) => {
    await app.register(cookie);
    app.decorateRequest('operator', null);
    app.decorateRequest('lacksPrivileges', false);
    // Anonymous readers (nearly all requests) pass through a plain callback, without a promise.
    app.addHook('onRequest', (request, _reply, done) => {
      const value = request.cookies[SESSION_COOKIE];
      if (!value) return done();
      identify(request, value).then(() => done(), done);
    });

    async function identify(request: FastifyRequest, value: string): Promise<void> {
      const now = clock();
      const session = await openSession(keys, value, now);
      if (!session || !(await isOpen(request, session, now))) return;
      if (session.subject.startsWith('oidc:') && !checkedGroup(session, operatorGroup)) {
        request.lacksPrivileges = true;
        return;
      }
      request.operator = session;
    }

    /** Fails closed: a session that cannot be checked is none (an ended one might pass otherwise). */
    async function isOpen(request: FastifyRequest, session: OperatorSession, now: number): Promise<boolean> {
      try {
        return (await findSessionSubject(store, session.id, now)) === session.subject;
      } catch (error) {
        const { code, message } = error as { code?: unknown; message?: unknown };
        request.log.warn({ code, message }, 'operator session not checked (the database failed): the request is anonymous');
        return false;
      }
    }
  },
  { name: 'operator-session' },
);

/** A dropped requirement leaves every single sign-on session valid; a new or changed one, only those whose login checked it. */
function checkedGroup(session: OperatorSession, required: string | undefined): boolean {
  return required === undefined || (session.group !== undefined && sameGroup(session.group, required));
}

/**
 * The gate of every operator-only route (reference v1 §3.2): no session, 401
 * `{"message": "Invalid token!"}`; a session without the required group, 401
 * `{"message": "Invalid User privileges!"}`. Nothing of such a route is ever kept by a cache.
 */
export async function requireOperator(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('cache-control', 'private, no-store');
  if (!request.operator) return reply.code(401).send({ message: request.lacksPrivileges ? 'Invalid User privileges!' : 'Invalid token!' });
}
