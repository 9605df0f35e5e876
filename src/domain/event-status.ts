import { isActive, type EventType, type StatusEvent } from './event.js';

/** Statuses per event type (reference v3 §1.3); both spellings of analysing are accepted (spec §3). */
export const EVENT_STATUSES = {
  incident: ['detected', 'analyzing', 'analysing', 'fixing', 'impact changed', 'observing', 'resolved', 'reopened', 'changed'],
  maintenance: ['planned', 'in progress', 'modified', 'completed', 'cancelled'],
  info: ['planned', 'active', 'completed', 'cancelled'],
} as const satisfies Record<EventType, readonly string[]>;

/**
 * The status to show. An incident's is the one people (or monitoring) set, or what its dates say
 * if it never had one. A maintenance or a notice follows its window: planned, then in progress
 * (active), then completed, unless it was cancelled. That is what the Go back end's background
 * checker writes every two minutes (reference v3 §3.9), computed when read instead.
 */
export function currentStatus(event: Pick<StatusEvent, 'type' | 'status' | 'startAt' | 'endAt'>, now: number): string {
  const ended = event.endAt !== null && event.endAt <= now;
  switch (event.type) {
    case 'incident':
      return event.status ?? (ended ? 'resolved' : 'detected');
    case 'maintenance':
      if (event.status === 'cancelled') return 'cancelled';
      return isActive(event, now) ? 'in progress' : ended ? 'completed' : 'planned';
    case 'info':
      if (event.status === 'cancelled') return 'cancelled';
      return isActive(event, now) ? 'active' : ended ? 'completed' : 'planned';
  }
}
