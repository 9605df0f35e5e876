import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { Type } from 'typebox';
import { sameToken, type OperatorSession, type SignedInOperator } from '../../auth/sessions.js';
import { atLeast } from '../../domain/roles.js';
import { EVENT_TYPES, type EventType, type StatusEvent } from '../../domain/event.js';
import { parseId } from '../../domain/ids.js';
import { mayOpen } from '../../domain/rules/manual-events.js';
import { decideOperatorUpdate, lengthProblem, newEventFormProblems, UPDATE_TEXT_LENGTH, type FieldProblem, type OperatorUpdateDecision } from '../../domain/rules/operator-forms.js';
import { editUpdateText, extractComponents, openEvent, patchEvent } from '../../storage/event-edits.js';
import { EMPTY_FORM, type FormState } from '../../web/form-parts.js';
import type { PageContext } from '../../web/layout.js';
import { ErrorPage } from '../../web/pages/error-page.js';
import { NotFoundPage } from '../../web/pages/event-page.js';
import { NewEventPage } from '../../web/pages/new-event-page.js';
import { OperatorEventPage } from '../../web/pages/operator-event-page.js';
import type { RouteOptions } from '../deps.js';
import { NOT_YOUR_PROPOSAL } from '../pages/event.js';
import { componentsOf } from '../pages/overview.js';
import { renderPage, sendPrivatePage } from '../pages/send-page.js';
import { maySeeProposal, personOf, sessionViewOf } from '../pages/session-view.js';
import { requireSignedIn } from '../plugins/operator-session.js';
import { FormReader, formValues } from './form-input.js';
import { IdParam } from '../validation.js';
import { routePlugin } from '../route-plugin.js';

export interface OperatorEventRouteOptions extends RouteOptions {
  context: PageContext;
}

/** Who a change is attributed to, in the timeline and the audit log. */
export function actorOf(operator: OperatorSession): string {
  return operator.subject.startsWith('local:') ? operator.subject : `oidc:${operator.name}`;
}

const NOT_FOR_CREATORS: FieldProblem = { field: 'status', message: 'Only operators and admins may do this.' };

/** The answer of a refused update, by why it was refused. */
const REFUSAL_STATUS = { refused: 400, forbidden: 403, conflict: 409 } as const;

const STALE_FORM: FieldProblem = { field: 'csrf', message: 'The form had expired or did not come from this site. Please reload the page and try again.' };

const EventParams = Type.Object({ id: IdParam });

/**
 * What operators do to events from the pages (reference v1 §4.6–§4.8): open one, post updates,
 * correct an entry's text, separate a service. Every form is checked by the rules the APIs share,
 * a refused one comes back with its values and what was wrong, and nothing is changed.
 */
const operatorEventRoutes: FastifyPluginAsyncTypebox<OperatorEventRouteOptions> = async (app, { deps: { store, readModel, clock }, context }) => {
  app.addHook('onRequest', requireSignedIn);

  /** The person every route here has: the hook above turned everyone else away. */
  const operatorOf = (request: FastifyRequest): SignedInOperator => {
    if (!request.operator) throw new Error('an operator route ran without a session');
    return request.operator;
  };
  const validCsrf = (request: FastifyRequest, values: Record<string, string | string[]>) => sameToken(operatorOf(request).csrf, values.csrf);

  const sendNewEventForm = async (request: FastifyRequest, reply: FastifyReply, state: FormState, status: number) => {
    const model = await readModel.fresh(request);
    const page = renderPage(h(NewEventPage, { context, operator: sessionViewOf(operatorOf(request), model), components: [...model.components.values()], state, now: clock() }));
    return sendPrivatePage(request, reply, page, status);
  };

  app.get('/incidents', { schema: { hide: true } }, async (request, reply) => sendNewEventForm(request, reply, EMPTY_FORM, 200));

  app.post('/incidents', { schema: { hide: true } }, async (request, reply) => {
    const form = new FormReader(formValues(request.body));
    if (!validCsrf(request, form.values)) return sendNewEventForm(request, reply, form.refused([STALE_FORM]), 403);
    const type = (EVENT_TYPES as readonly string[]).includes(form.text('type')) ? (form.text('type') as EventType) : undefined;
    if (!type) form.problems.push({ field: 'type', message: 'Not a valid choice.' });
    const zone = form.zone();
    const fields = {
      type: type ?? 'incident',
      title: form.text('title').trim(),
      impact: type === 'incident' ? form.impact('impact', 1) : 0,
      description: form.text('description').trim(),
      contactEmail: form.text('contact_email'),
      componentIds: form.ids('components'),
      startAt: form.date('start', zone),
      endAt: type === 'incident' ? undefined : form.date('end', zone),
    } as const;
    const now = clock();
    const model = await readModel.fresh(request);
    const person = personOf(operatorOf(request));
    if (!mayOpen(fields.type, person.role)) form.problems.push({ field: 'type', message: 'A creator may only propose maintenances.' });
    const problems = newEventFormProblems(fields, (id) => model.components.has(id), now, person.role);
    if (form.problems.length > 0 || problems.length > 0 || fields.startAt === undefined) return sendNewEventForm(request, reply, form.refused(problems), 400);
    const contactEmail = fields.contactEmail.trim() || null;
    const opened = await openEvent(
      store,
      {
        type: fields.type,
        title: fields.title,
        description: fields.description || null,
        impact: fields.impact,
        startAt: fields.startAt,
        endAt: fields.endAt ?? null,
        creator: person.id,
        contactEmail,
      },
      fields.componentIds,
      clock,
      actorOf(operatorOf(request)),
      person.role,
    );
    if (opened.outcome === 'unknown-component') return sendNewEventForm(request, reply, form.refused([{ field: 'components', message: 'Not a valid choice.' }]), 400);
    request.log.info({ eventId: opened.eventId, actor: actorOf(operatorOf(request)) }, 'operator opened an event');
    return reply.redirect(`/incidents/${opened.eventId}`, 303);
  });

  /**
   * The event page again, with the form as sent and what was wrong. Someone else's proposal is
   * not shown to a creator who posted to it: they are told it is not theirs (403).
   */
  const sendRefusal = async (request: FastifyRequest, reply: FastifyReply, id: number, state: FormState, status: number) => {
    const model = await readModel.fresh(request);
    const event = model.anyEvent(id);
    if (!event) return sendEventNotFound(request, reply, id);
    const session = sessionViewOf(operatorOf(request), model);
    if (model.proposals.has(id) && !maySeeProposal(event, personOf(operatorOf(request)))) {
      return sendPrivatePage(request, reply, renderPage(h(ErrorPage, { context, title: 'Forbidden', message: NOT_YOUR_PROPOSAL, operator: session })), 403);
    }
    const page = renderPage(h(OperatorEventPage, { context, event, components: componentsOf(model, event), now: clock(), session, state }));
    return sendPrivatePage(request, reply, page, status);
  };
  const sendEventNotFound = async (request: FastifyRequest, reply: FastifyReply, id: number | string) => {
    const operator = sessionViewOf(operatorOf(request), await readModel.fresh(request));
    return sendPrivatePage(request, reply, renderPage(h(NotFoundPage, { context, what: `There is no incident, maintenance or notice with the number ${id}.`, operator })), 404);
  };

  app.post('/incidents/:id', { schema: { hide: true, params: EventParams } }, async (request, reply) => {
    const id = parseId(request.params.id);
    if (id === undefined) return sendEventNotFound(request, reply, request.params.id);
    const form = new FormReader(formValues(request.body));
    if (!validCsrf(request, form.values)) return sendRefusal(request, reply, id, form.refused([STALE_FORM]), 403);
    const zone = form.zone();
    const update = {
      status: form.text('status'),
      title: form.text('title'),
      text: form.text('text'),
      date: form.date('date', zone),
      startAt: form.date('start', zone),
      endAt: form.date('end', zone),
    };
    // Maintenances and notices have no impact field: theirs stays.
    const impact = form.text('impact') === '' ? undefined : form.impact('impact', 1);
    const seen = form.version('version');
    if (form.problems.length > 0) return sendRefusal(request, reply, id, form.refused(), 400);
    const now = clock();
    const person = personOf(operatorOf(request));
    const decide = (event: StatusEvent): OperatorUpdateDecision => {
      const decision = decideOperatorUpdate(event, { ...update, impact: impact ?? event.impact }, now, person);
      // A form that names the version it was made from (the review's: an approval holds for what
      // was reviewed) is refused once another change came first, as API v2's is.
      if (decision.outcome !== 'changed' || seen === undefined || seen === event.version) return decision;
      return { outcome: 'conflict', problems: [{ field: 'status', message: `This ${event.type === 'info' ? 'notice' : event.type} was changed since the page was loaded (version ${seen}, now ${event.version}). Please look at it again.` }] };
    };
    const result = await patchEvent(store, id, decide, now, actorOf(operatorOf(request)));
    if (result.outcome === 'not-found') return sendEventNotFound(request, reply, id);
    if (result.outcome !== 'changed') return sendRefusal(request, reply, id, form.refused(result.problems), REFUSAL_STATUS[result.outcome]);
    return reply.redirect(`/incidents/${id}`, 303);
  });

  app.post(
    '/incidents/:id/updates/:position',
    { schema: { hide: true, params: Type.Object({ id: EventParams.properties.id, position: Type.String({ pattern: '^[0-9]{1,6}$' }) }) } },
    async (request, reply) => {
      const id = parseId(request.params.id);
      if (id === undefined) return sendEventNotFound(request, reply, request.params.id);
      const form = new FormReader(formValues(request.body));
      if (!validCsrf(request, form.values)) return sendRefusal(request, reply, id, form.refused([STALE_FORM]), 403);
      if (!atLeast(operatorOf(request).role, 'operator')) return sendRefusal(request, reply, id, { values: {}, problems: [{ ...NOT_FOR_CREATORS, field: 'entry' }] }, 403);
      const text = form.text('text').trim();
      const problems = lengthProblem('text', text, UPDATE_TEXT_LENGTH);
      if (problems.length > 0) return sendRefusal(request, reply, id, { values: {}, problems: problems.map((problem) => ({ ...problem, field: 'entry' })) }, 400);
      const result = await editUpdateText(store, id, Number(request.params.position), text, clock(), actorOf(operatorOf(request)));
      if (result.outcome === 'event-not-found') return sendEventNotFound(request, reply, id);
      if (result.outcome === 'update-not-found') return sendRefusal(request, reply, id, { values: {}, problems: [{ field: 'entry', message: 'That entry does not exist.' }] }, 404);
      return reply.redirect(`/incidents/${id}`, 303);
    },
  );

  app.post('/incidents/:id/separate', { schema: { hide: true, params: EventParams } }, async (request, reply) => {
    const id = parseId(request.params.id);
    if (id === undefined) return sendEventNotFound(request, reply, request.params.id);
    const form = new FormReader(formValues(request.body));
    if (!validCsrf(request, form.values)) return sendRefusal(request, reply, id, form.refused([STALE_FORM]), 403);
    if (!atLeast(operatorOf(request).role, 'operator')) return sendRefusal(request, reply, id, { values: {}, problems: [{ ...NOT_FOR_CREATORS, field: 'component' }] }, 403);
    const componentId = parseId(form.text('component'));
    if (componentId === undefined) return sendRefusal(request, reply, id, { values: {}, problems: [{ field: 'component', message: 'Choose a service to separate.' }] }, 400);
    const result = await extractComponents(store, id, [componentId], clock, actorOf(operatorOf(request)), operatorOf(request).subject);
    if (result.outcome === 'not-found') return sendEventNotFound(request, reply, id);
    if (result.outcome === 'unknown-component') return sendRefusal(request, reply, id, { values: {}, problems: [{ field: 'component', message: 'That service does not exist.' }] }, 400);
    if (result.outcome === 'refused') return sendRefusal(request, reply, id, { values: {}, problems: [{ field: 'component', message: result.reason }] }, 400);
    return reply.redirect(`/incidents/${result.eventId}`, 303);
  });
};

export default routePlugin('operator-events', operatorEventRoutes);
