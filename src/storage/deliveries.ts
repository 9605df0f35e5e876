import type { SelectQueryBuilder } from 'kysely';
import type { AnnouncedChange } from '../domain/notifications/announcements.js';
import { retryAt } from '../domain/notifications/schedule.js';
import { databaseOf } from './database-of.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';
import { noteWebhookOutcomes, type WebhookOutcome } from './webhooks.js';
import { withQueueTransaction, withWriteTransaction } from './write-transaction.js';

export type DeliveryChannel = 'email' | 'webhook';
/** event: news of one; confirm and manage: mails about the subscription itself; test: a webhook's "send test". */
export type DeliveryKind = 'event' | 'confirm' | 'manage' | 'test';

/** A delivery claimed by this instance: send it, then settle it. */
export interface ClaimedDelivery {
  id: number;
  channel: DeliveryChannel;
  targetId: number;
  kind: DeliveryKind;
  eventId: number | null;
  changes: AnnouncedChange[];
  /** 1 for the first try */
  attempt: number;
  firstAttemptAt: number;
  createdAt: number;
  /** when the claim runs out and another instance may take it */
  claimedUntil: number;
}

/** A delivery as operators see it (a webhook's recent deliveries). */
export interface DeliveryRecord {
  id: number;
  kind: DeliveryKind;
  eventId: number | null;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  dueAt: number;
  sentAt: number | null;
  lastError: string | null;
  createdAt: number;
}

/**
 * Claims up to `limit` deliveries that are due (or whose claim ran out: the instance that held
 * them stopped), for `claimMs`. Instances claiming at once take different rows (SKIP LOCKED);
 * a claim that runs out before it is settled makes the delivery due again, so a crash between
 * sending and settling sends it twice: the idempotency key lets the receiver drop the repeat.
 *
 * Claims that ran out come first, then what is due, earliest first: two scans of the (state,
 * due_at) index that each stop at `limit`. One query with an OR of both made SQLite and
 * PostgreSQL read and sort every due delivery for each claim: a backlog of 2,000 (an outage's news
 * for every webhook) cost a third of a millisecond per claim of 8 on the server's thread.
 */
export async function claimDeliveries(store: Store, now: number, limit: number, claimMs: number): Promise<ClaimedDelivery[]> {
  return withQueueTransaction(store, async (tx) => {
    const unclaimed = (query: SelectQueryBuilder<Database, 'delivery', { id: number }>) => (store.dialect === 'postgres' ? query.forUpdate().skipLocked() : query);
    const ranOut = await unclaimed(tx.selectFrom('delivery').select('id').where('state', '=', 'sending').where('claimed_until', '<', now).orderBy('due_at').limit(limit)).execute();
    const due =
      ranOut.length < limit
        ? await unclaimed(tx.selectFrom('delivery').select('id').where('state', '=', 'pending').where('due_at', '<=', now).orderBy('due_at').limit(limit - ranOut.length)).execute()
        : [];
    const ids = [...ranOut, ...due].map((row) => Number(row.id));
    if (ids.length === 0) return [];
    const rows = await tx
      .updateTable('delivery')
      .set((eb) => ({ state: 'sending', claimed_until: now + claimMs, attempts: eb('attempts', '+', 1), first_attempt_at: eb.fn.coalesce('first_attempt_at', eb.val(now)) }))
      .where('id', 'in', ids)
      .returningAll()
      .execute();
    return rows
      .map((row) => ({
        id: Number(row.id),
        channel: row.channel as DeliveryChannel,
        targetId: Number(row.target_id),
        kind: row.kind as DeliveryKind,
        eventId: row.event_id === null ? null : Number(row.event_id),
        changes: JSON.parse(row.changes) as AnnouncedChange[],
        attempt: Number(row.attempts),
        firstAttemptAt: Number(row.first_attempt_at ?? now),
        createdAt: Number(row.created_at),
        claimedUntil: now + claimMs,
      }))
      .sort((a, b) => a.id - b.id);
  });
}

/** Sent; failed (`final`: for good); or never tried after all, handed back (`unsent`). */
export type DeliveryOutcome = { ok: true } | { ok: false; error: string; final?: boolean } | { ok: false; unsent: true };

export interface Settlement {
  delivery: Pick<ClaimedDelivery, 'id' | 'attempt' | 'firstAttemptAt' | 'claimedUntil'>;
  outcome: DeliveryOutcome;
  /** a delivery of news to this webhook: its outcome counts towards disabling it (a test does not) */
  webhookId?: number | undefined;
}

/**
 * Settles claimed deliveries, in one transaction for the batch: each sent, or failed and due
 * again later (exponential backoff), or given up after a day of failures, or dropped (its target
 * is gone, or it cannot be sent at all), or handed back untried (due again at once, for any
 * instance, the try not counted); and each webhook's failing period started, ended or ended by
 * disabling it. What became of each delivery, in order, and the webhooks disabled.
 */
export async function settleDeliveries(
  store: Store,
  settlements: readonly Settlement[],
  now: number,
  random: () => number = Math.random,
): Promise<{ results: ('sent' | 'retry' | 'failed')[]; disabledWebhooks: number[] }> {
  if (settlements.length === 0) return { results: [], disabledWebhooks: [] };
  return withQueueTransaction(store, async (tx) => {
    const results: ('sent' | 'retry' | 'failed')[] = [];
    const webhookOutcomes = new Map<number, WebhookOutcome>();
    const sent: number[] = [];
    /** handed back, by claim and by whether it would have been the first try */
    const untried = new Map<string, { ids: number[]; claimedUntil: number; first: boolean }>();
    for (const { delivery, outcome, webhookId } of settlements) {
      if ('unsent' in outcome) {
        const first = delivery.attempt === 1;
        const key = `${delivery.claimedUntil}:${first}`;
        const group = untried.get(key) ?? { ids: [], claimedUntil: delivery.claimedUntil, first };
        group.ids.push(delivery.id);
        untried.set(key, group);
        results.push('retry');
        continue;
      }
      if (webhookId !== undefined && !(webhookOutcomes.get(webhookId)?.ok ?? false)) webhookOutcomes.set(webhookId, outcome.ok ? { ok: true } : { ok: false, error: outcome.error });
      if (outcome.ok) {
        sent.push(delivery.id);
        results.push('sent');
        continue;
      }
      const next = outcome.final ? 'give-up' : retryAt(delivery.attempt, delivery.firstAttemptAt, now, random());
      const error = outcome.error.slice(0, 500);
      // Only while the claim is still this one: a send that outlived its claim may have been taken
      // and sent by another instance meanwhile, and a late retry would send it once more. Then
      // nothing is given up here (no "given up" log or count): it is the other instance's to settle.
      const settled = await tx
        .updateTable('delivery')
        .set(next === 'give-up' ? { state: 'failed', claimed_until: null, last_error: error } : { state: 'pending', due_at: next, claimed_until: null, last_error: error })
        .where('id', '=', delivery.id)
        .where('state', '=', 'sending')
        .where('claimed_until', '=', delivery.claimedUntil)
        .executeTakeFirst();
      results.push(next === 'give-up' && settled.numUpdatedRows > 0n ? 'failed' : 'retry');
    }
    // Most of a batch went out: one statement for all of them (each statement costs a parse). Sent is
    // true whoever holds the claim now: another instance sending it too sends a repeat the key lets
    // the receiver drop, and its own settlement of a failure no longer matches the claim.
    if (sent.length > 0) await tx.updateTable('delivery').set({ state: 'sent', sent_at: now, claimed_until: null, last_error: null }).where('id', 'in', sent).execute();
    // As before the claim (a first try that did not happen leaves no time of a first try), unless
    // the claim ran out meanwhile: then another instance may have taken the delivery already.
    for (const { ids, claimedUntil, first } of untried.values()) {
      await tx
        .updateTable('delivery')
        .set((eb) => ({ state: 'pending', claimed_until: null, attempts: eb('attempts', '-', 1), ...(first ? { first_attempt_at: null } : {}) }))
        .where('id', 'in', ids)
        .where('state', '=', 'sending')
        .where('claimed_until', '=', claimedUntil)
        .execute();
    }
    return { results, disabledWebhooks: await noteWebhookOutcomes(tx, webhookOutcomes, now) };
  });
}

/** A test message for a webhook, due now ("send test"). */
export async function queueWebhookTest(store: Store, webhookId: number, now: number): Promise<number> {
  return withWriteTransaction(store, async ({ tx }) => {
    const row = await tx
      .insertInto('delivery')
      .values({ channel: 'webhook', target_id: webhookId, kind: 'test', event_id: null, changes: '[]', state: 'pending', due_at: now, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  });
}

/** The newest deliveries to a target, for operators. */
export async function recentDeliveries(store: Store, channel: DeliveryChannel, targetId: number, limit = 20): Promise<DeliveryRecord[]> {
  const rows = await databaseOf(store).selectFrom('delivery').selectAll().where('channel', '=', channel).where('target_id', '=', targetId).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind as DeliveryKind,
    eventId: row.event_id === null ? null : Number(row.event_id),
    state: row.state as DeliveryRecord['state'],
    attempts: Number(row.attempts),
    dueAt: Number(row.due_at),
    sentAt: row.sent_at === null ? null : Number(row.sent_at),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
  }));
}

/** Deliveries by state, for operators and the metrics: how much waits, how much failed. */
export async function deliveryCounts(store: Store): Promise<Record<DeliveryRecord['state'], number>> {
  const rows = await databaseOf(store)
    .selectFrom('delivery')
    .select(['state', (eb) => eb.fn.countAll<number | string>().as('count')])
    .groupBy('state')
    .execute();
  const counts = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const row of rows) if (row.state in counts) counts[row.state as keyof typeof counts] = Number(row.count);
  return counts;
}

/** Forgets deliveries that went out or were given up before `olderThan`: they are history, not work. */
export async function pruneDeliveries(store: Store, olderThan: number): Promise<number> {
  return withQueueTransaction(store, async (tx) => {
    const result = await tx.deleteFrom('delivery').where('state', 'in', ['sent', 'failed']).where('created_at', '<', olderThan).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}
