import { FIRST_ENTRIES } from './manual-events.js';
import type { EventRef } from '../event.js';
import type { Change, EventView, NewEventSpec } from './status-report.js';

type Opening = Extract<Change, { op: 'open' | 'create' }>;

/** The event a change opens: people's as they specified it; monitoring's system-owned, `detected`, starting now unless the report says when. */
export function newEventOf(change: Opening, now: number): NewEventSpec {
  if (change.op === 'create') return change.event;
  return {
    type: 'incident',
    title: change.title,
    description: change.description ?? null,
    impact: change.impact,
    startAt: change.startAt ?? now,
    endAt: null,
    system: true,
    status: 'detected',
    ...(change.detected ? { firstEntry: FIRST_ENTRIES.incident } : {}),
  };
}

/** The id a change's event reference stands for; `newEventId` is the id the opened event got, if one was. */
export function eventIdOf(ref: EventRef, newEventId: number | undefined): number {
  if (ref !== 'new') return ref.id;
  if (newEventId === undefined) throw new Error('a change refers to the new event, but none was opened');
  return newEventId;
}

/**
 * The events a decision's changes touch, as the changes leave them (ordered by id), worked out
 * from the views the rules decided on rather than read back: the audit and the next report of a
 * batch need them, and reading them back would cost a query per report under the write lock.
 * `newEventId` is the id the opened or created event got.
 */
export function eventViewsAfter(snapshot: readonly EventView[], changes: readonly Change[], now: number, newEventId?: number): EventView[] {
  const before = new Map(snapshot.map((view) => [view.id, view]));
  const after = new Map<number, EventView & { componentIds: number[] }>();
  const idOf = (ref: EventRef) => eventIdOf(ref, newEventId);
  const edit = (id: number) => {
    let view = after.get(id);
    if (!view) {
      const original = before.get(id);
      if (!original) throw new Error(`a change touches event ${id}, which the decision did not see`);
      view = { ...original, componentIds: [...original.componentIds] };
      after.set(id, view);
    }
    return view;
  };

  for (const change of changes) {
    switch (change.op) {
      case 'open':
      case 'create': {
        const spec = newEventOf(change, now);
        const id = idOf('new');
        // The key order of a view read from storage, so audit rows look alike however they were made.
        after.set(id, {
          id,
          type: spec.type,
          title: spec.title,
          impact: spec.impact,
          system: spec.system,
          startAt: spec.startAt,
          endAt: spec.endAt,
          status: spec.status,
          componentIds: [],
        });
        break;
      }
      case 'link':
        edit(idOf(change.event)).componentIds.push(change.componentId);
        break;
      case 'unlink': {
        const view = edit(change.eventId);
        view.componentIds = view.componentIds.filter((id) => id !== change.componentId);
        break;
      }
      case 'raise-impact':
        edit(change.eventId).impact = change.impact;
        break;
      case 'close': {
        const view = edit(change.eventId);
        view.endAt = now;
        view.status = 'resolved';
        break;
      }
      case 'note':
        edit(idOf(change.event));
        break;
    }
  }
  return [...after.values()].sort((a, b) => a.id - b.id);
}
