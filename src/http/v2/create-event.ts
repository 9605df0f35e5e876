import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EVENT_TYPES } from '../../domain/event.js';
import { isIncidentImpact } from '../../domain/impact.js';
import { V2_POLICY } from '../../domain/rules/status-report.js';
import { reportStatus } from '../../services/report-status.js';
import type { RouteOptions } from '../deps.js';
import { V2Error } from './errors.js';

const NewEventSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 500 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    impact: Type.Integer({ minimum: 0, maximum: 3 }),
    components: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 500 }),
    start_date: Type.String({ format: 'date-time' }),
    end_date: Type.Optional(Type.String({ format: 'date-time' })),
    system: Type.Optional(Type.Boolean()),
    type: Type.Union(EVENT_TYPES.map((type) => Type.Literal(type))),
    updates: Type.Optional(Type.Array(Type.Unknown())),
    status: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const ResultSchema = Type.Object({
  result: Type.Array(
    Type.Object({ component_id: Type.Integer(), incident_id: Type.Optional(Type.Integer()), error: Type.Optional(Type.String()) }),
  ),
});

/**
 * `POST /events` (and the deprecated `/incidents`) with `"system": true`: the monitoring reporter's
 * entry point (reference v3 §3.4.2). Each component is reported in turn through the same rules
 * as API v1, under the v2 policy; the answer names, per component, the incident that holds it.
 */
const createEvent: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps: { store, readModel, clock } }) => {
  for (const collection of ['events', 'incidents'] as const) {
    app.post(
      `/${collection}`,
      {
        onRequest: app.requireApiToken,
        schema: {
          summary: 'Report components as a system incident (monitoring); one result per component',
          tags: ['v2'],
          security: [{ bearerAuth: [] }],
          body: NewEventSchema,
          response: { 200: ResultSchema },
        },
      },
      async (request) => {
        const body = request.body;
        const model = await readModel.fresh();
        const missing = body.components.find((id) => !model.components.has(id));
        if (missing !== undefined) throw new V2Error(400, `component does not exist, component_id: ${missing}`);
        if ((body.type === 'incident') !== isIncidentImpact(body.impact)) {
          throw new V2Error(400, "impact must be 0 for type 'maintenance' or 'info' and gt 0 for 'incident'");
        }
        const now = clock();
        const startAt = Date.parse(body.start_date);
        if (body.type === 'incident' && body.end_date !== undefined) throw new V2Error(400, 'event end_date should be empty');
        if (body.type === 'incident' && startAt > now) throw new V2Error(400, 'event start_date should not be in the future');
        if (body.type === 'maintenance' && body.end_date === undefined) throw new V2Error(400, 'maintenance end_date is empty');
        if (body.updates && body.updates.length > 0) throw new V2Error(400, 'event updates should be empty');
        if (body.system && body.type !== 'incident') throw new V2Error(400, "system incident must be of type 'incident'");
        if (!body.system || !isIncidentImpact(body.impact)) {
          // Events people open take components over from open incidents (reference v3 §3.4.1):
          // that belongs with the operators' transitions and is not served yet.
          throw new V2Error(422, 'only system incidents (monitoring) can be created through API v2 for now');
        }

        const actor = `api:${request.apiCaller?.name ?? 'unknown'}`;
        const result = [];
        // One component after the other, as the reporter expects: several land in one new incident.
        for (const componentId of body.components) {
          const outcome = await reportStatus(
            store,
            readModel,
            { component: { id: componentId }, impact: body.impact, title: body.title, description: body.description || undefined, startAt, policy: V2_POLICY },
            now,
            actor,
          );
          if (outcome.outcome === 'unknown-component') result.push({ component_id: componentId, error: 'component does not exist' });
          else if (outcome.outcome === 'shielded') {
            result.push({ component_id: componentId, incident_id: outcome.event.id, error: 'event creation failed, component in maintenance' });
          } else if (outcome.outcome === 'conflict') result.push({ component_id: componentId, incident_id: outcome.eventId });
          else result.push({ component_id: componentId, incident_id: outcome.event.id });
        }
        return { result };
      },
    );
  }
};

export default createEvent;
