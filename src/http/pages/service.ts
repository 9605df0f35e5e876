import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { Type } from 'typebox';
import { monthlyAvailability } from '../../domain/availability.js';
import type { Component } from '../../domain/component.js';
import { clampPage, endedEvents, pageCount, pageOfHistory } from '../../domain/history.js';
import { MAX_ID, parseId } from '../../domain/ids.js';
import { NotFoundPage } from '../../web/pages/event-page.js';
import { ServicePage } from '../../web/pages/service-page.js';
import type { ReadModel } from '../../read-model/read-model.js';
import type { PageOptions } from '../deps.js';
import { errorBody, HttpError } from '../errors.js';
import { AVAILABILITY_MONTHS } from './availability.js';
import { HISTORY_PAGE_SIZE } from './history.js';
import { componentsOf, currentOverview, uptimeBarOf } from './overview.js';
import { renderPage, sendPage, wantsHtml } from './send-page.js';
import { routePlugin } from '../route-plugin.js';

const MINUTE_MS = 60_000;

// Anything but digits is refused by validation (422), as on /history; 0 shows page 1, beyond the last the last.
const ServiceQuery = Type.Object({ page: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })) });

/**
 * A page per service (issue 19): `/components/{id}`, and the same page at the readable
 * `/regions/{region}/services/{name}` (matched as monitoring and the badges match a name in a
 * region). Kept per version and page of its history; rendered again when the service changes by
 * itself (an event starts or ends, a new day in the bar) and at most once a minute, as the current
 * month's availability follows the clock.
 */
const servicePages: FastifyPluginAsyncTypebox<PageOptions> = async (app, { deps: { readModel, clock }, context }) => {
  const serve = async (request: FastifyRequest, reply: FastifyReply, model: ReadModel, component: Component | undefined, notFound: string, pageText: string | undefined) => {
    if (!component) {
      if (!wantsHtml(request)) return reply.code(404).send(errorBody(404, notFound));
      return sendPage(request, reply, renderPage(h(NotFoundPage, { context, what: notFound })), model, 404);
    }
    const now = clock();
    const id = component.id;
    const overview = currentOverview(model, now);
    const status = overview.components.get(id);
    if (!status) throw new Error(`component ${id} is missing from the overview`);
    const bar = uptimeBarOf(model, id, now);
    const validUntil = Math.min(overview.validUntil, bar.validUntil, (Math.floor(now / MINUTE_MS) + 1) * MINUTE_MS);
    const ended = model.memoizeUntil(`service:ended:${id}`, now, () => ({ value: endedEvents(model.eventsOf(id), now), validUntil }));
    const page = clampPage(Number(pageText ?? '1'), pageCount(ended.length, HISTORY_PAGE_SIZE));
    const rendered = model.memoizeUntil(`page:service:${id}:${page}`, now, () => {
      const mine = <E extends { componentIds: number[] }>(events: readonly E[]) => events.filter((event) => event.componentIds.includes(id));
      return {
        value: renderPage(
          h(ServicePage, {
            context,
            status,
            active: [...mine(overview.incidents), ...mine(overview.maintenances)],
            planned: mine(overview.planned),
            bar,
            months: monthlyAvailability(model.eventsOf(id), now, AVAILABILITY_MONTHS),
            history: pageOfHistory({ events: ended, matchesNothing: false }, page, HISTORY_PAGE_SIZE),
            componentsOf: (event) => componentsOf(model, event),
            now,
          }),
        ),
        validUntil,
      };
    });
    return sendPage(request, reply, rendered, model);
  };

  app.get(
    '/components/:id',
    { schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 255 }) }), querystring: ServiceQuery } },
    async (request, reply) => {
      const id = parseId(request.params.id);
      if (id === undefined) throw new HttpError(400, `A service's number is a whole number from 1 to ${MAX_ID}, not "${request.params.id}".`);
      const model = await readModel.fresh(request);
      return serve(request, reply, model, model.components.get(id), `There is no service with the number ${id}.`, request.query.page);
    },
  );

  app.get(
    '/regions/:region/services/:name',
    { schema: { hide: true, params: Type.Object({ region: Type.String({ minLength: 1, maxLength: 255 }), name: Type.String({ minLength: 1, maxLength: 255 }) }), querystring: ServiceQuery } },
    async (request, reply) => {
      const { region, name } = request.params;
      const model = await readModel.fresh(request);
      return serve(request, reply, model, model.findComponent(name, new Map([['region', region]])), `There is no service ${name} in ${region}.`, request.query.page);
    },
  );
};

export default routePlugin('service-pages', servicePages);
