import type { Kysely } from 'kysely';
import type { WebhookFormat } from '../domain/notifications/message.js';
import { parseScope, type NotificationScope } from '../domain/notifications/scope.js';
import { shouldDisable } from '../domain/notifications/schedule.js';
import { writeAudit } from './audit.js';
import { databaseOf } from './database-of.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';
import { withQueueTransaction, withWriteTransaction, type WriteTx } from './write-transaction.js';

export interface Webhook {
  id: number;
  url: string;
  format: WebhookFormat;
  scope: NotificationScope;
  enabled: boolean;
  /** why it was disabled (persistent failure), if it was */
  disabledReason: string | null;
  failingSince: number | null;
  createdBy: string;
  createdAt: number;
}

/** A webhook with its signing secret: only the sender and the one who created it see it. */
export interface WebhookWithSecret extends Webhook {
  secret: string;
}

interface WebhookRow {
  id: number;
  url: string;
  format: string;
  secret: string;
  scope: string;
  enabled: number;
  disabled_reason: string | null;
  failing_since: number | null;
  created_by: string;
  created_at: number;
}

function fromRow(row: WebhookRow): WebhookWithSecret | undefined {
  const scope = parseScope(JSON.parse(row.scope));
  if (!scope) return undefined;
  return {
    id: Number(row.id),
    url: row.url,
    format: row.format as WebhookFormat,
    secret: row.secret,
    scope,
    enabled: Number(row.enabled) === 1,
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since === null ? null : Number(row.failing_since),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
  };
}

const withoutSecret = ({ secret: _secret, ...webhook }: WebhookWithSecret): Webhook => webhook;
/** What the audit log keeps of a webhook: never its secret. */
const audited = (webhook: Pick<Webhook, 'url' | 'format' | 'scope' | 'enabled'>) => ({ url: webhook.url, format: webhook.format, scope: webhook.scope, enabled: webhook.enabled });

export async function addWebhook(
  store: Store,
  webhook: { url: string; format: WebhookFormat; secret: string; scope: NotificationScope },
  now: number,
  actor: string,
): Promise<WebhookWithSecret> {
  return withWriteTransaction(store, async ({ tx }) => {
    const row = await tx
      .insertInto('webhook')
      .values({ url: webhook.url, format: webhook.format, secret: webhook.secret, scope: JSON.stringify(webhook.scope), enabled: 1, created_by: actor, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const added = fromRow(row);
    if (!added) throw new Error('a webhook was stored with a scope it cannot read back');
    await writeAudit(tx, [{ at: now, actor, action: 'webhook.create', entity: 'webhook', entityId: added.id, before: null, after: audited(added) }]);
    return added;
  });
}

export async function listWebhooks(store: Store): Promise<Webhook[]> {
  return (await selectWebhooks(databaseOf(store))).map(withoutSecret);
}

/** The enabled webhooks with their secrets, as the fan-out and the sender need them. */
export async function enabledWebhooks(db: Kysely<Database>): Promise<WebhookWithSecret[]> {
  return (await selectWebhooks(db)).filter((webhook) => webhook.enabled);
}

async function selectWebhooks(db: Kysely<Database>): Promise<WebhookWithSecret[]> {
  const rows = await db.selectFrom('webhook').selectAll().orderBy('id').execute();
  return rows.flatMap((row) => fromRow(row) ?? []);
}

export async function findWebhook(store: Store, id: number): Promise<WebhookWithSecret | undefined> {
  const row = await databaseOf(store).selectFrom('webhook').selectAll().where('id', '=', id).executeTakeFirst();
  return row && fromRow(row);
}

/** Removes a webhook and what still waits for it. */
export async function removeWebhook(store: Store, id: number, now: number, actor: string): Promise<boolean> {
  return withWriteTransaction(store, async ({ tx }) => {
    const row = await tx.deleteFrom('webhook').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) return false;
    await tx.deleteFrom('delivery').where('channel', '=', 'webhook').where('target_id', '=', id).where('state', 'in', ['pending', 'sending']).execute();
    const before = fromRow(row);
    await writeAudit(tx, [{ at: now, actor, action: 'webhook.remove', entity: 'webhook', entityId: id, before: before ? audited(before) : null, after: null }]);
    return true;
  });
}

/**
 * Enables (a receiver that is back) or disables a webhook by hand. Asking for the state it is in
 * changes nothing: a disabled webhook keeps the reason it was disabled for.
 */
export async function setWebhookEnabled(store: Store, id: number, enabled: boolean, now: number, actor: string): Promise<boolean> {
  return withWriteTransaction(store, async ({ tx }) => {
    const row = await tx.selectFrom('webhook').selectAll().where('id', '=', id).executeTakeFirst();
    const before = row && fromRow(row);
    if (!before) return false;
    if (before.enabled === enabled) return true;
    await tx
      .updateTable('webhook')
      .set({ enabled: enabled ? 1 : 0, disabled_reason: enabled ? null : 'disabled by an operator', failing_since: null, updated_at: now })
      .where('id', '=', id)
      .execute();
    await writeAudit(tx, [{ at: now, actor, action: enabled ? 'webhook.enable' : 'webhook.disable', entity: 'webhook', entityId: id, before: audited(before), after: audited({ ...before, enabled }) }]);
    return true;
  });
}

export type WebhookOutcome = { ok: true } | { ok: false; error: string };

/**
 * A delivery to the webhook arrived or failed. The first failure after a success starts the
 * failing period; a success ends it; a period longer than the give-up time disables the webhook
 * with the last error as its reason, and the deliveries still waiting for it go.
 */
export async function noteWebhookOutcome(store: Store, id: number, outcome: WebhookOutcome, now: number): Promise<'disabled' | undefined> {
  return withQueueTransaction(store, async (tx) => ((await noteWebhookOutcomes(tx, new Map([[id, outcome]]), now)).includes(id) ? 'disabled' : undefined));
}

/** noteWebhookOutcome for the deliveries of a batch, in the batch's transaction: the ids of the webhooks it disabled. */
export async function noteWebhookOutcomes(tx: WriteTx, outcomes: ReadonlyMap<number, WebhookOutcome>, now: number): Promise<number[]> {
  if (outcomes.size === 0) return [];
  const rows = await tx.selectFrom('webhook').select(['id', 'failing_since', 'enabled']).where('id', 'in', [...outcomes.keys()]).execute();
  const disabled: number[] = [];
  for (const row of rows) {
    const id = Number(row.id);
    const outcome = outcomes.get(id);
    if (!outcome || Number(row.enabled) === 0) continue;
    if (outcome.ok) {
      if (row.failing_since !== null) await tx.updateTable('webhook').set({ failing_since: null }).where('id', '=', id).execute();
      continue;
    }
    const failingSince = row.failing_since === null ? now : Number(row.failing_since);
    if (!shouldDisable(failingSince, now)) {
      if (row.failing_since === null) await tx.updateTable('webhook').set({ failing_since: now }).where('id', '=', id).execute();
      continue;
    }
    const reason = `every delivery failed since ${new Date(failingSince).toISOString()}: ${outcome.error}`;
    await tx.updateTable('webhook').set({ enabled: 0, disabled_reason: reason, updated_at: now }).where('id', '=', id).execute();
    await writeAudit(tx, [{ at: now, actor: 'system:notifications', action: 'webhook.disable', entity: 'webhook', entityId: id, before: { enabled: true }, after: { enabled: false, reason } }]);
    await tx.updateTable('delivery').set({ state: 'failed', last_error: 'the webhook was disabled' }).where('channel', '=', 'webhook').where('target_id', '=', id).where('state', '=', 'pending').execute();
    disabled.push(id);
  }
  return disabled;
}

/** The webhooks with these ids (with their secrets, for the sender), in one query. */
export async function findWebhooksById(store: Store, ids: readonly number[]): Promise<Map<number, WebhookWithSecret>> {
  if (ids.length === 0) return new Map();
  const rows = await databaseOf(store).selectFrom('webhook').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.flatMap((row) => fromRow(row) ?? []).map((webhook) => [webhook.id, webhook]));
}
