import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { compareNewestFirst, matchesEventFilter } from '../../domain/event-filter.js';
import type { RouteOptions } from '../deps.js';
import { sendJson } from '../send-json.js';
import { pathId } from './errors.js';
import { parseEventQuery } from './event-query.js';
import { eventV2 } from './present.js';
import { HttpError } from '../errors.js';
import { IdParam } from '../validation.js';
import { EventListV2, EventV2 } from './schemas.js';
import { routePlugin } from '../route-plugin.js';

const MINUTE = 60_000;
const text = Type.Optional(Type.String());
const ListQuery = Type.Object({
  type: Type.Optional(Type.String({ description: 'comma list of incident, maintenance, info' })),
  active: Type.Optional(Type.String({ description: '"true": only active events' })),
  status: text,
  start_date: Type.Optional(Type.String({ description: 'RFC 3339; events that started at or after' })),
  end_date: Type.Optional(Type.String({ description: 'RFC 3339; events that ended at or before' })),
  impact: text,
  system: text,
  components: Type.Optional(Type.String({ description: 'comma list of component ids; events with any of them' })),
  page: text,
  limit: Type.Optional(Type.String({ description: '10, 20 or 50 (default); /v2/events only' })),
});

/** Read side of the v2 events (reference v3 §3.2, §3.3), at /events and the deprecated /incidents. */
const events: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps: { readModel, clock } }) => {
  for (const collection of ['events', 'incidents'] as const) {
    const paginated = collection === 'events';
    app.get(
      `/${collection}`,
      {
        schema: {
          summary: paginated ? 'Events, newest first, filtered and paginated' : 'Events, newest first, filtered (deprecated: use /events)',
          tags: ['v2'],
          querystring: ListQuery,
          response: { 200: EventListV2 },
        },
      },
      async (request, reply) => {
        const { filter, page, limit } = parseEventQuery(request.query, paginated);
        const model = await readModel.fresh(request);
        const now = clock();
        const sorted = model.memoize('v2:events-newest-first', () => [...model.events.values()].sort(compareNewestFirst));
        const matching = sorted.filter((event) => matchesEventFilter(event, filter, now));
        if (!paginated) {
          // The deprecated list has no pages: unfiltered, it is the whole history, kept per version and minute.
          const render = () => JSON.stringify({ data: matching.map((event) => eventV2(event, now)) });
          const json = Object.keys(filter).length === 0 ? model.memoizeStamped('v2:incidents', Math.floor(now / MINUTE), render) : render();
          return sendJson(reply, 200, json);
        }
        if (matching.length === 0) return { data: [] };
        return {
          data: matching.slice((page - 1) * limit, page * limit).map((event) => eventV2(event, now)),
          pagination: { pageIndex: page, recordsPerPage: limit, totalRecords: matching.length, totalPages: Math.ceil(matching.length / limit) },
        };
      },
    );

    app.get(
      `/${collection}/:eventId`,
      {
        schema: {
          summary: 'One event with its components and timeline',
          tags: ['v2'],
          params: Type.Object({ eventId: IdParam }),
          response: { 200: EventV2 },
        },
      },
      async (request) => {
        const id = pathId(request.params.eventId, 'event id has an invalid format');
        const event = (await readModel.fresh(request)).events.get(id);
        if (!event) throw new HttpError(404, 'event does not exist');
        return eventV2(event, clock());
      },
    );
  }
};

export default routePlugin('v2-events', events);
