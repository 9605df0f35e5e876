import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { h } from 'preact';
import { listAuditLog } from '../../storage/audit-log.js';
import type { PageContext } from '../../web/layout.js';
import { AuditPage } from '../../web/pages/audit-page.js';
import type { RouteOptions } from '../deps.js';
import { errorBody } from '../errors.js';
import { renderPage, sendPrivatePage } from '../pages/send-page.js';
import { sessionViewOf } from '../pages/session-view.js';
import { requireOperator } from '../plugins/operator-session.js';
import { AuditQueryError, AuditQuerySchema, describeQueryErrors, parseAuditQuery } from './audit-query.js';
import { routePlugin } from '../route-plugin.js';

export interface AuditRouteOptions extends RouteOptions {
  context: PageContext;
}

/**
 * `/audit`: who changed what and when, for operators. A filter the page cannot read is a 400
 * that names the field (not the APIs' 422 field map: this is a form, not an API).
 */
const auditRoutes: FastifyPluginAsyncTypebox<AuditRouteOptions> = async (app, { deps: { store, readModel }, context }) => {
  app.get('/audit', { onRequest: requireOperator, attachValidation: true, schema: { hide: true, querystring: AuditQuerySchema } }, async (request, reply) => {
    const operator = request.operator;
    if (!operator) throw new Error('the audit page ran without a session');
    if (request.validationError) return reply.code(400).send(errorBody(400, describeQueryErrors(request.validationError.validation)));
    let query;
    try {
      query = parseAuditQuery(request.query);
    } catch (error) {
      if (error instanceof AuditQueryError) return reply.code(400).send(errorBody(400, error.message));
      throw error;
    }
    const page = await listAuditLog(store, query.filter, query.position);
    // The header counts the proposals waiting for review, as on every page.
    const session = sessionViewOf(operator, await readModel.fresh(request));
    return sendPrivatePage(request, reply, renderPage(h(AuditPage, { context, operator: session, page, values: query.values })));
  });
};

export default routePlugin('audit-page', auditRoutes);
