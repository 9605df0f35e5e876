import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { compareNewestFirst, matchesEventFilter } from '../../domain/event-filter.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteOptions } from '../deps.js';
import { cacheForEveryone, cacheForNoOne } from '../cache-headers.js';
import { sendJson } from '../send-json.js';
import { pathId } from './errors.js';
import { parseEventQuery } from './event-query.js';
import { eventV2 } from '../../domain/v2-shapes.js';
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

/**
 * Read side of the v2 events (reference v3 §3.2, §3.3), at /events and the deprecated /incidents.
 * Callers with a role (a valid token: creator, operator, admin) also see proposals, creators,
 * contacts and versions (issue 17); everyone else what the public pages show.
 */
const events: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps: { readModel, clock } }) => {
  /** Whether the caller has a role; the answer then is theirs alone, and no shared cache keeps it. */
  const staffView = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('vary', 'Authorization');
    const staff = (await app.apiCallerOf(request)) !== undefined;
    if (staff) cacheForNoOne(reply);
    else cacheForEveryone(reply);
    return staff;
  };
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
        const staff = await staffView(request, reply);
        const model = await readModel.fresh(request);
        const now = clock();
        const view = staff ? 'staff' : 'public';
        const sorted = model.memoize(`v2:events-newest-first:${view}`, () => [...(staff ? model.staffEvents() : model.events.values())].sort(compareNewestFirst));
        const matching = sorted.filter((event) => matchesEventFilter(event, filter, now));
        if (!paginated) {
          // The deprecated list has no pages: unfiltered, it is the whole history, kept per version and minute.
          const render = () => JSON.stringify({ data: matching.map((event) => eventV2(event, now, staff)) });
          const json = Object.keys(filter).length === 0 ? model.memoizeStamped(`v2:incidents:${view}`, Math.floor(now / MINUTE), () => Buffer.from(render())) : render();
          return sendJson(request, reply, 200, json);
        }
        if (matching.length === 0) return { data: [] };
        return {
          data: matching.slice((page - 1) * limit, page * limit).map((event) => eventV2(event, now, staff)),
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
      async (request, reply) => {
        const id = pathId(request.params.eventId, 'event id has an invalid format');
        const staff = await staffView(request, reply);
        const model = await readModel.fresh(request);
        const event = staff ? model.anyEvent(id) : model.events.get(id);
        if (!event) throw new HttpError(404, 'event does not exist');
        return eventV2(event, clock(), staff);
      },
    );
  }
};

export default routePlugin('v2-events', events);
