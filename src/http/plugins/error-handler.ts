import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { describeFailure, isDatabaseUnavailable } from '../../storage/failures.js';
import { errorBody, HttpError, RETRY_AFTER_SECONDS } from '../errors.js';
import { describeValidationErrors } from '../validation.js';

/**
 * One place maps every failure to a JSON answer: validation → 422 with the reference's field map,
 * malformed JSON → 400, body limits and media types → 413/415, a database that is away → 503 with
 * Retry-After, and anything unexpected → a logged 500 that tells the client nothing about the server.
 */
export default fp(
  async function errorHandler(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.validation) {
        const part = error.validationContext === 'body' ? 'json' : (error.validationContext ?? 'json');
        return reply.code(422).send(errorBody(422, undefined, { [part]: describeValidationErrors(error.validation as never, request.body) }));
      }
      if (error instanceof HttpError) return reply.code(error.statusCode).send(errorBody(error.statusCode, error.message));
      if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError && error.statusCode === 400)) {
        return reply.code(400).send(errorBody(400, undefined, { json: ['Invalid JSON body.'] }));
      }
      if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
        return reply.code(400).send(errorBody(400, undefined, { json: ['Empty JSON body.'] }));
      }
      if (isDatabaseUnavailable(error)) {
        request.log.warn({ reason: describeFailure(error) }, 'request failed: the database is unavailable');
        return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send(errorBody(503, 'The database is unavailable; please try again shortly.'));
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) return reply.code(status).send(errorBody(status, error.message));
      request.log.error({ err: error }, 'request failed');
      return reply.code(500).send(errorBody(500));
    });
    app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody(404)));
  },
  { name: 'error-handler' },
);
