import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { h } from 'preact';
import { Type } from 'typebox';
import { nextStartOrEnd } from '../../domain/event.js';
import { parseId } from '../../domain/ids.js';
import { ErrorPage } from '../../web/pages/error-page.js';
import { EventPage, NotFoundPage } from '../../web/pages/event-page.js';
import { OperatorEventPage } from '../../web/pages/operator-event-page.js';
import type { PageOptions } from '../deps.js';
import { errorBody } from '../errors.js';
import { componentsOf } from './overview.js';
import { renderPage, sendPage, sendPrivatePage, wantsHtml } from './send-page.js';
import { maySeeProposal, personOf, sessionViewOf } from './session-view.js';
import { IdParam } from '../validation.js';
import { routePlugin } from '../route-plugin.js';

/** What a creator is told of someone else's proposal. */
export const NOT_YOUR_PROPOSAL = 'This maintenance is pending review. Only operators, admins and the person who proposed it can see it.';

/**
 * One event's page with its components and timeline; people with a role get its forms, and also
 * find the maintenances pending review (issue 17) that are theirs to see. Readers never do: for
 * them a proposal does not exist (404).
 */
const eventPage: FastifyPluginAsyncTypebox<PageOptions> = async (app, { deps: { readModel, clock }, context }) => {
  app.get(
    '/incidents/:id',
    { schema: { hide: true, params: Type.Object({ id: IdParam }) } },
    async (request, reply) => {
      const now = clock();
      const model = await readModel.fresh(request);
      const id = parseId(request.params.id);
      const { operator } = request;
      const event = id === undefined ? undefined : operator ? model.anyEvent(id) : model.events.get(id);
      if (!event) {
        if (!wantsHtml(request)) return reply.code(404).send(errorBody(404));
        const what = `There is no incident, maintenance or notice with the number ${request.params.id}.`;
        return sendPage(request, reply, renderPage(h(NotFoundPage, { context, what })), model, 404);
      }
      if (operator) {
        const session = sessionViewOf(operator, model);
        if (model.proposals.has(event.id) && !maySeeProposal(event, personOf(operator))) {
          if (!wantsHtml(request)) return reply.code(403).send(errorBody(403, NOT_YOUR_PROPOSAL));
          return sendPrivatePage(request, reply, renderPage(h(ErrorPage, { context, title: 'Forbidden', message: NOT_YOUR_PROPOSAL, operator: session })), 403);
        }
        const page = renderPage(h(OperatorEventPage, { context, event, components: componentsOf(model, event), now, session }));
        return sendPrivatePage(request, reply, page);
      }
      const page = model.memoizeUntil(`page:event:${event.id}`, now, () => ({
        value: renderPage(h(EventPage, { context, event, components: componentsOf(model, event), now })),
        // The page changes by itself when the event starts or ends.
        validUntil: nextStartOrEnd([event], now),
      }));
      return sendPage(request, reply, page, model);
    },
  );
};

export default routePlugin('event-page', eventPage);
