import { isActive, type EventType, type StatusEvent } from './event.js';

/** A maintenance a creator proposed, waiting for an operator (issue 17): as the React front end spells it. */
export const PENDING_REVIEW = 'pending_review';
/** A proposal an operator approved; the lifecycle timer then plans it (`planned`). */
export const REVIEWED = 'reviewed';

/**
 * Statuses per event type (reference v3 §1.3); both spellings of analysing are accepted (spec §3),
 * and a maintenance may wait for its review first.
 */
export const EVENT_STATUSES = {
  incident: ['detected', 'analyzing', 'analysing', 'fixing', 'impact changed', 'observing', 'resolved', 'reopened', 'changed'],
  maintenance: [PENDING_REVIEW, REVIEWED, 'planned', 'in progress', 'modified', 'completed', 'cancelled'],
  info: ['planned', 'active', 'completed', 'cancelled'],
} as const satisfies Record<EventType, readonly string[]>;

/**
 * The status to show. An incident's is the one people (or monitoring) set, or what its dates say
 * if it never had one. A maintenance or a notice follows its window: planned, then in progress
 * (active), then completed, unless it was cancelled. That is what the Go back end's background
 * checker writes every two minutes (reference v3 §3.9), computed when read instead. A proposal
 * stays pending review whatever its window says: nobody approved that window; an approved one
 * says so until it is planned or its window starts.
 */
export function currentStatus(event: Pick<StatusEvent, 'type' | 'status' | 'startAt' | 'endAt'>, now: number): string {
  const ended = event.endAt !== null && event.endAt <= now;
  switch (event.type) {
    case 'incident':
      return event.status ?? (ended ? 'resolved' : 'detected');
    case 'maintenance':
      if (event.status === 'cancelled' || event.status === PENDING_REVIEW) return event.status;
      return isActive(event, now) ? 'in progress' : ended ? 'completed' : event.status === REVIEWED ? REVIEWED : 'planned';
    case 'info':
      if (event.status === 'cancelled') return 'cancelled';
      return isActive(event, now) ? 'active' : ended ? 'completed' : 'planned';
  }
}

/**
 * A maintenance nobody approved: pending review, or cancelled before anyone approved it. It is
 * seen only by those who may review it or who proposed it: not on public pages, feeds, badges or
 * in answers to anonymous readers, and it shields nothing from monitoring.
 */
export function isProposal(event: Pick<StatusEvent, 'type' | 'status' | 'updates'>): boolean {
  if (event.type !== 'maintenance') return false;
  if (event.status === PENDING_REVIEW) return true;
  return event.status === 'cancelled' && event.updates.length > 0 && event.updates.every((update) => update.status === PENDING_REVIEW || update.status === 'cancelled');
}

/** Whether a maintenance keeps monitoring from opening incidents on its components while active (spec §2.6). */
export function shieldsComponents(event: { type: EventType; status?: string | null | undefined }): boolean {
  return event.type === 'maintenance' && event.status !== 'cancelled' && event.status !== PENDING_REVIEW;
}

/** The review's own entries: proposed, sent back, approved. */
const REVIEW_ENTRIES: ReadonlySet<string> = new Set([PENDING_REVIEW, REVIEWED]);

/**
 * An approved maintenance as the public sees it: without the review's entries (the proposal, the
 * reviewers' requests, the approval), which were written for the people reviewing it; its public
 * story starts with "Maintenance is approved and planned.". The same event when there are none.
 */
export function publicTimeline(event: StatusEvent): StatusEvent {
  if (event.type !== 'maintenance' || !event.updates.some((update) => REVIEW_ENTRIES.has(update.status))) return event;
  return { ...event, updates: event.updates.filter((update) => !REVIEW_ENTRIES.has(update.status)) };
}
