import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { newCsrfSecret, newSessionId, openSession, sealSession, SESSION_COOKIE, SESSION_LIFETIME, type SessionKeys, type SignedInOperator } from '../../auth/sessions.js';
import { atLeast, roleSettingsFingerprint, type Role, type RoleGroups } from '../../domain/roles.js';
import { findSession, keepOperatorSession, type CheckedAccount } from '../../storage/operator-sessions.js';
import type { Store } from '../../storage/store.js';
import type { HttpDeps } from '../deps.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the logged-in person (creator, operator or admin), or null: set for every request from the `sd_session` cookie */
    operator: SignedInOperator | null;
    /** a single sign-on session whose role was decided under other role settings than today's: nobody, and the gate says why */
    lacksPrivileges: boolean;
  }
}

export interface OperatorSessionOptions {
  deps: HttpDeps;
  keys: SessionKeys;
  /** the role settings: a single sign-on session counts only while they are those its role was decided under */
  roles: RoleGroups;
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
  return async (
    request: FastifyRequest,
    reply: FastifyReply,
    person: { subject: string; name: string; role: Role; roleBasis: string | null },
    now: number,
    account?: CheckedAccount,
  ): Promise<boolean> => {
    const id = newSessionId();
    const { value, expiresAt } = await sealSession(keys, { id, subject: person.subject, name: person.name, csrf: newCsrfSecret() }, now);
    const kept = await keepOperatorSession(store, { id, ...person, createdAt: now, expiresAt: expiresAt * 1000 }, account);
    if (!kept) return false;
    request.log.info({ subject: person.subject, role: person.role }, 'operator logged in');
    reply.setCookie(SESSION_COOKIE, value, cookieOptions(request, publicUrl, SESSION_LIFETIME));
    return true;
  };
}

/**
 * Reads the session cookie on every request that has one (anonymous readers pay nothing): the
 * encrypted cookie, then its row, one query, so a session ended on any instance (logout, a new
 * password or role, a removed account, the CLI) ends here too. A single sign-on session also
 * needs today's role settings to be those its role was decided under.
 */
export default fp<OperatorSessionOptions>(
  async (app, { deps: { store, clock }, keys, roles }) => {
    const basis = roleSettingsFingerprint(roles);
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
      const kept = session && (await keptSession(request, session.id, now));
      if (!session || kept?.subject !== session.subject) return;
      if (session.subject.startsWith('oidc:') && kept.roleBasis !== basis) {
        request.lacksPrivileges = true;
        return;
      }
      request.operator = { ...session, role: kept.role };
    }

    /** Fails closed: a session that cannot be checked is none (an ended one might pass otherwise). */
    async function keptSession(request: FastifyRequest, id: string, now: number) {
      try {
        return await findSession(store, id, now);
      } catch (error) {
        const { code, message } = error as { code?: unknown; message?: unknown };
        request.log.warn({ code, message }, 'operator session not checked (the database failed): the request is anonymous');
        return undefined;
      }
    }
  },
  { name: 'operator-session' },
);

/**
 * The gate of every route for people with a role (reference v1 §3.2): no session, 401
 * `{"message": "Invalid token!"}`; a session decided under other role settings, 401
 * `{"message": "Invalid User privileges!"}`. Nothing of such a route is ever kept by a cache.
 */
export async function requireSignedIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('cache-control', 'private, no-store');
  if (!request.operator) return reply.code(401).send({ message: request.lacksPrivileges ? 'Invalid User privileges!' : 'Invalid token!' });
}

/** As requireSignedIn, and the role must be operator or admin: a creator gets 403 `{"message": "Invalid User privileges!"}`. */
export async function requireOperator(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireSignedIn(request, reply);
  if (request.operator && !atLeast(request.operator.role, 'operator')) return reply.code(403).send({ message: 'Invalid User privileges!' });
}
