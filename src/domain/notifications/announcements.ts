import { SYSTEM_STATUS, type StatusEvent } from '../event.js';
import { currentStatus, isProposal, publicTimeline } from '../event-status.js';
import type { ImpactLevel } from '../impact.js';

/**
 * What the last notifications said of an event (issue 18). Compared with the event as it is now,
 * it tells what changed since; kept per event, it makes every change announced once, and a burst
 * of changes one announcement.
 */
export interface Announced {
  status: string;
  impact: ImpactLevel;
  title: string;
  startAt: number;
  endAt: number | null;
  componentIds: number[];
  /** the newest public timeline entry announced (its id), so that later ones are news */
  lastEntryId: number;
  /** the reminder leads (ms before the start) already sent or no longer due */
  reminders: number[];
}

/** One thing that happened to an event, as notifications tell it. */
export type AnnouncedChange =
  | { kind: 'opened' }
  | { kind: 'impact'; from: ImpactLevel; to: ImpactLevel }
  | { kind: 'components-added'; componentIds: number[] }
  | { kind: 'components-removed'; componentIds: number[] }
  | { kind: 'resolved' }
  | { kind: 'reopened' }
  | { kind: 'planned' }
  | { kind: 'rescheduled'; startAt: number; endAt: number | null }
  | { kind: 'started' }
  | { kind: 'completed' }
  | { kind: 'cancelled' }
  | { kind: 'reminder'; startsInMs: number }
  | { kind: 'update'; status: string; text: string; at: number };

/** Reminders before a maintenance starts (configurable; these are the defaults). */
export const DEFAULT_REMINDER_LEADS = [24 * 60 * 60_000, 60 * 60_000];

export interface AnnouncementStep {
  changes: AnnouncedChange[];
  /** what has been announced once these changes are; undefined: nothing to keep (a proposal) */
  announced: Announced | undefined;
}

/**
 * What changed in an event since `previous` was announced, at `now`: opened, impact, services
 * added or moved away, resolved or reopened, a maintenance's or notice's window planned, moved,
 * started, completed or cancelled, a reminder that its start is near, and every public timeline
 * entry written since (the monitoring's own notes about moves are told by the components' change).
 * A proposal is nobody's news until it is approved: then it is planned.
 */
export function changesSince(previous: Announced | undefined, event: StatusEvent, now: number, reminderLeads: readonly number[] = DEFAULT_REMINDER_LEADS): AnnouncementStep {
  if (isProposal(event)) return { changes: [], announced: previous };
  const published = publicTimeline(event);
  const status = currentStatus(event, now);
  const newest = published.updates.reduce((max, update) => Math.max(max, update.id), 0);
  const upcoming = event.type === 'maintenance' && status !== 'cancelled' && event.startAt > now;
  const dueLeads = (startsIn: number) => reminderLeads.filter((lead) => lead >= startsIn);
  const announced: Announced = {
    status,
    impact: event.impact,
    title: event.title,
    startAt: event.startAt,
    endAt: event.endAt,
    componentIds: [...event.componentIds],
    lastEntryId: newest,
    reminders: [],
  };
  const changes: AnnouncedChange[] = [];

  if (!previous) {
    changes.push(event.type === 'incident' ? { kind: 'opened' } : { kind: 'planned' });
    // A maintenance planned close to its start gets no reminder of what was just announced.
    announced.reminders = upcoming ? dueLeads(event.startAt - now) : [...reminderLeads];
    return { changes, announced };
  }

  if (event.impact !== previous.impact) changes.push({ kind: 'impact', from: previous.impact, to: event.impact });
  const added = event.componentIds.filter((id) => !previous.componentIds.includes(id));
  const removed = previous.componentIds.filter((id) => !event.componentIds.includes(id));
  if (added.length > 0) changes.push({ kind: 'components-added', componentIds: added });
  if (removed.length > 0) changes.push({ kind: 'components-removed', componentIds: removed });
  if (event.type === 'incident') {
    if (previous.endAt === null && event.endAt !== null) changes.push({ kind: 'resolved' });
    if (previous.endAt !== null && event.endAt === null) changes.push({ kind: 'reopened' });
  } else {
    const moved = event.startAt !== previous.startAt || event.endAt !== previous.endAt;
    if (status !== previous.status) {
      if (status === 'cancelled') changes.push({ kind: 'cancelled' });
      else if (status === 'completed') changes.push({ kind: 'completed' });
      else if (status === 'in progress' || status === 'active') changes.push({ kind: 'started' });
      else if (moved) changes.push({ kind: 'rescheduled', startAt: event.startAt, endAt: event.endAt });
    } else if (moved && status !== 'cancelled') {
      changes.push({ kind: 'rescheduled', startAt: event.startAt, endAt: event.endAt });
    }
  }

  // A window that moved starts its reminders afresh; those whose time has passed are not sent late.
  const windowMoved = event.startAt !== previous.startAt;
  announced.reminders = upcoming ? (windowMoved ? dueLeads(event.startAt - now) : previous.reminders) : [...reminderLeads];
  if (upcoming && !windowMoved) {
    const startsIn = event.startAt - now;
    const due = reminderLeads.filter((lead) => lead >= startsIn && !previous.reminders.includes(lead));
    if (due.length > 0) changes.push({ kind: 'reminder', startsInMs: startsIn });
    announced.reminders = [...new Set([...previous.reminders, ...due])];
  }

  const entries = published.updates
    .filter((update) => update.id > previous.lastEntryId && update.status !== SYSTEM_STATUS)
    .sort((a, b) => a.id - b.id)
    .map((update): AnnouncedChange => ({ kind: 'update', status: update.status, text: update.text, at: update.at }));
  changes.push(...entries);
  announced.lastEntryId = Math.max(newest, previous.lastEntryId);
  return { changes, announced };
}

/** The next moment an announced event may have news without a write (a reminder falls due), if any. */
export function nextReminderAt(announced: Announced, reminderLeads: readonly number[] = DEFAULT_REMINDER_LEADS): number | undefined {
  const pending = reminderLeads.filter((lead) => !announced.reminders.includes(lead)).map((lead) => announced.startAt - lead);
  return pending.length === 0 ? undefined : Math.min(...pending);
}
