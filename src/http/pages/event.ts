import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { h } from 'preact';
import { Type } from 'typebox';
import { parseId } from '../../domain/ids.js';
import { EventPage, NotFoundPage } from '../../web/pages/event-page.js';
import { OperatorEventPage } from '../../web/pages/operator-event-page.js';
import type { PageOptions } from '../deps.js';
import { errorBody } from '../errors.js';
import { componentsOf, eventValidUntil } from './overview.js';
import { renderPage, sendPage, sendPrivatePage, wantsHtml } from './send-page.js';
import { IdParam } from '../validation.js';
import { routePlugin } from '../route-plugin.js';

/** One event's page with its components and timeline; operators get its forms. */
const eventPage: FastifyPluginAsyncTypebox<PageOptions> = async (app, { deps: { readModel, clock }, context }) => {
  app.get(
    '/incidents/:id',
    { schema: { hide: true, params: Type.Object({ id: IdParam }) } },
    async (request, reply) => {
      const now = clock();
      const model = await readModel.fresh(request);
      const id = parseId(request.params.id);
      const event = id === undefined ? undefined : model.events.get(id);
      if (!event) {
        if (!wantsHtml(request)) return reply.code(404).send(errorBody(404));
        const what = `There is no incident, maintenance or notice with the number ${request.params.id}.`;
        return sendPage(request, reply, renderPage(h(NotFoundPage, { context, what })), 404);
      }
      if (request.operator) {
        const session = request.operator;
        const page = renderPage(h(OperatorEventPage, { context, event, components: componentsOf(model, event), now, session }));
        return sendPrivatePage(request, reply, page);
      }
      const page = model.memoizeUntil(`page:event:${event.id}`, now, () => ({
        value: renderPage(h(EventPage, { context, event, components: componentsOf(model, event), now })),
        validUntil: eventValidUntil(event, now),
      }));
      return sendPage(request, reply, page);
    },
  );
};

export default routePlugin('event-page', eventPage);
