import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { openSession, SESSION_COOKIE, type OperatorSession, type SessionKeys } from '../../auth/sessions.js';
import { findOperator } from '../../storage/operators.js';
import type { HttpDeps } from '../deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the logged-in operator, or null: set for every request from the `sd_session` cookie */
    operator: OperatorSession | null;
  }
}

export interface OperatorSessionOptions {
  deps: HttpDeps;
  keys: SessionKeys;
}

/** Secure cookies when the browser talks HTTPS to us, or the public address is HTTPS (a TLS proxy in front). */
export function isSecure(request: FastifyRequest, publicUrl: string | undefined): boolean {
  return request.protocol === 'https' || (publicUrl?.startsWith('https://') ?? false);
}

export function cookieOptions(request: FastifyRequest, publicUrl: string | undefined, maxAgeSeconds: number, path = '/') {
  return { httpOnly: true, sameSite: 'lax' as const, path, secure: isSecure(request, publicUrl), maxAge: maxAgeSeconds };
}

export function clearSessionCookie(reply: FastifyReply, request: FastifyRequest, publicUrl: string | undefined): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure: isSecure(request, publicUrl) });
}

/**
 * Reads the session cookie on every request that has one (anonymous readers pay nothing). The
 * cookie is the whole session, so any instance can read it; a local account's session also ends
 * when the account is removed, disabled or given a new password.
 */
export default fp<OperatorSessionOptions>(
  async (app, { deps: { store, clock }, keys }) => {
    await app.register(cookie);
    app.decorateRequest('operator', null);
    app.addHook('onRequest', async (request) => {
      const value = request.cookies[SESSION_COOKIE];
      if (!value) return;
      const session = await openSession(keys, value, clock());
      if (!session) return;
      if (session.subject.startsWith('local:')) {
        const account = await findOperator(store, session.subject.slice('local:'.length));
        if (!account || account.disabled || account.updatedAt !== session.version) return;
      }
      request.operator = session;
    });
  },
  { name: 'operator-session' },
);

/**
 * The gate of every operator-only route (reference v1 §3.2): no session, 401
 * `{"message": "Invalid token!"}`. Nothing of such a route is ever kept by a cache.
 */
export async function requireOperator(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('cache-control', 'private, no-store');
  if (!request.operator) return reply.code(401).send({ message: 'Invalid token!' });
}
