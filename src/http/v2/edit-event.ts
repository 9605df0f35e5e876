import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EVENT_TYPES } from '../../domain/event.js';
import type { ImpactLevel } from '../../domain/impact.js';
import { decideEventPatch, type EventPatch } from '../../domain/rules/event-transitions.js';
import { editUpdateText, extractComponents, patchEvent } from '../../storage/event-edits.js';
import type { RouteOptions } from '../deps.js';
import { IdParam, IdSchema } from '../validation.js';
import { instantOf, pathId } from './errors.js';
import { eventV2 } from '../../domain/v2-shapes.js';
import { HttpError } from '../errors.js';
import { apiActor, apiPerson, requireRole } from '../plugins/api-auth.js';
import { DESCRIPTION_MAX_LENGTH, EventUpdateV2, EventV2, WRITE_REFUSALS } from './schemas.js';
import { CONTACT_EMAIL_MAX_LENGTH, isContactEmail } from '../../domain/contact-email.js';
import { routePlugin } from '../route-plugin.js';

/** Unknown properties are ignored, as by the Go back end (create-event.ts). */
const PatchSchema = Type.Object({
  status: Type.String({ minLength: 1, description: 'pending_review (or "pending review"), reviewed: the maintenance review; the rest as before' }),
  message: Type.String({ minLength: 1, maxLength: 5000 }),
  update_date: Type.String({ format: 'date-time' }),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  description: Type.Optional(Type.String({ maxLength: DESCRIPTION_MAX_LENGTH })),
  impact: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
  type: Type.Optional(Type.Union(EVENT_TYPES.map((type) => Type.Literal(type)))),
  start_date: Type.Optional(Type.String({ format: 'date-time' })),
  end_date: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'null: unchanged, as absent' })),
  contact_email: Type.Optional(Type.String({ maxLength: CONTACT_EMAIL_MAX_LENGTH, description: "a maintenance's contact (RFC 5322)" })),
  version: Type.Optional(
    Type.Integer({ minimum: 0, description: 'the version the change was made to: if the event has changed since, 409 names its version; absent: no check' }),
  ),
});

/** The answers of a refused PATCH: bad input, not the caller's to make, or the event has moved on. */
const REFUSAL_STATUS = { refused: 400, forbidden: 403, conflict: 409 } as const;

/** Edits people make through v2: status updates with their rules (§3.5), separating components (§3.6) and timeline corrections (§3.7). */
const editEvent: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps: { store, readModel, clock } }) => {
  for (const collection of ['events', 'incidents'] as const) {
    app.patch(
      `/${collection}/:eventId`,
      {
        onRequest: app.requireApiToken,
        schema: {
          summary: 'Post a status update, with any change of title, impact, type or dates it allows; review a maintenance (reviewed, pending_review)',
          description:
            'Creators may change only their own maintenance while it is pending_review (to pending_review or cancelled); operators approve (reviewed), send back (pending_review) or cancel a proposal, and run everything else; admins may set any status. ' +
            'With `version`, the change is refused (409) if the event changed since that version. `completed` ends a maintenance or notice now unless its end has passed. Unknown properties are ignored.',
          tags: ['v2'],
          security: [{ bearerAuth: [] }],
          params: Type.Object({ eventId: IdParam }),
          body: PatchSchema,
          response: { 200: EventV2, ...WRITE_REFUSALS },
        },
      },
      async (request) => {
        const id = pathId(request.params.eventId, 'event id has an invalid format');
        const body = request.body;
        if (body.contact_email !== undefined && !isContactEmail(body.contact_email)) throw new HttpError(400, 'contact_email has invalid format');
        const patch: EventPatch = {
          status: body.status,
          message: body.message,
          at: instantOf(body.update_date, 'update_date'),
          title: body.title,
          description: body.description,
          impact: body.impact as ImpactLevel | undefined,
          type: body.type,
          startAt: body.start_date === undefined ? undefined : instantOf(body.start_date, 'start_date'),
          endAt: body.end_date === undefined || body.end_date === null ? undefined : instantOf(body.end_date, 'end_date'),
          contactEmail: body.contact_email,
          version: body.version,
        };
        const now = clock();
        const person = apiPerson(request);
        const result = await patchEvent(store, id, (event) => decideEventPatch(event, patch, now, person), now, apiActor(request));
        if (result.outcome === 'not-found') throw new HttpError(404, 'event does not exist');
        if (result.outcome !== 'changed') throw new HttpError(REFUSAL_STATUS[result.outcome], result.reason);
        return eventV2((await readModel.fresh(request)).savedEvent(id), clock(), true);
      },
    );

    app.post(
      `/${collection}/:eventId/extract`,
      {
        onRequest: app.requireApiToken,
        schema: {
          summary: 'Separate components into a new event of the same kind; at least one stays',
          tags: ['v2'],
          security: [{ bearerAuth: [] }],
          params: Type.Object({ eventId: IdParam }),
          body: Type.Object({ components: Type.Array(IdSchema, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false }),
          response: { 200: EventV2 },
        },
      },
      async (request) => {
        const id = pathId(request.params.eventId, 'event id has an invalid format');
        requireRole(request, 'operator');
        const result = await extractComponents(store, id, [...new Set(request.body.components)], clock, apiActor(request), apiPerson(request).id);
        if (result.outcome === 'not-found') throw new HttpError(404, 'event does not exist');
        if (result.outcome === 'unknown-component') throw new HttpError(400, `component does not exist, component_id: ${result.componentId}`);
        if (result.outcome === 'refused') throw new HttpError(400, result.reason);
        return eventV2((await readModel.fresh(request)).savedEvent(result.eventId), clock(), true);
      },
    );

    app.patch(
      `/${collection}/:eventId/updates/:updateId`,
      {
        onRequest: app.requireApiToken,
        schema: {
          summary: 'Correct the text of a timeline entry (its position, oldest first)',
          tags: ['v2'],
          security: [{ bearerAuth: [] }],
          params: Type.Object({ eventId: IdParam, updateId: Type.String({ description: 'the entry\'s position in the timeline, oldest first, from 0' }) }),
          body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 5000 }) }, { additionalProperties: false }),
          response: { 200: EventUpdateV2 },
        },
      },
      async (request) => {
        const eventId = pathId(request.params.eventId, 'event id has an invalid format');
        requireRole(request, 'operator');
        if (!/^\d+$/.test(request.params.updateId)) throw new HttpError(400, 'update id has an invalid format');
        const position = Number(request.params.updateId);
        const result = await editUpdateText(store, eventId, position, request.body.text, clock(), apiActor(request));
        if (result.outcome !== 'changed') throw new HttpError(404, result.outcome === 'event-not-found' ? 'event does not exist' : 'update does not exist');
        return { id: position, status: result.update.status, text: result.update.text, timestamp: new Date(result.update.at).toISOString() };
      },
    );
  }
};

export default routePlugin('v2-edit-event', editEvent);
