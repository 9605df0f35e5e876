import type { Kysely } from 'kysely';
import type { Component } from '../domain/component.js';
import { changesSince, nextReminderAt, type Announced, type AnnouncedChange } from '../domain/notifications/announcements.js';
import { dueAt } from '../domain/notifications/schedule.js';
import { scopeMatches, type NotificationScope } from '../domain/notifications/scope.js';
import { findComponentsById } from './components.js';
import { loadEventsById } from './events.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';
import { listSubscribers } from './subscribers.js';
import { enabledWebhooks } from './webhooks.js';
import { withQueueTransaction, withReadSnapshot, type WriteTx } from './write-transaction.js';

export interface FanOutSettings {
  /** how long before a maintenance starts its reminders go out */
  reminderLeads: readonly number[];
  /** at most one delivery per target and event in this long */
  coalesceMs: number;
}

export interface FanOutResult {
  /** events that had news */
  events: number;
  /** deliveries created or added to */
  deliveries: number;
  /** the state version up to which changes are fanned out now */
  version: number;
  /** when the next reminder falls due, if one is waiting: until then and until the version moves, there is nothing to do */
  nextReminderAt: number | undefined;
}

interface Target {
  channel: 'email' | 'webhook';
  id: number;
  scope: NotificationScope;
}

/** What a fan-out will write, worked out from one snapshot, before any lock is taken. */
interface FanOutPlan {
  /** when the next reminder falls due, as the snapshot shows it */
  nextReminderAt: number | undefined;
  cursor: number;
  nextCursor: number;
  version: number;
  announcements: { event_id: number; announced: string; next_reminder_at: number | null }[];
  news: { eventId: number; changes: AnnouncedChange[]; targets: Target[] }[];
}

/**
 * Turns what changed into deliveries (issue 18). Every change of an event raises its revision in
 * the change's own transaction: that is the outbox, written with the change and never missed,
 * whoever wrote it (monitoring, people, the lifecycle). Revisions are handed out under the write
 * lock, so commits come in revision order and what any snapshot shows is a prefix of them.
 *
 * First, from one snapshot and without any lock, it reads the events changed since its cursor
 * (and those with a reminder due), compares each with what was last announced of it, and works
 * out which targets each piece of news concerns. Then, in a short transaction that locks the
 * cursor, it writes the deliveries (a new one, due at once or one coalescing window after the
 * last that went out to the target, or the waiting one, which takes the news too), what is now
 * announced, and the cursor; if another instance moved the cursor meanwhile, it writes nothing
 * and the next pass plans again. Monitoring's writes never wait for the reading, and the write
 * lock is not taken at all: nothing the read model shows changes.
 */
export async function fanOut(store: Store, clock: () => number, settings: FanOutSettings): Promise<FanOutResult> {
  const now = clock();
  const plan = await withReadSnapshot(store, (db) => planFanOut(db, now, settings));
  // Nothing to write: no lock, no transaction.
  if (plan.nextCursor === plan.cursor && plan.announcements.length === 0) return { events: 0, deliveries: 0, version: plan.version, nextReminderAt: plan.nextReminderAt };
  const written = await withQueueTransaction(
    store,
    async (tx) => {
      let locked = tx.selectFrom('notification_cursor').select('version').where('id', '=', 1);
      if (store.dialect === 'postgres') locked = locked.forUpdate();
      if (Number((await locked.executeTakeFirstOrThrow()).version) !== plan.cursor) return undefined;
      if (plan.nextCursor !== plan.cursor) await tx.updateTable('notification_cursor').set({ version: plan.nextCursor }).where('id', '=', 1).execute();
      if (plan.announcements.length > 0) {
        await tx.deleteFrom('announcement').where('event_id', 'in', plan.announcements.map((row) => row.event_id)).execute();
        await tx.insertInto('announcement').values(plan.announcements).execute();
      }
      let deliveries = 0;
      for (const item of plan.news) deliveries += await deliver(tx, item.eventId, item.changes, item.targets, now, settings.coalesceMs);
      const next = await tx.selectFrom('announcement').select((eb) => eb.fn.min('next_reminder_at').as('at')).executeTakeFirst();
      return { deliveries, nextReminderAt: next?.at === null || next?.at === undefined ? undefined : Number(next.at) };
    },
    // Durable: a fan-out lost in a crash would be done again, and what it had sent sent again under new keys.
    { durable: true },
  );
  if (!written) return { events: 0, deliveries: 0, version: -1, nextReminderAt: undefined };
  return { events: plan.news.length, deliveries: written.deliveries, version: plan.version, nextReminderAt: written.nextReminderAt };
}

async function planFanOut(db: Kysely<Database>, now: number, settings: FanOutSettings): Promise<FanOutPlan> {
  const cursor = Number((await db.selectFrom('notification_cursor').select('version').where('id', '=', 1).executeTakeFirstOrThrow()).version);
  const version = Number((await db.selectFrom('state').select('version').where('id', '=', 1).executeTakeFirstOrThrow()).version);
  const changed = await db.selectFrom('event').select(['id', 'revision']).where('revision', '>', cursor).execute();
  const reminded = await db.selectFrom('announcement').select('event_id').where('next_reminder_at', '<=', now).execute();
  const ids = [...new Set([...changed.map((row) => Number(row.id)), ...reminded.map((row) => Number(row.event_id))])];
  const nextCursor = changed.reduce((max, row) => Math.max(max, Number(row.revision)), cursor);
  const reminder = await db.selectFrom('announcement').select((eb) => eb.fn.min('next_reminder_at').as('at')).executeTakeFirst();
  const plan: FanOutPlan = { cursor, nextCursor, version, announcements: [], news: [], nextReminderAt: reminder?.at === null || reminder?.at === undefined ? undefined : Number(reminder.at) };
  if (ids.length === 0) return plan;

  const previous = new Map<number, Announced>(
    (await db.selectFrom('announcement').select(['event_id', 'announced']).where('event_id', 'in', ids).execute()).map((row) => [Number(row.event_id), JSON.parse(row.announced) as Announced]),
  );
  const news: { eventId: number; changes: AnnouncedChange[]; type: 'incident' | 'maintenance' | 'info'; impact: number; componentIds: number[] }[] = [];
  for (const event of await loadEventsById(db, ids)) {
    const before = previous.get(event.id);
    const step = changesSince(before, event, now, settings.reminderLeads);
    if (step.announced) plan.announcements.push({ event_id: event.id, announced: JSON.stringify(step.announced), next_reminder_at: nextReminderAt(step.announced, settings.reminderLeads) ?? null });
    if (step.changes.length === 0) continue;
    // Those who follow a service that left the event hear that it left.
    const componentIds = [...new Set([...event.componentIds, ...(before?.componentIds ?? [])])];
    news.push({ eventId: event.id, changes: step.changes, type: event.type, impact: Math.max(event.impact, before?.impact ?? 0), componentIds });
  }
  if (news.length === 0) return plan;

  const targets: Target[] = [
    ...(await listSubscribers(db, { confirmedOnly: true })).map((subscriber) => ({ channel: 'email' as const, id: subscriber.id, scope: subscriber.scope })),
    ...(await enabledWebhooks(db)).map((webhook) => ({ channel: 'webhook' as const, id: webhook.id, scope: webhook.scope })),
  ];
  const components = new Map((await findComponentsById(db, [...new Set(news.flatMap((item) => item.componentIds))])).map((component) => [component.id, component]));
  for (const item of news) {
    const touched = item.componentIds.map((id) => components.get(id)).filter((component): component is Component => component !== undefined);
    const concerned = targets.filter((target) => scopeMatches(target.scope, { type: item.type, impact: item.impact as 0 | 1 | 2 | 3 }, touched));
    plan.news.push({ eventId: item.eventId, changes: item.changes, targets: concerned });
  }
  return plan;
}

const targetKey = (channel: string, id: number) => `${channel}:${id}`;

/** Gives each target its delivery about the event: the waiting one takes the changes, or a new one is due. */
async function deliver(tx: WriteTx, eventId: number, changes: AnnouncedChange[], targets: readonly Target[], now: number, coalesceMs: number): Promise<number> {
  if (targets.length === 0) return 0;
  const waiting = new Map(
    (await tx.selectFrom('delivery').select(['id', 'channel', 'target_id', 'changes']).where('event_id', '=', eventId).where('kind', '=', 'event').where('state', '=', 'pending').execute()).map(
      (row) => [targetKey(row.channel, Number(row.target_id)), row],
    ),
  );
  // A delivery on its way counts as gone out when its attempt began.
  const lastSent = new Map(
    (
      await tx
        .selectFrom('delivery')
        .select(['channel', 'target_id', (eb) => eb.fn.max(eb.fn.coalesce('sent_at', 'first_attempt_at')).as('at')])
        .where('event_id', '=', eventId)
        .where('kind', '=', 'event')
        .where('state', 'in', ['sent', 'sending'])
        .groupBy(['channel', 'target_id'])
        .execute()
    ).map((row) => [targetKey(row.channel, Number(row.target_id)), row.at === null ? undefined : Number(row.at)]),
  );
  const fresh = [];
  for (const target of targets) {
    const pending = waiting.get(targetKey(target.channel, target.id));
    if (pending) {
      const merged = [...(JSON.parse(pending.changes) as AnnouncedChange[]), ...changes];
      await tx.updateTable('delivery').set({ changes: JSON.stringify(merged) }).where('id', '=', pending.id).execute();
    } else {
      const due = dueAt(now, lastSent.get(targetKey(target.channel, target.id)), coalesceMs);
      fresh.push({ channel: target.channel, target_id: target.id, kind: 'event', event_id: eventId, changes: JSON.stringify(changes), state: 'pending', due_at: due, created_at: now });
    }
  }
  // In slices: a statement has a limit on its parameters (SQLite: 32,766).
  for (let at = 0; at < fresh.length; at += 1_000) await tx.insertInto('delivery').values(fresh.slice(at, at + 1_000)).execute();
  return targets.length;
}
