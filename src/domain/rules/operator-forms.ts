import type { EventType, StatusEvent } from '../event.js';
import { PENDING_REVIEW, REVIEWED } from '../event-status.js';
import { isIncidentImpact, type ImpactLevel } from '../impact.js';
import type { Actor, Role } from '../roles.js';
import { decideEventPatch, reviewRefusal, type EventPatch, type PatchDecision, type PatchRefusal } from './event-transitions.js';
import { newEventProblems, type NewEventProblem } from './manual-events.js';

/** A field of an operator form, and what is wrong with it (shown next to the field). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** What the update form of an event page sends, its dates already read in the operator's zone. */
export interface OperatorUpdate {
  status: string;
  title: string;
  text: string;
  impact: ImpactLevel;
  /** `update_date`: when it happened (incidents), the actual start (`in progress`), the new end (`changed`) */
  date?: number | undefined;
  /** a maintenance's or notice's new window */
  startAt?: number | undefined;
  endAt?: number | undefined;
}

/** A refused update: what was wrong (400), not theirs to make (403), or someone else's change came first (409). */
export type OperatorUpdateDecision =
  | { outcome: 'refused' | 'forbidden' | 'conflict'; problems: FieldProblem[] }
  | Extract<PatchDecision, { outcome: 'changed' }>;

export const TITLE_LENGTH = { min: 8, max: 200 } as const;
export const UPDATE_TEXT_LENGTH = { min: 10, max: 5000 } as const;

/**
 * Entries that are not a step of the event's progress, so dates need not come after them
 * (reference v1 §4.7, "U"). The review's entries (issue 17) are about the proposal, not the work:
 * an approved maintenance may still be moved or started early.
 */
const NOT_PROGRESS = new Set(['resolved', 'description', 'changed', 'modified', 'planned', PENDING_REVIEW, REVIEWED]);

/**
 * The statuses the update form offers for an event as it is now (reference v1 §4.7, with v3's
 * `cancelled` and the notice's statuses): only those that can succeed in its state for this
 * actor (issue 17: a proposal is approved, sent back or cancelled first).
 */
export function statusesOffered(event: StatusEvent, now: number, actor: Actor): string[] {
  return formStatuses(event, now).filter((status) => reviewRefusal(event, { status }, actor, now) === undefined);
}

function formStatuses(event: StatusEvent, now: number): string[] {
  if (event.type === 'incident') return event.endAt === null ? ['analyzing', 'fixing', 'impact changed', 'observing', 'resolved'] : ['reopened', 'changed'];
  if (event.status === 'cancelled') return [];
  if (event.status === PENDING_REVIEW) return [REVIEWED, PENDING_REVIEW, 'cancelled'];
  const started = event.startAt <= now;
  const ended = event.endAt !== null && event.endAt <= now;
  const [start, window] = event.type === 'maintenance' ? ['in progress', 'modified'] : ['active', 'planned'];
  return [...(started ? [] : [start]), window, ...(started && !ended ? ['completed'] : []), ...(ended ? [] : ['cancelled'])] as string[];
}

export function lengthProblem(field: string, value: string, { min, max }: { min: number; max: number }): FieldProblem[] {
  const length = value.trim().length;
  return length < min || length > max ? [{ field, message: `Field must be between ${min} and ${max} characters long.` }] : [];
}

/**
 * Decides an operator's update of an event: the form's own rules and the date rules of reference
 * v1 §4.7 first, then the transition rules every API shares (`decideEventPatch`). Every update
 * sets the title and hands the event over from automation.
 */
export function decideOperatorUpdate(event: StatusEvent, form: OperatorUpdate, now: number, actor: Actor): OperatorUpdateDecision {
  const review = reviewRefusal(event, { status: form.status }, actor, now);
  if (review) return refusedBecause(review);
  const problems = [...lengthProblem('title', form.title, TITLE_LENGTH), ...lengthProblem('text', form.text, UPDATE_TEXT_LENGTH)];
  if (!statusesOffered(event, now, actor).includes(form.status)) problems.push({ field: 'status', message: 'Not a valid choice.' });
  if ((event.type === 'incident') !== isIncidentImpact(form.impact)) problems.push({ field: 'impact', message: 'Not a valid choice.' });
  if (problems.length > 0) return { outcome: 'refused', problems };

  const steps = event.updates.filter((update) => !NOT_PROGRESS.has(update.status)).map((update) => update.at);
  const planned = event.type === 'incident' ? incidentPatch(event, form, steps, now) : windowPatch(event, form, steps, now);
  if ('problems' in planned) return { outcome: 'refused', problems: planned.problems };
  const decision = decideEventPatch(event, { status: form.status, message: form.text.trim(), title: form.title.trim(), ...planned.patch }, now, actor);
  return decision.outcome === 'changed' ? decision : refusedBecause(decision);
}

function refusedBecause(refusal: PatchRefusal): OperatorUpdateDecision {
  return { outcome: refusal.outcome, problems: [{ field: 'status', message: refusal.reason }] };
}

type Planned = { patch: Omit<EventPatch, 'status' | 'message' | 'title'> } | { problems: FieldProblem[] };

const refuse = (field: string, message: string): Planned => ({ problems: [{ field, message }] });

/** An incident's date: given, not in the future, not before its start, after every earlier step. */
function updateDateProblem(event: StatusEvent, date: number | undefined, steps: readonly number[], now: number, emptyText: string): Planned | undefined {
  if (date === undefined) return refuse('date', emptyText);
  if (date > now) return refuse('date', 'The date cannot be in the future');
  if (date < event.startAt) return refuse('date', 'The date cannot be before the start date');
  if (steps.some((at) => at >= date)) return refuse('date', 'The date cannot be before any other status-update timestamp or equal');
  return undefined;
}

function incidentPatch(event: StatusEvent, form: OperatorUpdate, steps: readonly number[], now: number): Planned {
  switch (form.status) {
    case 'resolved':
      if (form.date === undefined) return { patch: { at: now } };
      return updateDateProblem(event, form.date, steps, now, '') ?? { patch: { at: form.date } };
    case 'reopened':
      return { patch: { at: now, impact: form.impact } };
    case 'changed':
      return updateDateProblem(event, form.date, steps, now, 'New end date field cannot be empty') ?? { patch: { at: now, impact: form.impact, endAt: form.date } };
    case 'impact changed':
      return updateDateProblem(event, form.date, steps, now, 'Update date cannot be empty') ?? { patch: { at: form.date ?? now, impact: form.impact } };
    default:
      return updateDateProblem(event, form.date, steps, now, 'Update date cannot be empty') ?? { patch: { at: form.date ?? now } };
  }
}

/** A maintenance's or notice's update: start early, move the window, complete or cancel it. */
function windowPatch(event: StatusEvent, form: OperatorUpdate, steps: readonly number[], now: number): Planned {
  const kind = event.type === 'maintenance' ? 'maintenance' : 'notice';
  switch (form.status) {
    case 'in progress':
    case 'active': {
      const { date } = form;
      if (date === undefined) return refuse('date', 'Update date cannot be empty');
      if (date > now) return refuse('date', 'Update date cannot be in the future');
      if (steps.length > 0) return refuse('status', `This ${kind} already has a status update, no statuses should be present.`);
      if (event.endAt !== null && date > event.endAt) return refuse('date', 'Update date cannot be later than the end date');
      return { patch: { at: now, startAt: date } };
    }
    case PENDING_REVIEW:
      // Sending a proposal back names no window and keeps it; its proposer's edit may move it, by the rules of a move.
      if (form.startAt === undefined && form.endAt === undefined) return { patch: { at: now } };
      return windowPatch(event, { ...form, status: 'modified' }, steps, now);
    case 'modified':
    case 'planned': {
      const { startAt, endAt } = form;
      const problems: FieldProblem[] = [];
      if (startAt === undefined) problems.push({ field: 'start', message: 'Start date cannot be empty' });
      if (endAt === undefined && event.type === 'maintenance') problems.push({ field: 'end', message: 'End date cannot be empty' });
      if (startAt !== undefined && endAt !== undefined && startAt > endAt) {
        problems.push({ field: 'start', message: 'Start date cannot be later end date' }, { field: 'end', message: 'End date cannot be earlier than the start date' });
      }
      if (startAt !== undefined && steps.some((at) => at < startAt)) problems.push({ field: 'start', message: 'Start date cannot be later any update timestamp' });
      if (endAt !== undefined && steps.some((at) => at > endAt)) problems.push({ field: 'end', message: 'End date cannot be earlier than any update timestamp' });
      if (problems.length > 0) return { problems };
      return { patch: { at: now, startAt, endAt } };
    }
    case 'completed':
      // Not offered before the start (statusesOffered), so v1's "not yet started" refusal cannot arise.
      if (form.date !== undefined && form.date < event.startAt) return refuse('date', 'The date cannot be earlier than the start date');
      return { patch: { at: now, endAt: now } };
    default:
      return { patch: { at: now } };
  }
}

/** What the "open an event" form sends, its dates already read in the operator's zone. */
export interface NewEventForm {
  type: EventType;
  title: string;
  /** 1–3 for an incident; maintenances and notices have none */
  impact: ImpactLevel;
  description: string;
  /** a maintenance's contact; empty: none */
  contactEmail: string;
  componentIds: readonly number[];
  startAt?: number | undefined;
  endAt?: number | undefined;
}

export const DESCRIPTION_LENGTH = { min: 8, max: 1500 } as const;

/** The form's words for the rules every surface shares (`newEventProblems`), by field. */
const NEW_EVENT_FIELD_PROBLEMS: Record<NewEventProblem, FieldProblem> = {
  'impact-for-type': { field: 'impact', message: 'Not a valid choice.' },
  'incident-with-end': { field: 'end', message: 'An incident has no end date until it is resolved.' },
  'incident-in-future': { field: 'start', message: 'Start date of incident cannot be in the future' },
  'maintenance-without-end': { field: 'end', message: 'This field is required.' },
  'end-before-start': { field: 'start', message: 'Start date cannot be later than or equal to the end date' },
  'contact-email-missing': { field: 'contact_email', message: 'A maintenance needs a contact email.' },
  'contact-email-invalid': { field: 'contact_email', message: 'Not a valid email address.' },
  'contact-email-not-maintenance': { field: 'contact_email', message: 'Only a maintenance has a contact email.' },
  'description-missing': { field: 'description', message: 'A maintenance needs a description.' },
  'window-in-past': { field: 'start', message: 'A maintenance must start in the future.' },
};

/** Checks the "open an event" form (reference v1 §4.6): its fields, then the rules of every new event, for this role. */
export function newEventFormProblems(form: NewEventForm, componentExists: (id: number) => boolean, now: number, role: Role): FieldProblem[] {
  const problems = [...lengthProblem('title', form.title, TITLE_LENGTH)];
  if (form.description.trim() !== '') problems.push(...lengthProblem('description', form.description, DESCRIPTION_LENGTH));
  if (form.componentIds.length === 0) problems.push({ field: 'components', message: 'Choose at least one service.' });
  else if (!form.componentIds.every(componentExists)) problems.push({ field: 'components', message: 'Not a valid choice.' });
  if (form.startAt === undefined) problems.push({ field: 'start', message: 'This field is required.' });
  else {
    const endAt = form.type === 'incident' ? null : (form.endAt ?? null);
    const spec = { type: form.type, impact: form.impact, startAt: form.startAt, endAt, description: form.description, contactEmail: form.contactEmail.trim() || null };
    problems.push(...newEventProblems(spec, now, role).map((problem) => NEW_EVENT_FIELD_PROBLEMS[problem]));
  }
  return problems;
}
