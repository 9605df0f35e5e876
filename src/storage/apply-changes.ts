import type { Insertable } from 'kysely';
import { SYSTEM_STATUS } from '../domain/event.js';
import { eventIdOf, eventViewsAfter, newEventOf } from '../domain/rules/applied-changes.js';
import type { EventRef } from '../domain/event.js';
import type { Change, EventView } from '../domain/rules/status-report.js';
import { renderMessage } from '../domain/texts.js';
import type { AuditEntry } from '../domain/audit.js';
import { writeAudit } from './audit.js';
import type { EventUpdateTable } from './schema.js';
import type { WriteContext, WriteTx } from './write-transaction.js';

export interface AppliedChanges {
  /** the event the decision answers with */
  eventId: number;
  /** the events the changes touched, as they are now */
  touched: EventView[];
}

/**
 * What changes leave to the end of their transaction: links, timeline entries, the touched
 * events' new revision and version, audit rows. Nothing in the transaction reads them back, so a batch of
 * reports writes each kind in one statement instead of one per report (round trips under the
 * write lock are what a burst of reports waits for).
 */
export class PendingWrites {
  private links: { eventId: number; componentId: number }[] = [];
  private readonly entries: Insertable<EventUpdateTable>[] = [];
  private readonly audit: AuditEntry[] = [];
  private readonly touched = new Set<number>();
  private latest = Number.NEGATIVE_INFINITY;

  /** Links go in staged order after the event's existing ones, as one link at a time would have put them. */
  addLink(eventId: number, componentId: number): void {
    this.links.push({ eventId, componentId });
  }

  /** Drops a link staged earlier in the transaction; false when there was none (it is in storage). */
  dropStagedLink(eventId: number, componentId: number): boolean {
    const before = this.links.length;
    this.links = this.links.filter((link) => link.eventId !== eventId || link.componentId !== componentId);
    return this.links.length < before;
  }

  addEntry(entry: Insertable<EventUpdateTable>): void {
    this.entries.push(entry);
  }

  /** The changes of one decision, made at `now` by `actor`: `before` as the decision saw them. */
  record(before: readonly EventView[], after: readonly EventView[], now: number, actor: string): void {
    const previous = new Map(before.map((view) => [view.id, view]));
    for (const view of after) {
      this.touched.add(view.id);
      const was = previous.get(view.id);
      this.audit.push({ at: now, actor, action: was ? 'event.update' : 'event.open', entity: 'event', entityId: view.id, before: was ?? null, after: view });
    }
    this.latest = Math.max(this.latest, now);
  }

  /** Entries go in staged order, so their ids keep the order the changes made them in. */
  async write(context: WriteContext): Promise<void> {
    if (this.touched.size === 0) return;
    const { tx } = context;
    const revision = await context.revision();
    await this.writeLinks(tx);
    if (this.entries.length > 0) await tx.insertInto('event_update').values(this.entries).execute();
    await tx
      .updateTable('event')
      .set((eb) => ({ revision, updated_at: this.latest, version: eb('version', '+', 1) }))
      .where('id', 'in', [...this.touched])
      .execute();
    await writeAudit(tx, this.audit);
  }

  private async writeLinks(tx: WriteTx): Promise<void> {
    if (this.links.length === 0) return;
    const eventIds = [...new Set(this.links.map((link) => link.eventId))];
    const last = await tx
      .selectFrom('event_component')
      .select((eb) => ['event_id', eb.fn.max('position').as('position')])
      .where('event_id', 'in', eventIds)
      .groupBy('event_id')
      .execute();
    const positions = new Map(last.map((row) => [Number(row.event_id), Number(row.position)]));
    const rows = this.links.map(({ eventId, componentId }) => {
      const position = (positions.get(eventId) ?? 0) + 1;
      positions.set(eventId, position);
      return { event_id: eventId, component_id: componentId, position };
    });
    await tx.insertInto('event_component').values(rows).execute();
  }
}

/** Applies a decision's changes and writes all that goes with them, with an audit row per touched event. */
export async function applyChanges(
  context: WriteContext,
  decision: { result: EventRef; changes: readonly Change[] },
  snapshot: readonly EventView[],
  now: number,
  actor: string,
): Promise<AppliedChanges> {
  const pending = new PendingWrites();
  const applied = await stageChanges(context, pending, decision, snapshot, now, actor);
  await pending.write(context);
  return applied;
}

/**
 * Applies a decision's changes in order: what later changes depend on (a new event's id) and
 * what changes rows already stored at once, the rest into `pending`. `snapshot` holds the
 * touched events as they were.
 */
export async function stageChanges(
  context: WriteContext,
  pending: PendingWrites,
  decision: { result: EventRef; changes: readonly Change[] },
  snapshot: readonly EventView[],
  now: number,
  actor: string,
): Promise<AppliedChanges> {
  const { tx } = context;
  let newEventId: number | undefined;
  const resolveId = (ref: EventRef) => eventIdOf(ref, newEventId);

  for (const change of decision.changes) {
    switch (change.op) {
      case 'open':
      case 'create': {
        const spec = newEventOf(change, now);
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
            creator: spec.creator ?? null,
            contact_email: spec.contactEmail ?? null,
            // Every touched event gets one more at the end of the transaction: a new one starts at 1.
            version: 0,
            revision: await context.revision(),
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        newEventId = Number(row.id);
        if (spec.firstEntry) {
          const author = change.op === 'create' ? actor : null;
          pending.addEntry({ event_id: newEventId, status: spec.firstEntry.status, text: spec.firstEntry.text, at: Math.min(now, spec.startAt), author });
        }
        break;
      }
      case 'link':
        pending.addLink(resolveId(change.event), change.componentId);
        break;
      case 'unlink':
        if (!pending.dropStagedLink(change.eventId, change.componentId)) {
          await tx.deleteFrom('event_component').where('event_id', '=', change.eventId).where('component_id', '=', change.componentId).execute();
        }
        break;
      case 'raise-impact':
        await tx.updateTable('event').set({ impact: change.impact }).where('id', '=', change.eventId).execute();
        break;
      case 'close':
        await tx.updateTable('event').set({ end_at: now, status: 'resolved' }).where('id', '=', change.eventId).execute();
        break;
      case 'note':
        pending.addEntry({ event_id: resolveId(change.event), status: change.status ?? SYSTEM_STATUS, text: renderMessage(change.message, resolveId), at: now, author: null });
        break;
    }
  }

  const touched = eventViewsAfter(snapshot, decision.changes, now, newEventId);
  pending.record(snapshot, touched, now, actor);
  return { eventId: resolveId(decision.result), touched };
}
