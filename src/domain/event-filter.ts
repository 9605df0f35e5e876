import { isActive, type EventType, type StatusEvent } from './event.js';
import { currentStatus } from './event-status.js';

/** The filters of the v2 event list (reference v3 §3.2); every given one must hold. */
export interface EventFilter {
  types?: readonly EventType[];
  active?: true;
  status?: string;
  /** events that started at or after */
  startFrom?: number;
  /** events that ended at or before (open events never match) */
  endUntil?: number;
  impact?: number;
  system?: boolean;
  /** events with any of these components */
  componentIds?: readonly number[];
}

export function matchesEventFilter(event: StatusEvent, filter: EventFilter, now: number): boolean {
  return (
    (filter.types === undefined || filter.types.includes(event.type)) &&
    (filter.active === undefined || isActive(event, now)) &&
    (filter.status === undefined || currentStatus(event, now) === filter.status) &&
    (filter.startFrom === undefined || event.startAt >= filter.startFrom) &&
    (filter.endUntil === undefined || (event.endAt !== null && event.endAt <= filter.endUntil)) &&
    (filter.impact === undefined || event.impact === filter.impact) &&
    (filter.system === undefined || event.system === filter.system) &&
    (filter.componentIds === undefined || event.componentIds.some((id) => filter.componentIds?.includes(id)))
  );
}

/** Newest start first, then highest id: the order of every event list. */
export function compareNewestFirst(a: StatusEvent, b: StatusEvent): number {
  return b.startAt - a.startAt || b.id - a.id;
}
