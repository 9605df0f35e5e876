import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { h } from 'preact';
import type { PageContext } from '../../web/layout.js';
import { ReviewsPage } from '../../web/pages/reviews-page.js';
import type { RouteOptions } from '../deps.js';
import { componentsOf } from '../pages/overview.js';
import { renderPage, sendPrivatePage } from '../pages/send-page.js';
import { personOf, reviewQueue, sessionViewOf } from '../pages/session-view.js';
import { requireSignedIn } from '../plugins/operator-session.js';
import { routePlugin } from '../route-plugin.js';

export interface ReviewRouteOptions extends RouteOptions {
  context: PageContext;
}

/**
 * `/reviews` (issue 17): the maintenances pending review, for everyone with a role. Operators and
 * admins see all of them, a creator their own; the page is theirs alone (no cache keeps it).
 */
const reviewRoutes: FastifyPluginAsyncTypebox<ReviewRouteOptions> = async (app, { deps: { readModel }, context }) => {
  app.get('/reviews', { onRequest: requireSignedIn, schema: { hide: true } }, async (request, reply) => {
    const { operator } = request;
    if (!operator) throw new Error('the reviews page ran without a session');
    const model = await readModel.fresh(request);
    const proposals = reviewQueue(model, personOf(operator));
    const page = renderPage(h(ReviewsPage, { context, operator: sessionViewOf(operator, model), proposals, componentsOf: (event) => componentsOf(model, event) }));
    return sendPrivatePage(request, reply, page);
  });
};

export default routePlugin('review-page', reviewRoutes);
