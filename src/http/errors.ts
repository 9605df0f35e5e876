import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { describeFailure, isDatabaseUnavailable } from '../storage/failures.js';

/** The error envelope of every JSON answer (spec §2.9): `{"code","status","message"?,"errors"?}`. */
export interface ErrorBody {
  code: number;
  errors?: unknown;
  message?: string;
  status: string;
}

export function errorBody(code: number, message?: string, errors?: unknown): ErrorBody {
  // Keys in alphabetical order, as the reference serialised them.
  return {
    code,
    ...(errors === undefined ? {} : { errors }),
    ...(message === undefined ? {} : { message }),
    status: STATUS_CODES[code] ?? 'Error',
  };
}

/** A refusal with a chosen status and message; the error handler turns it into the envelope. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * How long a client should wait before trying a write again while the database is away: the
 * instance checks for its return every 2 s at most.
 */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The failures every API treats alike, before each words them its own way: a refusal keeps its
 * status and message; a database that is away is a 503 with Retry-After, logged as a warning;
 * another 4xx keeps its message; anything else is a logged 500 that tells the client nothing.
 */
export function settleFailure(error: FastifyError, request: FastifyRequest, reply: FastifyReply): { status: number; message?: string } {
  if (error instanceof HttpError) return { status: error.statusCode, message: error.message };
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ reason: describeFailure(error) }, 'request failed: the database is unavailable');
    reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    return { status: 503 };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return { status, message: error.message };
  request.log.error({ err: error }, 'request failed');
  return { status: 500 };
}
