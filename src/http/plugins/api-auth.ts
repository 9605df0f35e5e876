import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { decodeProtectedHeader } from 'jose';
import { verifyApiToken, type ApiCaller, type ApiTokenSettings } from '../../auth/api-tokens.js';
import { oidcTokenVerifier, type OidcTokenSettings } from '../../auth/oidc-tokens.js';
import { HttpError } from '../errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook for machine-client routes: a valid API token, or 401 before the body is read */
    requireApiToken: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
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
    app.decorateRequest('apiCaller', undefined);
    app.decorate('requireApiToken', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
      const caller = token ? await verify(token) : undefined;
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

/**
 * Who an API change is attributed to, in the timeline and the audit log: `api:<caller>`. Only for
 * routes behind requireApiToken, which always names the caller.
 */
export function apiActor(request: FastifyRequest): string {
  if (!request.apiCaller) throw new Error('an API change ran without requireApiToken');
  return `api:${request.apiCaller.name}`;
}
