import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EVENT_TYPES } from '../../domain/event.js';
import { isIncidentImpact, type ImpactLevel } from '../../domain/impact.js';
import { IMPACT_RULE } from '../../domain/rules/event-transitions.js';
import { V2_POLICY } from '../../domain/rules/status-report.js';
import { mayOpen, newEventProblems, type NewEventProblem } from '../../domain/rules/manual-events.js';
import { CONTACT_EMAIL_MAX_LENGTH } from '../../domain/contact-email.js';
import { reportStatus } from '../../services/report-status.js';
import { openEvent } from '../../storage/event-edits.js';
import type { RouteOptions } from '../deps.js';
import { IdSchema } from '../validation.js';
import { instantOf } from './errors.js';
import { HttpError } from '../errors.js';
import { countedReport } from '../metrics.js';
import { apiActor, apiPerson, requireRole } from '../plugins/api-auth.js';
import { DESCRIPTION_MAX_LENGTH, WRITE_REFUSALS } from './schemas.js';
import { routePlugin } from '../route-plugin.js';

/**
 * Unknown properties are ignored, as the Go back end ignores them: its clients (the React front
 * end among them) send what they have. What is refused is named once (v2ErrorHandler).
 */
const NewEventSchema = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 500 }),
  description: Type.Optional(Type.String({ maxLength: DESCRIPTION_MAX_LENGTH })),
  impact: Type.Integer({ minimum: 0, maximum: 3 }),
  components: Type.Array(IdSchema, { minItems: 1, maxItems: 500 }),
  start_date: Type.String({ format: 'date-time' }),
  end_date: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'null: none, as absent' })),
  system: Type.Optional(Type.Boolean()),
  type: Type.Union(EVENT_TYPES.map((type) => Type.Literal(type))),
  updates: Type.Optional(Type.Array(Type.Unknown())),
  status: Type.Optional(Type.String()),
  contact_email: Type.Optional(
    Type.String({ maxLength: CONTACT_EMAIL_MAX_LENGTH, description: 'a maintenance\'s contact (RFC 5322); required when creators and operators open one' }),
  ),
});

/** API v2's words for the rules of a new event (reference v3 §3.4.1). */
const NEW_EVENT_ERRORS: Record<NewEventProblem, string> = {
  'impact-for-type': IMPACT_RULE,
  'incident-with-end': 'event end_date should be empty',
  'incident-in-future': 'event start_date should not be in the future',
  'maintenance-without-end': 'maintenance end_date is empty',
  'end-before-start': 'event end_date should be after start_date',
  'contact-email-missing': 'contact_email is required for maintenance',
  'contact-email-invalid': 'contact_email has invalid format',
  'contact-email-not-maintenance': 'contact_email is only for maintenance',
  'description-missing': 'description is required for maintenance',
  'window-in-past': 'start_date must be in the future for maintenance',
};

const ResultSchema = Type.Object({
  result: Type.Array(
    Type.Object({ component_id: Type.Integer(), incident_id: Type.Optional(Type.Integer()), error: Type.Optional(Type.String()) }),
  ),
});

/**
 * `POST /events` (and the deprecated `/incidents`). With `"system": true` it is the monitoring
 * reporter's entry point (reference v3 §3.4.2): each component is reported in turn through the
 * same rules as API v1, under the v2 policy. Otherwise people open an incident, a maintenance or a
 * notice (§3.4.1). The answer names, per component, the event that holds it.
 */
const createEvent: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps: { store, readModel, clock, metrics } }) => {
  for (const collection of ['events', 'incidents'] as const) {
    app.post(
      `/${collection}`,
      {
        onRequest: app.requireApiToken,
        schema: {
          summary: 'Open an incident, maintenance or notice, or (system: true) report components as monitoring; one result per component',
          description:
            'A creator\'s maintenance is a proposal (pending_review) until an operator approves it; creators open nothing else. Creators and operators must give a maintenance a contact_email, a description and a start ahead; admins (and CLI tokens) keep the reference\'s rules. Unknown properties are ignored.',
          tags: ['v2'],
          security: [{ bearerAuth: [] }],
          body: NewEventSchema,
          response: { 200: ResultSchema, ...WRITE_REFUSALS },
        },
      },
      async (request) => {
        const body = request.body;
        const model = await readModel.fresh(request);
        const missing = body.components.find((id) => !model.components.has(id));
        if (missing !== undefined) {
          if (body.system) metrics?.countReport('v2', 'refused');
          throw new HttpError(400, `component does not exist, component_id: ${missing}`);
        }
        const person = apiPerson(request);
        if (body.system) requireRole(request, 'operator');
        else if (!mayOpen(body.type, person.role)) throw new HttpError(403, 'access is denied: a creator may only propose maintenances');
        const now = clock();
        const startAt = instantOf(body.start_date, 'start_date');
        const endAt = body.end_date === undefined || body.end_date === null ? null : instantOf(body.end_date, 'end_date');
        const description = body.description || null;
        const contactEmail = body.contact_email ?? null;
        const [problem] = newEventProblems({ type: body.type, impact: body.impact as ImpactLevel, startAt, endAt, description, contactEmail }, now, person.role);
        if (problem) throw new HttpError(400, NEW_EVENT_ERRORS[problem]);
        if (body.updates && body.updates.length > 0) throw new HttpError(400, 'event updates should be empty');
        if (body.system && body.type !== 'incident') throw new HttpError(400, "system incident must be of type 'incident'");
        const actor = apiActor(request);
        const componentIds = [...new Set(body.components)];
        if (!body.system || !isIncidentImpact(body.impact)) {
          const opened = await openEvent(
            store,
            { type: body.type, title: body.title, description, impact: body.impact as ImpactLevel, startAt, endAt, creator: person.id, contactEmail },
            componentIds,
            clock,
            actor,
            person.role,
          );
          if (opened.outcome === 'unknown-component') throw new HttpError(400, `component does not exist, component_id: ${opened.componentId}`);
          return { result: componentIds.map((id) => ({ component_id: id, incident_id: opened.eventId })) };
        }

        const result = [];
        // One component after the other, as the reporter expects: several land in one new incident.
        for (const componentId of componentIds) {
          const report = { component: { id: componentId }, impact: body.impact, title: body.title, description: body.description || undefined, startAt, policy: V2_POLICY };
          const outcome = await countedReport(metrics, 'v2', () => reportStatus(store, readModel, report, clock, actor));
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

export default routePlugin('v2-create-event', createEvent);
