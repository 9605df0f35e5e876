import type { FastifyReply, FastifyRequest } from 'fastify';
import { cacheForEveryone } from './cache-headers.js';
import { LARGEST_SYNC, sendEncoded } from './compression.js';
import { etagOf } from './pages/send-page.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Sends JSON that was serialised ahead of time. Every 200 sent this way is a public read, kept by
 * shared caches a few seconds unless the route said otherwise (a caller with a role: private). The route's response schema still documents it;
 * the bytes skip the serializer, which would only rebuild them. A Buffer is an answer kept per
 * version of the read model: it is sent in the coding the client prefers, compressed once per
 * version, with an ETag computed once too. A string is built for this request alone (a filter,
 * a created event): it goes as it is, since compressing it would be paid on every request.
 */
export function sendJson(request: FastifyRequest, reply: FastifyReply, statusCode: number, json: string | Buffer): FastifyReply {
  if (statusCode === 200 && !reply.hasHeader('cache-control')) cacheForEveryone(reply);
  if (typeof json === 'string') return reply.code(statusCode).header('content-type', JSON_TYPE).send(json as never);
  return sendEncoded(request, reply, { body: json, type: JSON_TYPE, etag: keptEtag(json), statusCode });
}

const etags = new WeakMap<Buffer, string>();

/** The tag of kept bytes, hashed once; none above LARGEST_SYNC, whose hashing would stall the event loop on each new version. */
function keptEtag(body: Buffer): string | undefined {
  if (body.length > LARGEST_SYNC) return undefined;
  let etag = etags.get(body);
  if (etag === undefined) etags.set(body, (etag = etagOf(body)));
  return etag;
}
