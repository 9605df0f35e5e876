import { CONFIRMATION_LIFETIME_MS, signSubscriptionLink, type LinkPurpose } from '../auth/subscription-links.js';
import type { Component } from '../domain/component.js';
import { testNotification, webhookBody, type Notification } from '../domain/notifications/message.js';
import { describeScope } from '../domain/notifications/scope.js';
import { eventV2 } from '../domain/v2-shapes.js';
import type { ReadModel } from '../read-model/read-model.js';
import { claimDeliveries, pruneDeliveries, settleDelivery, type ClaimedDelivery } from '../storage/deliveries.js';
import { isDatabaseUnavailable } from '../storage/failures.js';
import { fanOut, type FanOutSettings } from '../storage/fan-out.js';
import type { Store } from '../storage/store.js';
import { dropUnconfirmedSubscribers, findSubscriber } from '../storage/subscribers.js';
import { findWebhook, noteWebhookOutcome } from '../storage/webhooks.js';
import { alreadySubscribedMail, confirmationMail, notificationMail, type MailContent, type SubscriberLinks } from '../web/mails.js';
import type { Mailer } from './mailer.js';
import { postWebhook } from './webhook-client.js';

export interface NotifierSettings extends FanOutSettings {
  /** the dashboard's public address, for the links in mails and webhooks (SD_PUBLIC_URL) */
  publicUrl: string | undefined;
  /** the site's name (SD_TITLE) */
  site: string;
  /** the key of the subscribers' links (auth/subscription-links.ts) */
  linkKey: Buffer;
  /** undefined: no SMTP relay is configured, and nobody can subscribe by email */
  mailer: Mailer | undefined;
  webhookTimeoutMs: number;
  /** SD_WEBHOOK_ALLOW_PRIVATE: webhooks may reach loopback and private addresses (tests, a closed network) */
  allowPrivateWebhooks: boolean;
  /** how often an instance looks for news and due deliveries */
  intervalMs: number;
  /** deliveries in flight at once, per instance: a slow relay or receiver holds these, nothing else */
  concurrency: number;
  /** how long a claimed delivery is this instance's before another may take it */
  claimMs: number;
}

export interface NotifierDeps {
  store: Store;
  readModel: ReadModel;
  clock: () => number;
  log: { warn(details: object, message: string): void; error(details: object, message: string): void; info(details: object, message: string): void };
  /** in [0, 1): the retries' jitter (tests pass their own) */
  random?: () => number;
}

export interface Notifier {
  /** one pass: fan out, claim what is due, send it all and settle it (tests drive time by hand) */
  runOnce(): Promise<{ fannedOut: number; sent: number; failed: number }>;
  stop(): Promise<void>;
}

const HOUR = 60 * 60_000;
const KEEP_DELIVERIES_MS = 7 * 24 * HOUR;
const HOUSEKEEPING_EVERY_MS = HOUR;

type Sent = { ok: true } | { ok: false; error: string; final: boolean };

/**
 * Every instance runs one (issue 18): it turns changes into deliveries (storage/fan-out.ts),
 * claims those that are due, at most `concurrency` at a time, sends them outside any
 * transaction, and settles each: sent, retried later, or given up. A database that is away only
 * pauses it; a slow relay or receiver only fills its slots (back-pressure: nothing more is
 * claimed until one frees).
 */
export function startNotifier(deps: NotifierDeps, settings: NotifierSettings, { autoStart = true } = {}): Notifier {
  const { store, readModel, clock, log } = deps;
  const random = deps.random ?? Math.random;
  const inFlight = new Set<Promise<void>>();
  /** what the deliveries of the current runOnce came to */
  const results: ('sent' | 'retry' | 'failed')[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let lastHousekeeping = 0;
  let databaseAway = false;

  const base = (settings.publicUrl ?? '').replace(/\/$/, '');
  const link = (purpose: LinkPurpose, subscriberId: number, expiresAt?: number) =>
    `${base}/subscriptions/${purpose}/${signSubscriptionLink(settings.linkKey, purpose, subscriberId, expiresAt)}`;
  const subscriberLinks = (id: number): SubscriberLinks => ({ manage: link('manage', id), unsubscribe: link('unsubscribe', id) });

  /** The news a delivery carries, from the event as the public sees it now; undefined when it is no longer public. */
  const notificationOf = async (delivery: ClaimedDelivery, now: number): Promise<Notification | undefined> => {
    const model = await readModel.fresh();
    const event = delivery.eventId === null ? undefined : model.events.get(delivery.eventId);
    if (!event) return undefined;
    const ids = new Set([...event.componentIds, ...delivery.changes.flatMap((change) => ('componentIds' in change ? change.componentIds : []))]);
    const components = new Map([...ids].map((id) => [id, model.components.get(id)]).filter((entry): entry is [number, Component] => entry[1] !== undefined));
    return { id: deliveryKey(delivery), event, changes: delivery.changes, components, url: `${base}/incidents/${event.id}`, eventJson: eventV2(event, now), now };
  };

  const sendMail = async (delivery: ClaimedDelivery, now: number): Promise<Sent> => {
    if (!settings.mailer) return { ok: false, error: 'no SMTP relay is configured (SD_SMTP_URL)', final: true };
    const subscriber = await findSubscriber(store, delivery.targetId);
    if (!subscriber) return { ok: false, error: 'the subscriber is gone', final: true };
    const links = subscriberLinks(subscriber.id);
    const scope = describeScope(subscriber.scope, (id) => readModel.components.get(id)?.name);
    let content: MailContent;
    if (delivery.kind === 'confirm') {
      content = confirmationMail(settings.site, scope, link('confirm', subscriber.id, now + CONFIRMATION_LIFETIME_MS), CONFIRMATION_LIFETIME_MS / HOUR);
    } else if (delivery.kind === 'manage') {
      content = alreadySubscribedMail(settings.site, scope, links);
    } else {
      // News goes only to a confirmed address (a confirmation arriving late makes no difference).
      if (subscriber.confirmedAt === null) return { ok: false, error: 'the address is not confirmed', final: true };
      const notification = await notificationOf(delivery, now);
      if (!notification) return { ok: false, error: 'the event is not public', final: true };
      content = notificationMail(notification, settings.site, links);
    }
    const unsubscribe: Record<string, string> = delivery.kind === 'confirm' ? {} : { 'List-Unsubscribe': `<${links.unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
    return settings.mailer.send({
      ...content,
      to: subscriber.email,
      messageId: `<${deliveryKey(delivery)}@${new URL(base || 'http://status-dashboard').hostname}>`,
      headers: { ...unsubscribe, 'X-Status-Dashboard-Delivery': deliveryKey(delivery), 'Auto-Submitted': 'auto-generated' },
    });
  };

  const sendWebhook = async (delivery: ClaimedDelivery, now: number): Promise<Sent> => {
    const webhook = await findWebhook(store, delivery.targetId);
    if (!webhook || (!webhook.enabled && delivery.kind !== 'test')) return { ok: false, error: 'the webhook is gone or disabled', final: true };
    const notification = delivery.kind === 'test' ? testNotification(deliveryKey(delivery), settings.site, `${base}/`, now) : await notificationOf(delivery, now);
    if (!notification) return { ok: false, error: 'the event is not public', final: true };
    const response = await postWebhook({
      url: webhook.url,
      body: JSON.stringify(webhookBody(webhook.format, notification)),
      secret: webhook.secret,
      deliveryId: deliveryKey(delivery),
      now,
      timeoutMs: settings.webhookTimeoutMs,
      allowPrivate: settings.allowPrivateWebhooks,
    });
    if (delivery.kind !== 'test') {
      const disabled = await noteWebhookOutcome(store, webhook.id, response.ok ? { ok: true } : { ok: false, error: response.error }, clock());
      if (disabled) log.warn({ webhook: webhook.id }, 'webhook disabled: its deliveries have failed for a day');
    }
    return response.ok ? { ok: true } : response;
  };

  /** Sends one claimed delivery and settles it; never throws. */
  const deliver = async (delivery: ClaimedDelivery): Promise<'sent' | 'retry' | 'failed'> => {
    const now = clock();
    let sent: Sent;
    try {
      sent = delivery.channel === 'email' ? await sendMail(delivery, now) : await sendWebhook(delivery, now);
    } catch (error) {
      sent = { ok: false, error: error instanceof Error ? error.message : String(error), final: false };
    }
    try {
      const settled = await settleDelivery(store, delivery, sent, clock(), random);
      if (settled === 'failed' && !sent.ok) log.warn({ delivery: delivery.id, channel: delivery.channel, reason: sent.error }, 'delivery given up');
      return settled;
    } catch (error) {
      // The claim runs out and another pass (of any instance) sends it again: a repeat, never a loss.
      if (!isDatabaseUnavailable(error)) log.error({ err: error, delivery: delivery.id }, 'delivery could not be settled');
      return 'retry';
    }
  };

  const housekeeping = async (now: number) => {
    if (now - lastHousekeeping < HOUSEKEEPING_EVERY_MS) return;
    lastHousekeeping = now;
    await pruneDeliveries(store, now - KEEP_DELIVERIES_MS);
    await dropUnconfirmedSubscribers(store, now - CONFIRMATION_LIFETIME_MS);
  };

  /**
   * One pass: fan out, then claim as many due deliveries as there are free slots and start them.
   * A pass that filled every slot asks for another as soon as a slot frees, so a backlog drains
   * as fast as the receivers take it; otherwise the next pass comes with the interval.
   */
  const pass = async (): Promise<{ fannedOut: number; claimed: number }> => {
    const outcome = { fannedOut: 0, claimed: 0 };
    try {
      outcome.fannedOut = (await fanOut(store, clock, settings)).deliveries;
      await housekeeping(clock());
      const free = settings.concurrency - inFlight.size;
      const claimed = free > 0 ? await claimDeliveries(store, clock(), free, settings.claimMs) : [];
      outcome.claimed = claimed.length;
      const full = claimed.length === free;
      for (const delivery of claimed) {
        const sending = deliver(delivery).then((result) => {
          results.push(result);
          inFlight.delete(sending);
          if (full) kick();
        });
        inFlight.add(sending);
      }
      if (databaseAway) log.info({}, 'notifications resume: the database answers again');
      databaseAway = false;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) log.error({ err: error }, 'notifications: a pass failed');
      else if (!databaseAway) log.warn({}, 'notifications wait: the database cannot be reached');
      databaseAway = isDatabaseUnavailable(error) || databaseAway;
    }
    return outcome;
  };

  /** Passes never overlap: one asked for while another runs comes right after it. */
  let running: Promise<unknown> | undefined;
  let again = false;
  const runPass = (): Promise<unknown> => {
    if (running) {
      again = true;
      return running;
    }
    running = pass().finally(() => {
      running = undefined;
      if (again && !stopped) {
        again = false;
        void runPass();
      }
    });
    return running;
  };
  const kick = () => {
    if (!stopped) void runPass();
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void runPass().finally(schedule), settings.intervalMs);
    timer.unref();
  };
  if (autoStart) schedule();

  return {
    async runOnce() {
      results.length = 0;
      const { fannedOut } = await pass();
      while (inFlight.size > 0) await Promise.all(inFlight);
      return { fannedOut, sent: results.filter((result) => result === 'sent').length, failed: results.filter((result) => result === 'failed').length };
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}

/** A delivery's idempotency key: the same for every attempt, another for every delivery. */
function deliveryKey(delivery: Pick<ClaimedDelivery, 'id' | 'createdAt'>): string {
  return `delivery-${delivery.id}-${delivery.createdAt.toString(36)}`;
}
