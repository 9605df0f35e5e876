import { userInfo } from 'node:os';
import type { Config } from '../config.js';
import { componentLabel } from '../domain/component.js';
import { parseId } from '../domain/ids.js';
import { describeScope } from '../domain/notifications/scope.js';
import { componentsWithIds } from '../storage/components.js';
import { migrateToLatest, openStore } from '../storage/store.js';
import { findSubscriber, findSubscriberByEmail, listSubscribers, removeSubscriber } from '../storage/subscribers.js';
import type { CliIo } from './io.js';

export type SubscriberCommand = { action: 'list' } | { action: 'remove'; subscriber: string };

/** A subscriber to remove that does not exist: one `error:` line, exit code 1. */
export class SubscriberCommandError extends Error {}

/**
 * `status-dashboard subscriber list|remove` (issue 18): the email subscribers, for the people who
 * run the dashboard. Removing deletes the address with its waiting mails, as unsubscribing does,
 * audited as `cli:<user>`. Addresses go to the terminal only, never to a log.
 */
export async function runSubscriber(config: Readonly<Config>, command: SubscriberCommand, io: CliIo): Promise<number> {
  const store = openStore(config.databaseUrl);
  try {
    await migrateToLatest(store);
    if (command.action === 'list') {
      const subscribers = await listSubscribers(store);
      if (subscribers.length === 0) io.stdout.write('no subscribers\n');
      const ids = [...new Set(subscribers.flatMap((subscriber) => (subscriber.scope.place.kind === 'components' ? subscriber.scope.place.componentIds : [])))];
      const labels = new Map((await componentsWithIds(store, ids)).map((component) => [component.id, componentLabel(component)]));
      for (const subscriber of subscribers) {
        const state = subscriber.confirmedAt === null ? 'pending' : 'confirmed';
        const scope = describeScope(subscriber.scope, (id) => labels.get(id));
        io.stdout.write(`${subscriber.id}\t${subscriber.email}\t${state}\t${scope}\tcreated ${new Date(subscriber.createdAt).toISOString()}\n`);
      }
      return 0;
    }
    // Digits name an id; anything else is an address (compared as storage normalises it).
    const id = parseId(command.subscriber);
    const subscriber = id === undefined ? await findSubscriberByEmail(store, command.subscriber) : await findSubscriber(store, id);
    if (!subscriber || !(await removeSubscriber(store, subscriber.id, Date.now(), `cli:${userInfo().username}`))) {
      throw new SubscriberCommandError(`no subscriber ${command.subscriber} (see \`status-dashboard subscriber list\`)`);
    }
    io.stdout.write(`removed subscriber ${subscriber.id} (${subscriber.email})\n`);
    return 0;
  } finally {
    await store.close();
  }
}
