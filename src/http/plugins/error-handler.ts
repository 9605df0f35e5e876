import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { h } from 'preact';
import type { PageContext } from '../../web/layout.js';
import { ErrorPage } from '../../web/pages/error-page.js';
import { errorBody, settleFailure, type ErrorBody } from '../errors.js';
import { renderPage, wantsHtml } from '../pages/send-page.js';
import { describeValidationErrors } from '../validation.js';

/** What a browser is told where the JSON envelope has no message of its own. */
const PAGE_MESSAGES: Record<number, string> = {
  400: 'The request could not be read: a field holds something it may not.',
  404: 'There is nothing at this address.',
  413: 'The request is too large.',
  415: 'The request is in a format this address does not take.',
  422: 'Some fields of the request are not valid.',
  500: 'Something went wrong on our side; it has been logged.',
  503: 'The database is unavailable; please try again shortly.',
};

/**
 * One place maps every failure outside API v2 to its answer, in the caller's format: JSON
 * `{"code","status","message"?,"errors"?}` (spec §2.9) for API clients, a page for browsers.
 * Validation → 422 with the reference's field map, malformed JSON → 400, body limits and media
 * types → 413/415, a database that is away → 503 with Retry-After, anything unexpected → a logged
 * 500 that tells the client nothing about the server. API v2 words the same failures as
 * `{"errMsg"}` (v2/errors.ts).
 */
export default fp<{ context: PageContext }>(
  async function errorHandler(app: FastifyInstance, { context }) {
    const answer = (request: FastifyRequest, reply: FastifyReply, body: ErrorBody) => {
      reply.code(body.code);
      if (!wantsHtml(request)) return reply.send(body);
      const message = body.message ?? PAGE_MESSAGES[body.code] ?? 'The request failed.';
      const page = renderPage(h(ErrorPage, { context, title: body.status, message }));
      return reply.header('cache-control', 'private, no-store').type('text/html; charset=utf-8').send(page.html);
    };

    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.validation) {
        const part = error.validationContext === 'body' ? 'json' : (error.validationContext ?? 'json');
        return answer(request, reply, errorBody(422, undefined, { [part]: describeValidationErrors(error.validation as never, request.body) }));
      }
      if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError && error.statusCode === 400)) {
        return answer(request, reply, errorBody(400, undefined, { json: ['Invalid JSON body.'] }));
      }
      if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return answer(request, reply, errorBody(400, undefined, { json: ['Empty JSON body.'] }));
      const { status, message } = settleFailure(error, request, reply);
      return answer(request, reply, errorBody(status, message ?? (status === 503 ? PAGE_MESSAGES[503] : undefined)));
    });
    app.setNotFoundHandler((request, reply) => answer(request, reply, errorBody(404)));
  },
  { name: 'error-handler' },
);
