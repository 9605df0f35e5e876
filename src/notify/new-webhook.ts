import type { WebhookFormat } from '../domain/notifications/message.js';
import type { NotificationScope } from '../domain/notifications/scope.js';
import type { Store } from '../storage/store.js';
import { addWebhook, type WebhookWithSecret } from '../storage/webhooks.js';
import { newWebhookSecret, webhookTargetProblem, type ResolveHost } from './webhook-client.js';

export type NewWebhookOutcome = { outcome: 'created'; webhook: WebhookWithSecret } | { outcome: 'refused'; problem: string };

export interface NewWebhookOptions {
  /** SD_WEBHOOK_ALLOW_PRIVATE */
  allowPrivate: boolean;
  now: number;
  /** who the audit log names: `api:<name>`, `local:<name>`, `cli:<user>` */
  actor: string;
  /** the tests' resolver; node:dns otherwise */
  resolve?: ResolveHost;
}

/**
 * A new webhook (issue 18), the same whoever adds it (API, operator page, CLI): its URL checked
 * (shape, and no private address unless allowed), a new signing secret, stored and audited. The
 * secret comes back this once, for the one who added it.
 */
export async function createWebhook(store: Store, input: { url: string; format: WebhookFormat; scope: NotificationScope }, options: NewWebhookOptions): Promise<NewWebhookOutcome> {
  const url = input.url.trim();
  const problem = await webhookTargetProblem(url, options.allowPrivate, options.resolve);
  if (problem) return { outcome: 'refused', problem };
  const webhook = await addWebhook(store, { url, format: input.format, secret: newWebhookSecret(), scope: input.scope }, options.now, options.actor);
  return { outcome: 'created', webhook };
}
