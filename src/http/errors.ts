import { STATUS_CODES } from 'node:http';

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
