import { isActive, type EventType, type StatusEvent } from './event.js';

/** Statuses per event type (reference v3 §1.3); both spellings of analysing are accepted (spec §3). */
export const EVENT_STATUSES = {
  incident: ['detected', 'analyzing', 'analysing', 'fixing', 'impact changed', 'observing', 'resolved', 'reopened', 'changed'],
  maintenance: ['planned', 'in progress', 'modified', 'completed', 'cancelled'],
  info: ['planned', 'active', 'completed', 'cancelled'],
} as const satisfies Record<EventType, readonly string[]>;

/**
 * The status to show: the one people (or the lifecycle) set, or, for events that never had
 * one, what their dates say.
 */
export function currentStatus(event: Pick<StatusEvent, 'type' | 'status' | 'startAt' | 'endAt'>, now: number): string {
  if (event.status) return event.status;
  const ended = event.endAt !== null && event.endAt <= now;
  switch (event.type) {
    case 'incident':
      return ended ? 'resolved' : 'detected';
    case 'maintenance':
      return isActive(event, now) ? 'in progress' : ended ? 'completed' : 'planned';
    case 'info':
      return isActive(event, now) ? 'active' : ended ? 'completed' : 'planned';
  }
}
