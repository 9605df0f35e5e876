import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { h } from 'preact';
import type { RouteOptions } from '../deps.js';
import { errorBody } from '../errors.js';
import type { PageContext } from '../../web/layout.js';
import { EventPage, NotFoundPage } from '../../web/pages/event-page.js';
import { OperatorEventPage } from '../../web/pages/operator-event-page.js';
import { StatusPage } from '../../web/pages/status-page.js';
import { parseId } from '../../domain/ids.js';
import { affectedRegions } from '../../domain/status-overview.js';
import { componentsOf, currentOverview, eventValidUntil } from './overview.js';
import { renderPage, sendPage, sendPrivatePage, wantsHtml } from './send-page.js';
import badges from './badges.js';
import historyPages from './history.js';
import availabilityPages from './availability.js';

export interface PageOptions extends RouteOptions {
  context: PageContext;
}

/** The public pages (spec §4): rendered from the read model, each rendering kept until the state changes. */
const pages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { deps, context }) => {
  const { readModel, clock } = deps;
  app.get('/assets/:name', { schema: { hide: true, params: Type.Object({ name: Type.String() }) } }, async (request, reply) => {
    const asset = context.assets.files.get(`/assets/${request.params.name}`);
    if (!asset) return reply.code(404).send(errorBody(404));
    return reply.header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff').type(asset.type).send(asset.bytes);
  });

  const frontPage = {
    schema: { hide: true, querystring: Type.Object({ region: Type.Optional(Type.String({ maxLength: 255 })) }) },
  };
  for (const path of ['/', '/index']) {
    app.get(path, frontPage, async (request, reply) => {
      const now = clock();
      const model = await readModel.fresh(request);
      const overview = currentOverview(model, now);
      // Without a choice, the tab that matters most: the worst-hit region, else the first.
      const region = overview.regions.find((candidate) => candidate.name === request.query.region) ?? affectedRegions(overview)[0] ?? overview.regions[0];
      const page = model.memoizeUntil(`page:status:${region?.name ?? ''}`, now, () => ({
        value: renderPage(h(StatusPage, { context, overview, region, componentsOf: (event) => componentsOf(model, event), now })),
        validUntil: overview.validUntil,
      }));
      return sendPage(request, reply, page);
    });
  }

  app.get(
    '/incidents/:id',
    { schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 40 }) }) } },
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

  await app.register(historyPages, { deps, context });
  await app.register(availabilityPages, { deps, context });
  await app.register(badges, { deps, context });
};

export default pages;
