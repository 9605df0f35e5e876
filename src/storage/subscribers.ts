import type { Kysely } from 'kysely';
import { parseScope, type NotificationScope } from '../domain/notifications/scope.js';
import { writeAudit } from './audit.js';
import { databaseOf } from './database-of.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';
import { withQueueTransaction, withWriteTransaction, type WriteTx } from './write-transaction.js';

/** An email subscriber as the server keeps it: the least that serves (issue 18, privacy). */
export interface Subscriber {
  id: number;
  email: string;
  scope: NotificationScope;
  confirmedAt: number | null;
  createdAt: number;
}

interface SubscriberRow {
  id: number;
  email: string;
  scope: string;
  confirmed_at: number | null;
  created_at: number;
}

function fromRow(row: SubscriberRow): Subscriber | undefined {
  const scope = parseScope(JSON.parse(row.scope));
  if (!scope) return undefined;
  return { id: Number(row.id), email: row.email, scope, confirmedAt: row.confirmed_at === null ? null : Number(row.confirmed_at), createdAt: Number(row.created_at) };
}

/** Addresses are compared as people mean them: the domain is case-insensitive, and so, in practice, is the local part. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** What a subscription request came to; the page answers the same whatever it is (no one learns who is subscribed). */
export type SubscriptionRequest = { outcome: 'confirm'; subscriberId: number } | { outcome: 'already-confirmed'; subscriberId: number };

/**
 * A request to subscribe `email` to `scope`. A new address, or one not confirmed yet, gets (a new
 * scope and) a confirmation mail; a confirmed one is left as it is and gets a mail with its
 * link to change what it receives. The mail is queued in the same transaction.
 */
export async function requestSubscription(store: Store, email: string, scope: NotificationScope, now: number): Promise<SubscriptionRequest> {
  const address = normaliseEmail(email);
  return withWriteTransaction(store, async ({ tx }) => {
    const existing = await tx.selectFrom('subscriber').select(['id', 'confirmed_at']).where('email', '=', address).executeTakeFirst();
    let id: number;
    if (!existing) {
      const row = await tx
        .insertInto('subscriber')
        .values({ email: address, scope: JSON.stringify(scope), confirmed_at: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = Number(row.id);
      await writeAudit(tx, [{ at: now, actor: 'public', action: 'subscriber.request', entity: 'subscriber', entityId: id, before: null, after: { scope } }]);
    } else {
      id = Number(existing.id);
      if (existing.confirmed_at === null) {
        await tx.updateTable('subscriber').set({ scope: JSON.stringify(scope), updated_at: now }).where('id', '=', id).execute();
        await writeAudit(tx, [{ at: now, actor: 'public', action: 'subscriber.request', entity: 'subscriber', entityId: id, before: null, after: { scope } }]);
      }
    }
    const confirmed = existing !== undefined && existing.confirmed_at !== null;
    await queueMail(tx, id, confirmed ? 'manage' : 'confirm', now);
    return { outcome: confirmed ? 'already-confirmed' : 'confirm', subscriberId: id };
  });
}

/** A mail about the subscription itself (not news), due now: the confirmation, or the link to change it. */
async function queueMail(tx: WriteTx, subscriberId: number, kind: 'confirm' | 'manage', now: number): Promise<void> {
  // One waiting mail of a kind is enough: asking again while it waits sends it once.
  const waiting = await tx
    .selectFrom('delivery')
    .select('id')
    .where('channel', '=', 'email')
    .where('target_id', '=', subscriberId)
    .where('kind', '=', kind)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  if (waiting) return;
  await tx.insertInto('delivery').values({ channel: 'email', target_id: subscriberId, kind, event_id: null, changes: '[]', state: 'pending', due_at: now, created_at: now }).execute();
}

/** Confirms the address (the link of its confirmation mail was followed): from now on it hears the news. */
export async function confirmSubscriber(store: Store, id: number, now: number): Promise<boolean> {
  return withWriteTransaction(store, async ({ tx }) => {
    const row = await tx.selectFrom('subscriber').select(['id', 'confirmed_at']).where('id', '=', id).executeTakeFirst();
    if (!row) return false;
    if (row.confirmed_at === null) {
      await tx.updateTable('subscriber').set({ confirmed_at: now, updated_at: now }).where('id', '=', id).execute();
      await writeAudit(tx, [{ at: now, actor: 'public', action: 'subscriber.confirm', entity: 'subscriber', entityId: id, before: null, after: null }]);
    }
    return true;
  });
}

export async function changeSubscriberScope(store: Store, id: number, scope: NotificationScope, now: number, actor: string): Promise<boolean> {
  return withWriteTransaction(store, async ({ tx }) => {
    const row = await tx.selectFrom('subscriber').select(['scope']).where('id', '=', id).executeTakeFirst();
    if (!row) return false;
    await tx.updateTable('subscriber').set({ scope: JSON.stringify(scope), updated_at: now }).where('id', '=', id).execute();
    await writeAudit(tx, [{ at: now, actor, action: 'subscriber.scope', entity: 'subscriber', entityId: id, before: { scope: JSON.parse(row.scope) as unknown }, after: { scope } }]);
    return true;
  });
}

/** Unsubscribes: the address is deleted, with every mail still waiting for it. */
export async function removeSubscriber(store: Store, id: number, now: number, actor: string): Promise<boolean> {
  return withWriteTransaction(store, async ({ tx }) => {
    const removed = await tx.deleteFrom('subscriber').where('id', '=', id).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) return false;
    await tx.deleteFrom('delivery').where('channel', '=', 'email').where('target_id', '=', id).where('state', 'in', ['pending', 'sending']).execute();
    await writeAudit(tx, [{ at: now, actor, action: 'subscriber.remove', entity: 'subscriber', entityId: id, before: null, after: null }]);
    return true;
  });
}

export async function findSubscriber(store: Store, id: number): Promise<Subscriber | undefined> {
  const row = await databaseOf(store).selectFrom('subscriber').select(['id', 'email', 'scope', 'confirmed_at', 'created_at']).where('id', '=', id).executeTakeFirst();
  return row && fromRow(row);
}

export async function findSubscriberByEmail(store: Store, email: string): Promise<Subscriber | undefined> {
  const row = await databaseOf(store).selectFrom('subscriber').select(['id', 'email', 'scope', 'confirmed_at', 'created_at']).where('email', '=', normaliseEmail(email)).executeTakeFirst();
  return row && fromRow(row);
}

/** Every subscriber, oldest first (operators and the CLI; the fan-out reads the confirmed ones in its transaction). */
export async function listSubscribers(db: Kysely<Database> | Store, options: { confirmedOnly?: boolean } = {}): Promise<Subscriber[]> {
  const source = 'selectFrom' in db ? db : databaseOf(db);
  let query = source.selectFrom('subscriber').select(['id', 'email', 'scope', 'confirmed_at', 'created_at']).orderBy('id');
  if (options.confirmedOnly) query = query.where('confirmed_at', 'is not', null);
  return (await query.execute()).flatMap((row) => fromRow(row) ?? []);
}

/**
 * Drops the addresses whose confirmation was not followed in time: an address nobody confirmed
 * is not kept. Returns how many went.
 */
export async function dropUnconfirmedSubscribers(store: Store, olderThan: number): Promise<number> {
  return withWriteTransaction(store, async ({ tx }) => {
    const stale = await tx.selectFrom('subscriber').select('id').where('confirmed_at', 'is', null).where('updated_at', '<', olderThan).execute();
    if (stale.length === 0) return 0;
    const ids = stale.map((row) => Number(row.id));
    await tx.deleteFrom('delivery').where('channel', '=', 'email').where('target_id', 'in', ids).execute();
    await tx.deleteFrom('subscriber').where('id', 'in', ids).execute();
    return ids.length;
  });
}

/**
 * Counts a request against each key and tells whether any key has had `max` requests within the
 * window already (then nothing is counted). In one transaction, so instances count one after the
 * other; not under the write lock (it changes nothing the read model shows), so a flood of
 * requests does not queue with monitoring's writes.
 */
export async function takeThrottle(store: Store, keys: readonly { key: string; max: number }[], since: number, now: number): Promise<boolean> {
  return withQueueTransaction(store, async (tx) => {
    await tx.deleteFrom('notification_throttle').where('at', '<=', since).execute();
    const rows = await tx
      .selectFrom('notification_throttle')
      .select(['key', (eb) => eb.fn.countAll<number | string>().as('count')])
      .where('key', 'in', keys.map(({ key }) => key))
      .groupBy('key')
      .execute();
    const counts = new Map(rows.map((row) => [row.key, Number(row.count)]));
    if (keys.some(({ key, max }) => (counts.get(key) ?? 0) >= max)) return false;
    await tx.insertInto('notification_throttle').values(keys.map(({ key }) => ({ key, at: now }))).execute();
    return true;
  });
}

/** The subscribers with these ids, in one query (the notifier's batch). */
export async function findSubscribersById(store: Store, ids: readonly number[]): Promise<Map<number, Subscriber>> {
  if (ids.length === 0) return new Map();
  const rows = await databaseOf(store).selectFrom('subscriber').select(['id', 'email', 'scope', 'confirmed_at', 'created_at']).where('id', 'in', ids).execute();
  return new Map(rows.flatMap((row) => fromRow(row) ?? []).map((subscriber) => [subscriber.id, subscriber]));
}
