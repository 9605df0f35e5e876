import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { verifyApiToken, type ApiCaller, type ApiTokenSettings } from '../../auth/api-tokens.js';
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

export default fp(
  async function apiAuth(app: FastifyInstance, settings: ApiTokenSettings) {
    app.decorateRequest('apiCaller', undefined);
    app.decorate('requireApiToken', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
      const caller = token ? await verifyApiToken(settings, token) : undefined;
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
