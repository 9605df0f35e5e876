import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Set by the read model when this request's read could not reach the database: the moment
     * (epoch ms) the answer's state was last known current (spec §8).
     */
    staleAsOf: number | undefined;
  }
}

/** The header of every answer read from memory while the database was away: when that state was current. */
export const STALE_HEADER = 'x-stale-as-of';

/**
 * Marks every answer that was read from memory alone: JSON clients cannot be given a different
 * body (their shapes are contracts), so they get a header; pages also show a note (send-page).
 * Stale answers are not to be kept by any cache: the next one may be current again.
 */
export default fp(
  async function freshness(app: FastifyInstance) {
    app.decorateRequest('staleAsOf', undefined);
    // A callback hook, not an async one: it runs on every answer, nearly all of them fresh.
    app.addHook('onSend', (request, reply, payload, done) => {
      if (request.staleAsOf !== undefined) {
        reply.header(STALE_HEADER, new Date(request.staleAsOf).toISOString());
        reply.header('cache-control', 'no-store').removeHeader('cdn-cache-control');
      }
      done(null, payload);
    });
  },
  { name: 'freshness' },
);
