import type { FastifyReply } from 'fastify';

/**
 * For answers anyone may read (docs/production.md#behind-a-cdn). Browsers revalidate every time
 * (max-age=0: a status page must never show an old state, and a 304 costs a version check);
 * shared caches (a CDN, nginx) keep an answer 5 s, so an outage-day crowd costs the origin one
 * read per 5 s per URL, and may serve the last answer for a day while the origin fails.
 * Stale-while-revalidate is said only to CDNs (CDN-Cache-Control, RFC 9213): in Cache-Control
 * browsers would apply it too, and show a reloaded page 30 s old.
 */
const SHARED = 'public, max-age=0, s-maxage=5, stale-if-error=86400';
const CDN = 'public, max-age=5, stale-while-revalidate=30, stale-if-error=86400';

/** For an answer for one person (a session, a role's token): no shared or stored copy anywhere. */
const PRIVATE = 'private, no-store';

export function cacheForEveryone(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', SHARED).header('cdn-cache-control', CDN);
}

export function cacheForNoOne(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', PRIVATE).removeHeader('cdn-cache-control');
}
