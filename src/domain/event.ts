import type { ImpactLevel } from './impact.js';

export const EVENT_TYPES = ['incident', 'maintenance', 'info'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Status of a timeline entry written by the server itself (moves, closures, impact changes). */
export const SYSTEM_STATUS = 'SYSTEM';

export interface EventUpdate {
  id: number;
  status: string;
  text: string;
  /** epoch milliseconds, UTC */
  at: number;
  author: string | null;
}

export interface StatusEvent {
  id: number;
  type: EventType;
  title: string;
  description: string | null;
  impact: ImpactLevel;
  /** epoch milliseconds, UTC */
  startAt: number;
  endAt: number | null;
  status: string | null;
  /** true while automation owns the event; any edit by a person hands it over */
  system: boolean;
  /** component ids in the order they joined */
  componentIds: number[];
  /** newest first */
  updates: EventUpdate[];
  /** grows by one with every change, from 1: a client that sends the version it read is refused once another change came first */
  version: number;
  /** the actor id of the person who opened it (roles.ts); null for events monitoring opened */
  creator: string | null;
  /** a maintenance's contact, for the people reviewing and running it; never shown to anonymous readers */
  contactEmail: string | null;
}

/** Either an event that exists or the one incident a decision opens (its id is known once written). */
export type EventRef = { id: number } | 'new';

/** The one definition of "active" (spec §1): started, and not ended yet. */
export function isActive(event: Pick<StatusEvent, 'startAt' | 'endAt'>, now: number): boolean {
  return event.startAt <= now && (event.endAt === null || event.endAt > now);
}

/**
 * The first moment after `now` at which one of these events starts or ends: until then, whether
 * each is active and its status (a maintenance planned, in progress, completed) stay as they are.
 */
export function nextStartOrEnd(events: Iterable<Pick<StatusEvent, 'startAt' | 'endAt'>>, now: number): number {
  let next = Number.POSITIVE_INFINITY;
  for (const { startAt, endAt } of events) {
    if (startAt > now) next = Math.min(next, startAt);
    if (endAt !== null && endAt > now) next = Math.min(next, endAt);
  }
  return next;
}

/** Timeline order: newest first; entries of the same instant in reverse order of writing. */
export function compareUpdatesNewestFirst(a: EventUpdate, b: EventUpdate): number {
  return b.at - a.at || b.id - a.id;
}
