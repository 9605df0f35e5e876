import type { FastifyReply, FastifyRequest } from 'fastify';

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
 * Marks an answer that was read from memory alone: JSON clients cannot be given a different body
 * (their shapes are contracts), so they get a header; pages also show a note (send-page).
 * Stale answers are not to be kept by any cache: the next one may be current again.
 * Called on every answer by the answer-headers hook.
 */
export function markStale(request: FastifyRequest, reply: FastifyReply): void {
  if (request.staleAsOf === undefined) return;
  reply.header(STALE_HEADER, new Date(request.staleAsOf).toISOString());
  reply.header('cache-control', 'no-store').removeHeader('cdn-cache-control');
}
