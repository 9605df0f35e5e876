import type { EventType, StatusEvent } from '../event.js';
import { currentStatus, EVENT_STATUSES, PENDING_REVIEW, REVIEWED } from '../event-status.js';
import { isIncidentImpact, type ImpactLevel } from '../impact.js';
import type { Actor } from '../roles.js';

/** A change people make to an event, with the timeline entry that explains it (reference v3 §3.5). */
export interface EventPatch {
  status: string;
  message: string;
  /** when the change happened; `resolved` ends the incident then */
  at: number;
  title?: string | undefined;
  description?: string | undefined;
  impact?: ImpactLevel | undefined;
  type?: EventType | undefined;
  startAt?: number | undefined;
  endAt?: number | undefined;
  /** a maintenance's contact (already checked for its syntax) */
  contactEmail?: string | undefined;
  /** the version the client read: another change since then makes this one a conflict */
  version?: number | undefined;
}

/** Why a change is not made: bad input (400), not this actor's to make (403), or the event moved on (409). */
export type PatchRefusal = { outcome: 'refused' | 'forbidden'; reason: string } | { outcome: 'conflict'; reason: string; version: number };

export type PatchDecision =
  | PatchRefusal
  | {
      outcome: 'changed';
      /** the event's new fields; a person's edit always hands the event over from automation */
      set: Pick<StatusEvent, 'title' | 'description' | 'impact' | 'type' | 'status' | 'startAt' | 'endAt' | 'contactEmail'> & { system: false };
      update: { status: string; text: string; at: number };
    };

export const IMPACT_RULE = "impact must be 0 for type 'maintenance' or 'info' and gt 0 for 'incident'";

/**
 * How far ahead of the server's clock a date of something that has happened may be. Clients date
 * updates with their own clocks (the React front end sends the browser's `new Date()`), and
 * synchronised clocks still differ by seconds; five minutes covers a clock that drifts between
 * synchronisations. Anything later is a date in the future, not a skewed clock: an incident
 * resolved then would stay active, and monitoring could not report its components until then.
 */
export const CLOCK_SKEW = 5 * 60_000;

/** Both spellings are accepted (spec §3, and the Go back end's `pending review`); one is stored, so filters and pages agree. */
export function normaliseStatus(status: string): string {
  if (status === 'analysing') return 'analyzing';
  return status === 'pending review' ? PENDING_REVIEW : status;
}

/**
 * Who may change what, before anything else is looked at (issue 17): creators only their own
 * maintenance while it waits for review, to edit or cancel it; operators approve what waits
 * (`reviewed`, first one wins), send it back (`pending_review`) or cancel it, and run everything
 * else as before; admins move anything anywhere. Undefined: allowed.
 */
export function reviewRefusal(event: StatusEvent, { status, type }: { status: string; type?: EventType | undefined }, actor: Actor, now: number): PatchRefusal | undefined {
  const forbidden = (reason: string): PatchRefusal => ({ outcome: 'forbidden', reason });
  const conflict = (reason: string): PatchRefusal => ({ outcome: 'conflict', reason, version: event.version });
  if (actor.role === 'admin') return undefined;
  const pending = event.type === 'maintenance' && event.status === PENDING_REVIEW;
  if (actor.role === 'creator') {
    if (event.type !== 'maintenance' || event.creator !== actor.id) return forbidden('access is denied: a creator may change only the maintenances they proposed');
    if (!pending) return forbidden('access is denied: a creator may change a maintenance only while it is pending review');
    if (type !== undefined && type !== 'maintenance') return forbidden('access is denied: a creator may only propose maintenances');
    if (status !== PENDING_REVIEW && status !== 'cancelled') return forbidden(`access is denied: a creator may only edit (${PENDING_REVIEW}) or cancel a proposal`);
    return undefined;
  }
  if (status === REVIEWED && !pending) return conflict(`only a maintenance pending review can be approved; this one is ${currentStatus(event, now)}`);
  if (pending && status !== REVIEWED && status !== PENDING_REVIEW && status !== 'cancelled') {
    return conflict(`a maintenance pending review is approved (${REVIEWED}), sent back (${PENDING_REVIEW}) or cancelled first`);
  }
  if (!pending && status === PENDING_REVIEW) return forbidden('access is denied: only admins may send a maintenance back to review');
  return undefined;
}

/**
 * Decides an edit of an event by a person: whether the actor may make it, whether they saw the
 * latest version, which statuses its type allows, what a closed incident may still change, and the
 * date rules (reference v3 §3.5; v1 §4.7 offers the same transitions): an update, and an
 * incident's end, are not in the future beyond CLOCK_SKEW. `completed` ends a maintenance or a
 * notice now, unless the end it is given has passed already.
 */
export function decideEventPatch(event: StatusEvent, patch: EventPatch, now: number, actor: Actor): PatchDecision {
  const refuse = (reason: string): PatchDecision => ({ outcome: 'refused', reason });
  const status = normaliseStatus(patch.status);
  const review = reviewRefusal(event, { status, type: patch.type }, actor, now);
  if (review) return review;
  if (patch.version !== undefined && patch.version !== event.version) {
    return { outcome: 'conflict', reason: `version conflict: the event is at version ${event.version}, the change was made to version ${patch.version}`, version: event.version };
  }
  if (patch.at > now + CLOCK_SKEW) return refuse('update date must not be in the future');
  const type = patch.type ?? event.type;
  const impact = patch.impact ?? event.impact;
  if ((type === 'incident') !== isIncidentImpact(impact)) return refuse(IMPACT_RULE);
  if (!(EVENT_STATUSES[event.type] as readonly string[]).includes(status)) {
    return refuse(event.type === 'incident' ? 'wrong status for incident' : event.type === 'maintenance' ? 'wrong status for maintenance' : 'wrong status for info event');
  }
  if (patch.contactEmail !== undefined && event.type !== 'maintenance') return refuse('contact_email: only a maintenance has a contact');

  let startAt = event.startAt;
  let endAt = event.endAt;
  const datesGiven = patch.startAt !== undefined || patch.endAt !== undefined;
  if (event.type === 'incident') {
    const closed = event.endAt !== null;
    if (closed) {
      if (status !== 'reopened' && status !== 'changed') return refuse('wrong status for closed incident');
      if (datesGiven && status !== 'changed') return refuse('wrong status for closed incident');
    } else {
      if (status === 'reopened' || status === 'changed') return refuse('wrong status for incident');
      if (patch.impact !== undefined && patch.impact !== event.impact) {
        if (status !== 'impact changed') return refuse('wrong status for changing impact');
        if (patch.impact === 0) return refuse('can not change impact to 0');
      }
      if (patch.startAt !== undefined) return refuse('can not change start date for open incident');
    }
    if (closed && status === 'changed') {
      startAt = patch.startAt ?? startAt;
      endAt = patch.endAt ?? endAt;
    }
    if (status === 'reopened') endAt = null;
    if (status === 'resolved') endAt = patch.at;
    if (endAt !== null && endAt > now + CLOCK_SKEW) return refuse('end date must not be in the future');
  } else {
    startAt = patch.startAt ?? startAt;
    endAt = patch.endAt ?? endAt;
    if (status === 'completed') {
      // Completed means over: the window ends now unless it has ended already (issue 17: the front
      // end sends the planned end, or none for a notice that never had one).
      if (endAt === null || endAt > now) endAt = now;
      if (startAt > now) return refuse(`a ${event.type === 'maintenance' ? 'maintenance' : 'notice'} that has not started cannot be completed; cancel it instead`);
    }
  }
  if (endAt !== null && endAt < startAt) return refuse('end date must not be before the start date');

  return {
    outcome: 'changed',
    set: {
      title: patch.title ?? event.title,
      description: patch.description ?? event.description,
      impact,
      type,
      status,
      startAt,
      endAt,
      contactEmail: patch.contactEmail ?? event.contactEmail,
      system: false,
    },
    update: { status, text: patch.message, at: patch.at },
  };
}
