import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { componentLabel } from '../domain/component.js';
import { parseId } from '../domain/ids.js';
import { WEBHOOK_FORMATS, type WebhookFormat } from '../domain/notifications/message.js';
import { describeScope, WHOLE_CLOUD } from '../domain/notifications/scope.js';
import { createWebhook } from '../notify/new-webhook.js';
import { componentsWithIds } from '../storage/components.js';
import { queueWebhookTest } from '../storage/deliveries.js';
import { migrateToLatest, openStore, type Store } from '../storage/store.js';
import { findWebhook, listWebhooks, removeWebhook, setWebhookEnabled } from '../storage/webhooks.js';
import type { CliIo } from './io.js';

export type WebhookCommand = { action: 'list' } | { action: 'add'; url: string; format: WebhookFormat } | { action: 'remove' | 'test' | 'enable' | 'disable'; id: string };

/** A webhook that does not exist, or a URL that is refused: one `error:` line, exit code 1. */
export class WebhookCommandError extends Error {}

const USAGE = 'webhook list, webhook add <url> [--format json|slack|teams|discord], or webhook remove|test|enable|disable <id>';

/** The command of `webhook …`'s arguments, or what is wrong with them (for the usage text). */
export function parseWebhookArgs(args: string[]): WebhookCommand | string {
  const { values, positionals } = parseArgs({ args, options: { format: { type: 'string' } }, allowPositionals: true, strict: true });
  const [action, target, ...extra] = positionals;
  if (extra.length > 0 || (values.format !== undefined && action !== 'add')) return USAGE;
  if (action === 'list') return target === undefined ? { action } : USAGE;
  if (target === undefined) return USAGE;
  if (action === 'add') {
    const format = values.format ?? 'json';
    if (!(WEBHOOK_FORMATS as readonly string[]).includes(format)) return `"${format}" is not a format: json, slack, teams or discord`;
    return { action, url: target, format: format as WebhookFormat };
  }
  if (action === 'remove' || action === 'test' || action === 'enable' || action === 'disable') return { action, id: target };
  return USAGE;
}

/**
 * `status-dashboard webhook list|add|remove|test|enable|disable` (issue 18), for the people who run
 * the dashboard. `add` follows the whole cloud (the API and the operators' page narrow a scope)
 * and prints the signing secret, this once; SD_WEBHOOK_ALLOW_PRIVATE applies as on the server.
 * Every change is audited as `cli:<user>`; a test is queued for a running server to send.
 */
export async function runWebhook(config: Readonly<Config>, command: WebhookCommand, io: CliIo): Promise<number> {
  const actor = `cli:${userInfo().username}`;
  const store = openStore(config.databaseUrl);
  try {
    await migrateToLatest(store);
    switch (command.action) {
      case 'list':
        return await list(store, io);
      case 'add': {
        const created = await createWebhook(store, { url: command.url, format: command.format, scope: WHOLE_CLOUD }, { allowPrivate: config.notifications.allowPrivateWebhooks, now: Date.now(), actor });
        if (created.outcome === 'refused') throw new WebhookCommandError(`url refused: ${created.problem}`);
        const { webhook } = created;
        io.stdout.write(`added webhook ${webhook.id}: ${webhook.url} (${webhook.format}), ${describeScope(webhook.scope).toLowerCase()}\n`);
        io.stdout.write(`signing secret, shown this once (the receiver checks X-Status-Dashboard-Signature with it):\n${webhook.secret}\n`);
        return 0;
      }
      case 'test': {
        const webhook = await existing(store, command.id);
        const deliveryId = await queueWebhookTest(store, webhook.id, Date.now());
        io.stdout.write(`queued test delivery ${deliveryId} to webhook ${webhook.id}: a running server sends it within seconds (see \`webhook list\` or /webhooks)\n`);
        return 0;
      }
      case 'enable':
      case 'disable': {
        const webhook = await existing(store, command.id);
        await setWebhookEnabled(store, webhook.id, command.action === 'enable', Date.now(), actor);
        io.stdout.write(`webhook ${webhook.id} is ${command.action}d\n`);
        return 0;
      }
      case 'remove': {
        const webhook = await existing(store, command.id);
        if (!(await removeWebhook(store, webhook.id, Date.now(), actor))) throw notFound(command.id);
        io.stdout.write(`removed webhook ${webhook.id} (${webhook.url})\n`);
        return 0;
      }
    }
  } finally {
    await store.close();
  }
}

/** One line per webhook: id, state (and why it is disabled), format, URL, what it follows, since when it fails. */
async function list(store: Store, io: CliIo): Promise<number> {
  const webhooks = await listWebhooks(store);
  if (webhooks.length === 0) io.stdout.write('no webhooks: add one with `status-dashboard webhook add <url>`\n');
  const ids = [...new Set(webhooks.flatMap((webhook) => (webhook.scope.place.kind === 'components' ? webhook.scope.place.componentIds : [])))];
  const labels = new Map((await componentsWithIds(store, ids)).map((component) => [component.id, componentLabel(component)]));
  for (const webhook of webhooks) {
    const state = webhook.enabled ? 'enabled' : `disabled (${webhook.disabledReason ?? 'no reason recorded'})`;
    const failing = webhook.failingSince === null ? '' : `\tfailing since ${new Date(webhook.failingSince).toISOString()}`;
    io.stdout.write(`${webhook.id}\t${state}\t${webhook.format}\t${webhook.url}\t${describeScope(webhook.scope, (id) => labels.get(id))}${failing}\n`);
  }
  return 0;
}

async function existing(store: Store, text: string) {
  const id = parseId(text);
  const webhook = id === undefined ? undefined : await findWebhook(store, id);
  if (!webhook) throw notFound(text);
  return webhook;
}

const notFound = (text: string) => new WebhookCommandError(`no webhook ${text} (see \`status-dashboard webhook list\`)`);
