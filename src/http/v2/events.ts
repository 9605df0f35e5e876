import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { nextStartOrEnd, type StatusEvent } from '../../domain/event.js';
import { compareNewestFirst, matchesEventFilter } from '../../domain/event-filter.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteOptions } from '../deps.js';
import { cacheForEveryone, cacheForNoOne } from '../cache-headers.js';
import { encoded, jsonOf, keptJson } from '../kept-json.js';
import { sendJson } from '../send-json.js';
import { pathId } from './errors.js';
import { eventQueryKey, parseEventQuery, type EventQuery } from './event-query.js';
import { eventV2 } from '../../domain/v2-shapes.js';
import { HttpError } from '../errors.js';
import { IdParam } from '../validation.js';
import { EventListV2, EventV2 } from './schemas.js';
import { routePlugin } from '../route-plugin.js';

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
        const query = parseEventQuery(request.query, paginated);
        const staff = await staffView(request, reply);
        const model = await readModel.fresh(request);
        const now = clock();
        const view = staff ? 'staff' : 'public';
        const list = () => {
          const sorted = model.memoize(`v2:events-newest-first:${view}`, () => [...(staff ? model.staffEvents() : model.events.values())].sort(compareNewestFirst));
          return eventList(sorted.filter((event) => matchesEventFilter(event, query.filter, now)), query, paginated, now, staff);
        };
        // Each list keeps the bytes it always had: the paginated one its route's serializer's
        // (which writes end_date last), the deprecated one JSON.stringify's (end_date after start_date).
        const write = (answer: unknown) => (paginated ? jsonOf(reply, answer) : JSON.stringify(answer));
        // Time changes a list (an event's status, the active and status filters) only when one of
        // its events starts or ends; until then a kept list is the one a new read would build.
        // Proposals never change by themselves (pending review, cancelled), and an approved
        // maintenance starts and ends with its public version, among the current events.
        const held = () => ({ value: write(list()), validUntil: nextStartOrEnd(model.currentEvents(now), now) });
        if (!paginated && Object.keys(query.filter).length === 0) {
          // The deprecated list has no pages: unfiltered, it is the whole history, kept for both views.
          return sendJson(request, reply, 200, model.memoizeUntil(`v2:incidents:whole:${view}`, now, encoded(held)));
        }
        // A caller with a role gets an answer of their own (private), built for the request.
        if (staff) return sendJson(request, reply, 200, write(list()));
        return sendJson(request, reply, 200, keptJson(model, `v2:${collection}:by-query`, eventQueryKey(query, paginated), now, held));
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
        const now = clock();
        const event = staff ? model.anyEvent(id) : model.events.get(id);
        if (!event) throw new HttpError(404, 'event does not exist');
        if (staff) return eventV2(event, now, true);
        // Its status follows the clock only when it starts or ends. Both paths share the bytes (one schema).
        return sendJson(request, reply, 200, keptJson(model, 'v2:event', String(id), now, () => ({ value: jsonOf(reply, eventV2(event, now)), validUntil: nextStartOrEnd([event], now) })));
      },
    );
  }
};

/** A list's answer: the deprecated list whole, the paginated one a page, without pagination when nothing matches. */
function eventList(matching: readonly StatusEvent[], { page, limit }: EventQuery, paginated: boolean, now: number, staff: boolean) {
  const present = (events: readonly StatusEvent[]) => events.map((event) => eventV2(event, now, staff));
  if (!paginated) return { data: present(matching) };
  if (matching.length === 0) return { data: [] };
  return {
    data: present(matching.slice((page - 1) * limit, page * limit)),
    pagination: { pageIndex: page, recordsPerPage: limit, totalRecords: matching.length, totalPages: Math.ceil(matching.length / limit) },
  };
}

export default routePlugin('v2-events', events);
