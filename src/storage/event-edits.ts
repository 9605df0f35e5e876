import type { PatchDecision } from '../domain/rules/event-transitions.js';
import type { Role } from '../domain/roles.js';
import type { StatusEvent } from '../domain/event.js';
import { writeAudit } from './audit.js';
import { decideExtraction, decideNewEvent, type ManualEvent } from '../domain/rules/manual-events.js';
import { applyChanges } from './apply-changes.js';
import { findComponentsById } from './components.js';
import { findEvent, loadEventViewsActiveAt, loadEventViewsById } from './events.js';
import type { Store } from './store.js';
import { withWriteTransaction } from './write-transaction.js';

type ChangedPatch = Extract<PatchDecision, { outcome: 'changed' }>;

/**
 * Applies a person's edit of an event in one transaction. `decide` sees the event as it is inside
 * the transaction (the transition rules, or the operator form's rules on top of them), so two
 * edits at once are each judged against what the other left.
 */
export async function patchEvent<Refusal extends { outcome: 'refused' | 'forbidden' | 'conflict' }>(
  store: Store,
  id: number,
  decide: (event: StatusEvent) => Refusal | ChangedPatch,
  now: number,
  actor: string,
): Promise<{ outcome: 'not-found' } | Refusal | { outcome: 'changed' }> {
  return withWriteTransaction(store, async (context) => {
    const event = await findEvent(context.tx, id);
    if (!event) return { outcome: 'not-found' as const };
    const decision = decide(event);
    if (decision.outcome !== 'changed') return decision;
    const revision = await context.revision();
    const { set, update } = decision;
    await context.tx
      .updateTable('event')
      .set((eb) => ({
        title: set.title,
        description: set.description,
        impact: set.impact,
        type: set.type,
        status: set.status,
        start_at: set.startAt,
        end_at: set.endAt,
        contact_email: set.contactEmail,
        system: 0,
        revision,
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .execute();
    await context.tx.insertInto('event_update').values({ event_id: id, status: update.status, text: update.text, at: update.at, author: actor }).execute();
    await writeAudit(context.tx, [
      { at: now, actor, action: 'event.update', entity: 'event', entityId: id, before: auditable(event), after: { ...auditable(event), ...set, version: event.version + 1 } },
    ]);
    return { outcome: 'changed' as const };
  });
}

export type EditUpdateResult =
  | { outcome: 'event-not-found' | 'update-not-found' }
  | { outcome: 'changed'; update: { status: string; text: string; at: number } };

/** Corrects the text of one timeline entry, named by its position, oldest first (reference v3 §3.7). */
export async function editUpdateText(store: Store, eventId: number, position: number, text: string, now: number, actor: string): Promise<EditUpdateResult> {
  return withWriteTransaction(store, async (context) => {
    const event = await findEvent(context.tx, eventId);
    if (!event) return { outcome: 'event-not-found' };
    const oldestFirst = [...event.updates].sort((a, b) => a.id - b.id);
    const target = oldestFirst[position];
    if (!target) return { outcome: 'update-not-found' };
    const revision = await context.revision();
    await context.tx.updateTable('event_update').set({ text }).where('id', '=', target.id).execute();
    await context.tx
      .updateTable('event')
      .set((eb) => ({ revision, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', eventId)
      .execute();
    await writeAudit(context.tx, [
      { at: now, actor, action: 'event.update-text', entity: 'event', entityId: eventId, before: { update: target.id, text: target.text }, after: { update: target.id, text } },
    ]);
    return { outcome: 'changed', update: { status: target.status, text, at: target.at } };
  });
}

function auditable(event: StatusEvent) {
  const { updates: _updates, ...rest } = event;
  return rest;
}

export type NewEventResult = { outcome: 'unknown-component'; componentId: number } | { outcome: 'created'; eventId: number };

/** Opens an event people run (reference v3 §3.4.1), moving components as the rules decide at the time the lock is held. */
export async function openEvent(store: Store, spec: ManualEvent, componentIds: readonly number[], clock: () => number, actor: string, role: Role): Promise<NewEventResult> {
  return withWriteTransaction(store, async (context) => {
    const now = await context.now(clock);
    const components = await findComponentsById(context.tx, componentIds);
    const missing = componentIds.find((id) => !components.some((component) => component.id === id));
    if (missing !== undefined) return { outcome: 'unknown-component', componentId: missing };
    const events = await loadEventViewsActiveAt(context.tx, now);
    const decision = decideNewEvent(events, spec, components, now, role);
    return { outcome: 'created', eventId: (await applyChanges(context, decision, events, now, actor)).eventId };
  });
}

export type ExtractionResult =
  | { outcome: 'not-found' }
  | { outcome: 'unknown-component'; componentId: number }
  | { outcome: 'refused'; reason: string }
  | { outcome: 'created'; eventId: number };

/** Separates components of an event into a new one (reference v3 §3.6), at the time the lock is held. */
export async function extractComponents(
  store: Store,
  eventId: number,
  componentIds: readonly number[],
  clock: () => number,
  actor: string,
  creator: string,
): Promise<ExtractionResult> {
  return withWriteTransaction(store, async (context) => {
    const now = await context.now(clock);
    const event = await findEvent(context.tx, eventId);
    if (!event) return { outcome: 'not-found' };
    const components = await findComponentsById(context.tx, componentIds);
    const missing = componentIds.find((id) => !components.some((component) => component.id === id));
    if (missing !== undefined) return { outcome: 'unknown-component', componentId: missing };
    const decision = decideExtraction(event, componentIds, components, now, creator);
    if (decision.outcome === 'refused') return decision;
    return { outcome: 'created', eventId: (await applyChanges(context, decision, await loadEventViewsById(context.tx, [eventId]), now, actor)).eventId };
  });
}
