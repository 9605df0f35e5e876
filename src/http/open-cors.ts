import type { FastifyInstance } from 'fastify';
import { STALE_HEADER } from './plugins/freshness.js';

/**
 * Lets a page on any origin read this plugin's answers: public, anonymous GETs that a browser
 * sends without a preflight, so the one header does it (and the stale mark is readable too).
 */
export function allowAnyOrigin(app: FastifyInstance): void {
  // A callback hook: an async one costs every answer a promise more.
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', STALE_HEADER);
    done(null, payload);
  });
}
