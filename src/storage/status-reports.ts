import type { Kysely } from 'kysely';
import { SYSTEM_STATUS } from '../domain/event.js';
import type { IncidentImpact } from '../domain/impact.js';
import {
  decideStatusReport,
  V1_POLICY,
  type EventRef,
  type EventView,
  type ReportPolicy,
  type StatusReportDecision,
} from '../domain/rules/status-report.js';
import { renderMessage } from '../domain/texts.js';
import { writeAudit } from './audit.js';
import type { Component } from '../domain/component.js';
import { findComponent, findComponentById } from './components.js';
import { loadEventViewsActiveAt, loadEventViewsById } from './events.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';
import { withWriteTransaction, type WriteContext } from './write-transaction.js';

export interface StatusReportInput {
  /** the component: by id (API v2) or by name and attribute subset (API v1, §2.6) */
  component: { id: number } | { name: string; attributes: ReadonlyMap<string, string> };
  impact: IncidentImpact;
  title?: string | undefined;
  description?: string | undefined;
  startAt?: number | undefined;
  /** v1 unless said otherwise */
  policy?: ReportPolicy;
}

/** What the rules get of an input, once its component is known. */
export function reportOf(input: StatusReportInput, component: Component) {
  return { component, impact: input.impact, title: input.title, description: input.description, startAt: input.startAt };
}

export type StatusReportResult =
  | { outcome: 'unknown-component' }
  | { outcome: 'conflict'; eventId: number; title: string; component: string }
  /** the event that now holds the component (or shields it); read it from the read model */
  | { outcome: 'shielded' | 'changed'; eventId: number };

/**
 * Records one monitoring report: finds the component, lets the rules decide, and applies the
 * decision, all in one write transaction so that concurrent reports see each other's results.
 * The answer names the event; callers read it from the read model, outside the write lock.
 */
export async function recordStatusReport(
  store: Store,
  input: StatusReportInput,
  now: number,
  actor: string,
): Promise<StatusReportResult> {
  return withWriteTransaction(store, async (context) => {
    const wanted = input.component;
    const component = 'id' in wanted ? await findComponentById(context.tx, wanted.id) : await findComponent(context.tx, wanted.name, wanted.attributes);
    if (!component) return { outcome: 'unknown-component' };
    const events = await loadEventViewsActiveAt(context.tx, now);
    const decision = decideStatusReport(events, reportOf(input, component), now, input.policy ?? V1_POLICY);
    if (decision.outcome !== 'changed') return decision;
    return { outcome: 'changed', eventId: await applyChanges(context, decision, events, now, actor) };
  });
}

const DETECTED_TEXT = 'The incident is detected.';

/** Applies a decision's changes in order; returns the id of the event the decision answers with. */
async function applyChanges(
  context: WriteContext,
  decision: Extract<StatusReportDecision, { outcome: 'changed' }>,
  snapshot: readonly EventView[],
  now: number,
  actor: string,
): Promise<number> {
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
      case 'open': {
        const startAt = change.startAt ?? now;
        const row = await tx
          .insertInto('event')
          .values({
            type: 'incident',
            title: change.title,
            description: change.description ?? null,
            impact: change.impact,
            start_at: startAt,
            end_at: null,
            status: 'detected',
            system: 1,
            revision,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        newEventId = Number(row.id);
        touched.add(newEventId);
        if (change.detected) {
          await tx
            .insertInto('event_update')
            .values({ event_id: newEventId, status: 'detected', text: DETECTED_TEXT, at: Math.min(now, startAt), author: null })
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
  await writeAudit(
    tx,
    (await loadEventViewsById(tx, ids)).map((after) => {
      const previous = before.get(after.id);
      return { at: now, actor, action: previous ? 'event.update' : 'event.open', entity: 'event', entityId: after.id, before: previous ?? null, after };
    }),
  );
  return resolveId(decision.result);
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
