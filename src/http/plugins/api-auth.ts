import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { decodeProtectedHeader } from 'jose';
import { verifyApiToken, type ApiCaller, type ApiTokenSettings } from '../../auth/api-tokens.js';
import { oidcTokenVerifier, type OidcTokenSettings } from '../../auth/oidc-tokens.js';
import { atLeast, type Actor, type Role } from '../../domain/roles.js';
import { HttpError } from '../errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook for write routes: a valid API token of someone with a role, or 401 before the body is read */
    requireApiToken: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /**
     * For reads that show more to people with a role (API v2's creator, contact and version, and
     * proposals): the caller, or undefined for anyone else. An invalid or expired token counts as
     * none: a public read never fails over a token (the React front end sends stale ones).
     */
    apiCallerOf: (request: FastifyRequest) => Promise<ApiCaller | undefined>;
  }
  interface FastifyRequest {
    apiCaller: ApiCaller | undefined;
  }
}

const BEARER = /^bearer\s+(\S+)\s*$/i;

export interface ApiAuthSettings extends ApiTokenSettings {
  /** also accept the OpenID Connect provider's RS256 access tokens (people's scripts, the React front end) */
  oidc?: OidcTokenSettings | undefined;
}

function signedWithRsa(token: string): boolean {
  try {
    return decodeProtectedHeader(token).alg?.startsWith('RS') ?? false;
  } catch {
    return false;
  }
}

export default fp(
  async function apiAuth(app: FastifyInstance, settings: ApiAuthSettings) {
    const verifyOidc = settings.oidc ? oidcTokenVerifier(settings.oidc) : undefined;
    const verify = async (token: string) => (signedWithRsa(token) ? verifyOidc?.(token) : verifyApiToken(settings, token));
    const callerOf = async (request: FastifyRequest) => {
      const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
      const caller = token ? await verify(token) : undefined;
      return caller?.role === undefined ? undefined : caller;
    };
    app.decorateRequest('apiCaller', undefined);
    app.decorate('apiCallerOf', (request: FastifyRequest) => callerOf(request).catch(() => undefined));
    app.decorate('requireApiToken', async (request: FastifyRequest, reply: FastifyReply) => {
      const caller = await callerOf(request);
      if (!caller) {
        // Spec §2.3: checked before the body, so an anonymous caller learns nothing but 401.
        // Thrown, so that each API answers in its own error format.
        reply.header('www-authenticate', 'Bearer realm="Authentication Required"');
        throw new HttpError(401, 'Unauthorized Access');
      }
      request.apiCaller = caller;
    });
  },
  { name: 'api-auth' },
);

function callerOf(request: FastifyRequest): ApiCaller & { role: Role } {
  const caller = request.apiCaller;
  if (caller?.role === undefined) throw new Error('an API change ran without requireApiToken');
  return { ...caller, role: caller.role };
}

/**
 * Who an API change is attributed to, in the timeline and the audit log: `api:<caller>`. Only for
 * routes behind requireApiToken, which always names the caller.
 */
export function apiActor(request: FastifyRequest): string {
  return `api:${callerOf(request).name}`;
}

/** The caller as the rules see them: whose proposals are theirs, and their role. */
export function apiPerson(request: FastifyRequest): Actor {
  const { id, role } = callerOf(request);
  return { id, role };
}

/** 403 unless the caller's role is at least `needed` (issue 17: creators only propose maintenances). */
export function requireRole(request: FastifyRequest, needed: Role): void {
  if (!atLeast(callerOf(request).role, needed)) throw new HttpError(403, `access is denied: this needs the ${needed} role`);
}
