import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sameGroup } from '../../auth/oidc-groups.js';
import { openSession, SESSION_COOKIE, type OperatorSession, type SessionKeys } from '../../auth/sessions.js';
import { findOperator } from '../../storage/operators.js';
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
 * Reads the session cookie on every request that has one (anonymous readers pay nothing). The
 * cookie is the whole session, so any instance can read it; a local account's session also ends
 * when the account is removed, disabled or given a new password, and a single sign-on session
 * when a group is required that its login did not check.
 */
export default fp<OperatorSessionOptions>(
  async (app, { deps: { store, clock }, keys, operatorGroup }) => {
    await app.register(cookie);
    app.decorateRequest('operator', null);
    app.decorateRequest('lacksPrivileges', false);
    app.addHook('onRequest', async (request) => {
      const value = request.cookies[SESSION_COOKIE];
      if (!value) return;
      const session = await openSession(keys, value, clock());
      if (!session) return;
      if (session.subject.startsWith('local:')) {
        const account = await findOperator(store, session.subject.slice('local:'.length));
        if (!account || account.disabled || account.updatedAt !== session.version) return;
      }
      if (session.subject.startsWith('oidc:') && !checkedGroup(session, operatorGroup)) {
        request.lacksPrivileges = true;
        return;
      }
      request.operator = session;
    });
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
