import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { describeFailure, isDatabaseUnavailable } from '../../storage/failures.js';
import { HttpError, RETRY_AFTER_SECONDS } from '../errors.js';
import { parseId } from '../../domain/ids.js';
import { parseInstant } from '../../domain/instant.js';

/** API v2 errors are `{"errMsg": "..."}` (reference v3 §3.11): the v2 formatter of HttpError. */
export const errMsg = (message: string) => ({ errMsg: message });

export const FILTER_INVALID = 'filter query parameter has an invalid format or value';

/** The error handler of every v2-style scope (API v2, `/auth/*`): the same failures as v1's, worded `{"errMsg"}`. */
export function v2ErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  // The token check is shared with v1 (its words are v1's); v2 words it as the Go back end does.
  if (error.statusCode === 401) return reply.code(401).send(errMsg('not authenticated'));
  if (error instanceof HttpError) return reply.code(error.statusCode).send(errMsg(error.message));
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ reason: describeFailure(error) }, 'request failed: the database is unavailable');
    return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send(errMsg('the database is unavailable, try again later'));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return reply.code(status).send(errMsg(error.message));
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send(errMsg('internal server error'));
}

/** A path id, or a 400 with the given message. */
export function pathId(text: string, message: string): number {
  const id = parseId(text);
  if (id === undefined) throw new HttpError(400, message);
  return id;
}

/** A body date the schema has read as `date-time` already, in epoch ms. */
export function instantOf(text: string, field: string): number {
  const at = parseInstant(text);
  if (at === undefined) throw new HttpError(400, `${field} is not an RFC 3339 date-time`);
  return at;
}
