import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, settleFailure } from '../errors.js';
import { parseId } from '../../domain/ids.js';
import { parseInstant } from '../../domain/instant.js';

/** API v2 errors are `{"errMsg": "..."}` (reference v3 §3.11): the v2 formatter of HttpError. */
export const errMsg = (message: string) => ({ errMsg: message });

export const FILTER_INVALID = 'filter query parameter has an invalid format or value';

/** The error handler of every v2-style scope (API v2, `/auth/*`): the same failures as v1's, worded `{"errMsg"}`. */
export function v2ErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  // The token check is shared with v1 (its words are v1's); v2 words it as the Go back end does.
  if (error.statusCode === 401) return reply.code(401).send(errMsg('not authenticated'));
  if (error.validation) return reply.code(400).send(errMsg(validationMessage(error.validation, error.validationContext ?? 'body')));
  const { status, message } = settleFailure(error, request, reply);
  return reply.code(status).send(errMsg(message ?? V2_WORDS[status] ?? 'internal server error'));
}

interface ValidationProblem {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string | undefined;
}

/**
 * A schema's refusal, each offending property named once (issue 17): ajv reports every keyword
 * that failed, so a value of the wrong type under a union was refused three times over.
 */
function validationMessage(problems: readonly ValidationProblem[], context: string): string {
  const byPath = new Map<string, string>();
  for (const problem of problems) {
    const at = `${context}${problem.instancePath}`;
    const path = problem.keyword === 'required' ? `${at}/${String(problem.params.missingProperty)}` : at;
    if (byPath.has(path)) continue;
    byPath.set(path, problem.keyword === 'required' ? `${path} is required` : `${path} ${problem.message ?? 'is invalid'}`);
  }
  return [...byPath.values()].join(', ');
}

/** What v2 says where a failure carries no message of its own. */
const V2_WORDS: Record<number, string> = { 503: 'the database is unavailable, try again later', 500: 'internal server error' };

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
