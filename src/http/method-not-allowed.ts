import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors.js';

const METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'] as const;

/** Answers the other methods on a path with 405 and an Allow header instead of a bare 404. */
export function methodNotAllowed(app: FastifyInstance, url: string, allowed: readonly string[]): void {
  const others = METHODS.filter((method) => !allowed.includes(method));
  app.route({
    method: others,
    url,
    schema: { hide: true },
    handler: async (_request, reply) => reply.code(405).header('allow', allowed.join(', ')).send(errorBody(405)),
  });
}
