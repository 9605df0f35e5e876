import type { Kysely } from 'kysely';
import { SYSTEM_STATUS } from '../domain/event.js';
import { FIRST_ENTRIES } from '../domain/rules/manual-events.js';
import type { Change, EventRef, EventView, NewEventSpec } from '../domain/rules/status-report.js';
import { renderMessage } from '../domain/texts.js';
import { writeAudit } from './audit.js';
import { loadEventViewsById } from './events.js';
import type { Database } from './schema.js';
import type { WriteContext } from './write-transaction.js';


/** The incident monitoring opens: system-owned, `detected`, starting now unless the report says when. */
function monitoringIncident(change: Extract<Change, { op: 'open' }>, now: number): NewEventSpec {
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

export interface AppliedChanges {
  /** the event the decision answers with */
  eventId: number;
  /** the events the changes touched, as they are now */
  touched: EventView[];
}

/**
 * Applies a decision's changes in order, with an audit row per event they touch.
 * `snapshot` holds the touched events as they were.
 */
export async function applyChanges(
  context: WriteContext,
  decision: { result: EventRef; changes: readonly Change[] },
  snapshot: readonly EventView[],
  now: number,
  actor: string,
): Promise<AppliedChanges> {
  const { tx } = context;
  const revision = await context.revision();
  let newEventId: number | undefined;
  const resolveId = (ref: EventRef): number => {
    if (ref !== 'new') return ref.id;
    if (newEventId === undefined) throw new Error('a change refers to the new incident before it is opened');
    return newEventId;
  };
  const touched = new Set<number>();

  for (const change of decision.changes) {
    switch (change.op) {
      case 'open':
      case 'create': {
        const { spec, author } = change.op === 'create' ? { spec: change.event, author: actor } : { spec: monitoringIncident(change, now), author: null };
        const row = await tx
          .insertInto('event')
          .values({
            type: spec.type,
            title: spec.title,
            description: spec.description,
            impact: spec.impact,
            start_at: spec.startAt,
            end_at: spec.endAt,
            status: spec.status,
            system: spec.system ? 1 : 0,
            revision,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        newEventId = Number(row.id);
        touched.add(newEventId);
        if (spec.firstEntry) {
          await tx
            .insertInto('event_update')
            .values({ event_id: newEventId, status: spec.firstEntry.status, text: spec.firstEntry.text, at: Math.min(now, spec.startAt), author })
            .execute();
        }
        break;
      }
      case 'link': {
        const eventId = resolveId(change.event);
        touched.add(eventId);
        await linkComponent(tx, eventId, change.componentId);
        break;
      }
      case 'unlink':
        touched.add(change.eventId);
        await tx
          .deleteFrom('event_component')
          .where('event_id', '=', change.eventId)
          .where('component_id', '=', change.componentId)
          .execute();
        break;
      case 'raise-impact':
        touched.add(change.eventId);
        await tx.updateTable('event').set({ impact: change.impact }).where('id', '=', change.eventId).execute();
        break;
      case 'close':
        touched.add(change.eventId);
        await tx.updateTable('event').set({ end_at: now, status: 'resolved' }).where('id', '=', change.eventId).execute();
        break;
      case 'note': {
        const eventId = resolveId(change.event);
        touched.add(eventId);
        await tx
          .insertInto('event_update')
          .values({ event_id: eventId, status: change.status ?? SYSTEM_STATUS, text: renderMessage(change.message, resolveId), at: now, author: null })
          .execute();
        break;
      }
    }
  }

  const ids = [...touched];
  await tx.updateTable('event').set({ revision, updated_at: now }).where('id', 'in', ids).execute();
  const before = new Map(snapshot.map((view) => [view.id, view]));
  const touchedNow = await loadEventViewsById(tx, ids);
  await writeAudit(
    tx,
    touchedNow.map((after) => {
      const previous = before.get(after.id);
      return { at: now, actor, action: previous ? 'event.update' : 'event.open', entity: 'event', entityId: after.id, before: previous ?? null, after };
    }),
  );
  return { eventId: resolveId(decision.result), touched: touchedNow };
}

async function linkComponent(tx: Kysely<Database>, eventId: number, componentId: number): Promise<void> {
  await tx
    .insertInto('event_component')
    .columns(['event_id', 'component_id', 'position'])
    .expression((eb) =>
      eb
        .selectFrom('event_component')
        .select((s) => [
          s.cast<number>(s.val(eventId), 'integer').as('event_id'),
          s.cast<number>(s.val(componentId), 'integer').as('component_id'),
          s(s.fn.coalesce(s.fn.max('position'), s.lit(0)), '+', 1).as('position'),
        ])
        .where('event_id', '=', eventId),
    )
    .execute();
}
