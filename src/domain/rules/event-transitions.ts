import type { EventType, StatusEvent } from '../event.js';
import { EVENT_STATUSES } from '../event-status.js';
import { isIncidentImpact, type ImpactLevel } from '../impact.js';

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
}

export type PatchDecision =
  | { outcome: 'refused'; reason: string }
  | {
      outcome: 'changed';
      /** the event's new fields; a person's edit always hands the event over from automation */
      set: Pick<StatusEvent, 'title' | 'description' | 'impact' | 'type' | 'status' | 'startAt' | 'endAt'> & { system: false };
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

/** Both spellings are accepted (spec §3); one is stored, so filters and pages agree. */
export function normaliseStatus(status: string): string {
  return status === 'analysing' ? 'analyzing' : status;
}

/**
 * Decides an edit of an event by a person: which statuses its type allows, what a closed incident
 * may still change, and the date rules (reference v3 §3.5; v1 §4.7 offers the same transitions):
 * an update, and an incident's end, are not in the future beyond CLOCK_SKEW.
 */
export function decideEventPatch(event: StatusEvent, patch: EventPatch, now: number): PatchDecision {
  const refuse = (reason: string): PatchDecision => ({ outcome: 'refused', reason });
  if (patch.at > now + CLOCK_SKEW) return refuse('update date must not be in the future');
  const type = patch.type ?? event.type;
  const impact = patch.impact ?? event.impact;
  if ((type === 'incident') !== isIncidentImpact(impact)) return refuse(IMPACT_RULE);
  const status = normaliseStatus(patch.status);
  if (!(EVENT_STATUSES[event.type] as readonly string[]).includes(status)) {
    return refuse(event.type === 'incident' ? 'wrong status for incident' : event.type === 'maintenance' ? 'wrong status for maintenance' : 'wrong status for info event');
  }

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
      system: false,
    },
    update: { status, text: patch.message, at: patch.at },
  };
}
