import type { FastifyReply } from 'fastify';

/**
 * Sends JSON that was serialised ahead of time (cached per version of the read model). The route's
 * response schema still documents it; the bytes skip the serializer, which would only rebuild them.
 */
export function sendJson(reply: FastifyReply, statusCode: number, json: string | Buffer): FastifyReply {
  return reply
    .code(statusCode)
    .header('content-type', 'application/json; charset=utf-8')
    .send(json as never);
}
