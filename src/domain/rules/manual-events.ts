import { componentLabelV2, type Component } from '../component.js';
import { isContactEmail } from '../contact-email.js';
import { isActive, type EventType, type StatusEvent } from '../event.js';
import { PENDING_REVIEW } from '../event-status.js';
import { isIncidentImpact } from '../impact.js';
import type { Role } from '../roles.js';
import { CLOCK_SKEW } from './event-transitions.js';
import type { Change, EventView, NewEventSpec } from './status-report.js';

/** The first timeline entry of an event people open (reference v3 §1.3). */
export const FIRST_ENTRIES: Record<EventType, { status: string; text: string }> = {
  incident: { status: 'detected', text: 'The incident is detected.' },
  maintenance: { status: 'planned', text: 'Maintenance is planned.' },
  info: { status: 'planned', text: 'The informational notification is planned.' },
};

/** The first entry of a maintenance a creator proposes: it waits for an operator (issue 17). */
export const PROPOSED_ENTRY = { status: PENDING_REVIEW, text: 'Maintenance is proposed and awaits review.' } as const;

/** What people say of an event they open; the rest of it follows from its type. */
export type ManualEvent = Omit<NewEventSpec, 'system' | 'status' | 'firstEntry'>;

/** Why an event people open breaks the rules; each surface words it its own way. */
export type NewEventProblem =
  | 'impact-for-type'
  | 'incident-with-end'
  | 'incident-in-future'
  | 'maintenance-without-end'
  | 'end-before-start'
  | 'contact-email-missing'
  | 'contact-email-invalid'
  | 'contact-email-not-maintenance'
  | 'description-missing'
  | 'window-in-past';

/** Creators propose maintenances and nothing else; readers open nothing (they never get this far). */
export function mayOpen(type: EventType, role: Role): boolean {
  return role !== 'creator' || type === 'maintenance';
}

/**
 * The rules of an event people open (reference v3 §3.4.1, v1 §4.6), in the order API v2 reports
 * them: an incident has an impact, has started and has no end yet; a maintenance has a window; a
 * window ends after it starts. A maintenance that a creator or an operator opens also needs a
 * contact, a description and a window that has not begun (issue 17). Admins, as every client of
 * the Go back end this replaces was, keep its rules: a contact is optional (checked when given).
 */
export function newEventProblems(spec: Pick<ManualEvent, 'type' | 'impact' | 'startAt' | 'endAt' | 'description' | 'contactEmail'>, now: number, role: Role): NewEventProblem[] {
  const problems: NewEventProblem[] = [];
  if ((spec.type === 'incident') !== isIncidentImpact(spec.impact)) problems.push('impact-for-type');
  if (spec.type === 'incident' && spec.endAt !== null) problems.push('incident-with-end');
  if (spec.type === 'incident' && spec.startAt > now) problems.push('incident-in-future');
  if (spec.type === 'maintenance' && spec.endAt === null) problems.push('maintenance-without-end');
  if (spec.type !== 'incident' && spec.endAt !== null && spec.endAt <= spec.startAt) problems.push('end-before-start');
  const contact = spec.contactEmail ?? null;
  if (contact !== null && spec.type !== 'maintenance') problems.push('contact-email-not-maintenance');
  else if (contact !== null && !isContactEmail(contact)) problems.push('contact-email-invalid');
  if (spec.type === 'maintenance' && role !== 'admin') {
    if (contact === null) problems.push('contact-email-missing');
    if (!spec.description?.trim()) problems.push('description-missing');
    if (spec.startAt < now - CLOCK_SKEW) problems.push('window-in-past');
  }
  return problems;
}

type Opening = { outcome: 'changed'; result: 'new'; changes: Change[] };
type Decision = { outcome: 'refused'; reason: string } | Opening;

/**
 * An event people open (reference v3 §3.4.1). An incident takes its components over from the
 * active incidents that hold them, whatever their impact or owner: people know better than
 * monitoring. An incident left without components is closed. Maintenances and notices move
 * nothing; a creator's maintenance is a proposal, pending review.
 */
export function decideNewEvent(events: readonly EventView[], spec: ManualEvent, components: readonly Component[], now: number, role: Role): Opening {
  const first = spec.type === 'maintenance' && role === 'creator' ? PROPOSED_ENTRY : FIRST_ENTRIES[spec.type];
  const changes: Change[] = [{ op: 'create', event: { ...spec, system: false, status: first.status, firstEntry: first } }];
  for (const component of components) changes.push({ op: 'link', event: 'new', componentId: component.id });
  if (spec.type !== 'incident') return { outcome: 'changed', result: 'new', changes };

  const holders = events
    .filter((event) => event.type === 'incident' && isActive(event, now))
    .sort((a, b) => b.startAt - a.startAt || b.id - a.id);
  const remaining = new Map(holders.map((event) => [event.id, event.componentIds.length]));
  for (const component of components) {
    const holder = holders.find((event) => event.componentIds.includes(component.id));
    if (!holder) continue;
    changes.push(...moveChanges(component, holder, { ref: 'new', title: spec.title }, remaining));
  }
  return { outcome: 'changed', result: 'new', changes };
}

/**
 * Separates components of an event into a new event of the same kind (reference v3 §3.6), which
 * people then run on its own, opened by `creator`. At least one component stays.
 */
export function decideExtraction(event: StatusEvent, componentIds: readonly number[], components: readonly Component[], now: number, creator: string): Decision {
  const stray = componentIds.find((id) => !event.componentIds.includes(id));
  if (stray !== undefined) return { outcome: 'refused', reason: `component ${stray} is not in the incident` };
  const moving = new Set(componentIds);
  if (event.componentIds.every((id) => moving.has(id))) {
    return { outcome: 'refused', reason: 'can not move all components to the new incident, keep at least one' };
  }
  const changes: Change[] = [
    {
      op: 'create',
      event: {
        type: event.type,
        title: event.title,
        description: event.description,
        impact: event.impact,
        startAt: now,
        endAt: event.type === 'incident' ? null : event.endAt,
        system: false,
        status: event.status ?? FIRST_ENTRIES[event.type].status,
        creator,
        contactEmail: event.contactEmail,
      },
    },
  ];
  const remaining = new Map([[event.id, event.componentIds.length]]);
  for (const component of components.filter((c) => moving.has(c.id))) {
    changes.push({ op: 'link', event: 'new', componentId: component.id }, ...moveChanges(component, event, { ref: 'new', title: event.title }, remaining));
  }
  return { outcome: 'changed', result: 'new', changes };
}

/** The timeline of a move: "moved from" on the new event; "moved to" on the old one, which closes once empty. */
function moveChanges(component: Component, from: Pick<EventView, 'id' | 'title'>, to: { ref: 'new'; title: string }, remaining: Map<number, number>): Change[] {
  const label = componentLabelV2(component);
  const source = { id: from.id };
  const left = remaining.get(from.id) ?? 0;
  remaining.set(from.id, left - 1);
  const movedFrom: Change = { op: 'note', event: 'new', message: { kind: 'moved-from', component: label, from: { ref: source, title: from.title } } };
  if (left > 1) {
    return [movedFrom, { op: 'note', event: source, message: { kind: 'moved-to', component: label, to } }, { op: 'unlink', eventId: from.id, componentId: component.id }];
  }
  // The last component leaves: the incident closes and keeps it as its history.
  return [movedFrom, { op: 'note', event: source, message: { kind: 'moved-to', component: label, to, closes: true }, status: 'resolved' }, { op: 'close', eventId: from.id }];
}
