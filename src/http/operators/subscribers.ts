import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { h } from 'preact';
import { Type } from 'typebox';
import { sameToken, type SignedInOperator } from '../../auth/sessions.js';
import { parseId } from '../../domain/ids.js';
import { scopeCatalog } from '../../domain/scope-form.js';
import { listSubscribers, removeSubscriber } from '../../storage/subscribers.js';
import type { PageContext } from '../../web/layout.js';
import { ErrorPage } from '../../web/pages/error-page.js';
import { SubscribersPage, type ScopeCount, type SubscriberRow } from '../../web/pages/subscribers-page.js';
import { scopeText } from '../../web/scope-fields.js';
import type { RouteOptions } from '../deps.js';
import { renderPage, sendPrivatePage } from '../pages/send-page.js';
import { sessionViewOf } from '../pages/session-view.js';
import { requireOperator } from '../plugins/operator-session.js';
import { routePlugin } from '../route-plugin.js';
import { IdParam } from '../validation.js';
import { actorOf } from './events.js';
import { formValues } from './form-input.js';

export interface SubscriberRouteOptions extends RouteOptions {
  context: PageContext;
  /** an SMTP relay is configured: the page says whether anyone can subscribe */
  emailEnabled: boolean;
}

/** How many confirmed and pending addresses follow each scope, the most followed first. */
function countByScope(rows: readonly SubscriberRow[]): ScopeCount[] {
  const counts = new Map<string, ScopeCount>();
  for (const row of rows) {
    const count = counts.get(row.scope) ?? { scope: row.scope, confirmed: 0, pending: 0 };
    if (row.confirmed) count.confirmed += 1;
    else count.pending += 1;
    counts.set(row.scope, count);
  }
  return [...counts.values()].sort((a, b) => b.confirmed + b.pending - (a.confirmed + a.pending) || a.scope.localeCompare(b.scope));
}

/**
 * `/subscribers` (issue 18): the email subscribers, for operators and admins only (creators get
 * 403): counts by scope, and the addresses with a remove button. Removing deletes the address,
 * as unsubscribing does, and is audited under the operator's name. Nothing of it is kept by a cache.
 */
const subscriberRoutes: FastifyPluginAsyncTypebox<SubscriberRouteOptions> = async (app, { deps: { store, readModel, clock }, context, emailEnabled }) => {
  app.addHook('onRequest', requireOperator);

  const operatorOf = (request: FastifyRequest): SignedInOperator => {
    if (!request.operator) throw new Error('the subscribers page ran without a session');
    return request.operator;
  };

  app.get('/subscribers', { schema: { hide: true } }, async (request, reply) => {
    const model = await readModel.fresh(request);
    const catalog = scopeCatalog(model.components.values());
    const subscribers: SubscriberRow[] = (await listSubscribers(store)).map((subscriber) => ({
      id: subscriber.id,
      email: subscriber.email,
      confirmed: subscriber.confirmedAt !== null,
      scope: scopeText(subscriber.scope, catalog),
      createdAt: subscriber.createdAt,
    }));
    const page = h(SubscribersPage, { context, operator: sessionViewOf(operatorOf(request), model), subscribers, counts: countByScope(subscribers), emailEnabled });
    return sendPrivatePage(request, reply, renderPage(page));
  });

  app.post('/subscribers/:id/remove', { schema: { hide: true, params: Type.Object({ id: IdParam }) } }, async (request, reply) => {
    const operator = operatorOf(request);
    if (!sameToken(operator.csrf, formValues(request.body).csrf)) {
      const message = 'The form had expired or did not come from this site. Please reload the page and try again.';
      const session = sessionViewOf(operator, await readModel.fresh(request));
      return sendPrivatePage(request, reply, renderPage(h(ErrorPage, { context, title: 'Forbidden', message, operator: session })), 403);
    }
    const id = parseId(request.params.id);
    // Gone already (removed by someone else, or unsubscribed meanwhile) is what was asked for.
    if (id !== undefined) await removeSubscriber(store, id, clock(), actorOf(operator));
    return reply.header('cache-control', 'private, no-store').redirect('/subscribers', 303);
  });
};

export default routePlugin('subscribers-page', subscriberRoutes);
