import { CONFIRMATION_LIFETIME_MS, signSubscriptionLink, type LinkPurpose } from '../auth/subscription-links.js';
import type { Component } from '../domain/component.js';
import { testNotification, webhookBody, type Notification, type WebhookFormat } from '../domain/notifications/message.js';
import { describeScope } from '../domain/notifications/scope.js';
import { eventV2 } from '../domain/v2-shapes.js';
import type { ReadModel } from '../read-model/read-model.js';
import { claimDeliveries, pruneDeliveries, settleDeliveries, type ClaimedDelivery, type Settlement } from '../storage/deliveries.js';
import { isDatabaseUnavailable } from '../storage/failures.js';
import { fanOut, type FanOutSettings } from '../storage/fan-out.js';
import type { Store } from '../storage/store.js';
import { dropUnconfirmedSubscribers, findSubscribersById, type Subscriber } from '../storage/subscribers.js';
import { findWebhooksById, type WebhookWithSecret } from '../storage/webhooks.js';
import { serviceLabel } from '../web/scope-fields.js';
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
  /**
   * Deliveries claimed at once, then sent `concurrency` at a time: a claim, the reads for its
   * messages and its settlement cost about as much for 64 deliveries as for 8. One that has not
   * started by the time half its claim is gone (slow receivers held the slots) is handed back
   * untried, so that nothing is sent after its claim ran out and another instance took it.
   */
  claimSize: number;
  /** how long a claimed delivery is this instance's before another may take it */
  claimMs: number;
  /**
   * The pause before claiming again when a backlog is waiting: notifications give way to
   * monitoring, spreading a burst of deliveries (an outage's news for every target) over time
   * instead of taking the CPU in one go. Absent: no pause (tests).
   */
  paceMs?: number;
}

export interface NotifierDeps {
  store: Store;
  readModel: ReadModel;
  clock: () => number;
  log: { warn(details: object, message: string): void; error(details: object, message: string): void; info(details: object, message: string): void };
  /** in [0, 1): the retries' jitter (tests pass their own) */
  random?: () => number;
  /** told of every attempt and every delivery given up (the metrics) */
  observer?: DeliveryObserver;
}

/** What the notifier tells whoever measures it: it knows nothing of Prometheus itself. */
export interface DeliveryObserver {
  /** one attempt to send, and whether the relay or the receiver took it */
  attempted(channel: ClaimedDelivery['channel'], sent: boolean): void;
  /** a delivery failed for good: tried for too long, or its webhook is gone or disabled */
  gaveUp(channel: ClaimedDelivery['channel']): void;
}

export interface Notifier {
  /** one pass: fan out, claim what is due, send it all and settle it (tests drive time by hand) */
  runOnce(): Promise<{ fannedOut: number; sent: number; failed: number }>;
  stop(): Promise<void>;
}

const HOUR = 60 * 60_000;
const KEEP_DELIVERIES_MS = 7 * 24 * HOUR;
const HOUSEKEEPING_EVERY_MS = HOUR;
/** How long a settlement waits for others to share its transaction. */
const SETTLE_AFTER_MS = 20;

type Sent = { ok: true } | { ok: false; error: string; final: boolean };
/** A settlement of a delivery this instance claimed: the whole delivery, its channel included. */
type SentDelivery = Settlement & { delivery: ClaimedDelivery };
const UNSENT = { ok: false, unsent: true } as const;

/**
 * Every instance runs one (issue 18): it turns changes into deliveries (storage/fan-out.ts),
 * claims those that are due, at most `concurrency` at a time, sends them outside any
 * transaction, and settles each: sent, retried later, or given up. A database that is away only
 * pauses it; a slow relay or receiver only fills its slots (back-pressure: nothing more is
 * claimed until one frees).
 */
export function startNotifier(deps: NotifierDeps, settings: NotifierSettings, { autoStart = true } = {}): Notifier {
  const { store, readModel, clock, log, observer } = deps;
  const random = deps.random ?? Math.random;
  /** deliveries claimed and not settled yet: waiting to start, on their way, or waiting to be settled */
  let held = 0;
  /** what the deliveries of the current runOnce came to */
  const results: ('sent' | 'retry' | 'failed')[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let lastHousekeeping = 0;
  let databaseAway = false;
  /** what the last fan-out reached: until the state moves or a reminder falls due there is nothing to fan out */
  let fannedOut: { version: number; nextReminderAt: number | undefined } | undefined;
  let warnedRelativeLinks = false;

  const base = (settings.publicUrl ?? '').replace(/\/$/, '');
  const link = (purpose: LinkPurpose, subscriberId: number, expiresAt?: number) =>
    `${base}/subscriptions/${purpose}/${signSubscriptionLink(settings.linkKey, purpose, subscriberId, expiresAt)}`;
  const subscriberLinks = (id: number): SubscriberLinks => ({ manage: link('manage', id), unsubscribe: link('unsubscribe', id) });

  /**
   * What the deliveries of one claim need, read or built once for all of them: the model, their
   * targets, and per piece of news its notification and bodies. A new incident is news for every
   * target at once, and its API v2 form (hundreds of services in an outage) is built once, not per
   * delivery: building it per delivery held the event loop for tens of milliseconds.
   */
  interface Batch {
    model: ReadModel;
    subscribers: Map<number, Subscriber>;
    webhooks: Map<number, WebhookWithSecret>;
    /** when the batch was claimed: its messages' time */
    now: number;
    notifications: Map<string, Notification | undefined>;
    bodies: Map<string, string>;
  }

  const loadBatch = async (claimed: readonly ClaimedDelivery[]): Promise<Batch> => {
    const targets = (channel: ClaimedDelivery['channel']) => [...new Set(claimed.filter((delivery) => delivery.channel === channel).map((delivery) => delivery.targetId))];
    const [model, subscribers, webhooks] = await Promise.all([readModel.fresh(), findSubscribersById(store, targets('email')), findWebhooksById(store, targets('webhook'))]);
    return { model, subscribers, webhooks, now: clock(), notifications: new Map(), bodies: new Map() };
  };

  /** What makes deliveries the same news: their event and its changes. */
  const newsKey = (delivery: ClaimedDelivery) => `${delivery.eventId}:${JSON.stringify(delivery.changes)}`;

  /** The news a delivery carries, from the event as the public sees it now; undefined when it is no longer public. */
  const notificationOf = (delivery: ClaimedDelivery, key: string, batch: Batch): Notification | undefined => {
    if (!batch.notifications.has(key)) {
      const { model, now } = batch;
      const event = delivery.eventId === null ? undefined : model.events.get(delivery.eventId);
      const ids = new Set([...(event?.componentIds ?? []), ...delivery.changes.flatMap((change) => ('componentIds' in change ? change.componentIds : []))]);
      const components = new Map([...ids].map((id) => [id, model.components.get(id)]).filter((entry): entry is [number, Component] => entry[1] !== undefined));
      batch.notifications.set(
        key,
        event && { id: '', event, changes: delivery.changes, components, url: `${base}/incidents/${event.id}`, eventJson: eventV2(event, now), now },
      );
    }
    const shared = batch.notifications.get(key);
    return shared && { ...shared, id: deliveryKey(delivery) };
  };

  /**
   * A webhook's body for a notification: built once per format and piece of news in a batch.
   * Only our JSON names the delivery (its first property), which is put in front of the shared rest.
   */
  const bodyOf = (format: WebhookFormat, news: string, notification: Notification, batch: Batch): string => {
    const key = `${format}:${news}`;
    let shared = batch.bodies.get(key);
    if (shared === undefined) {
      shared = JSON.stringify(webhookBody(format, { ...notification, id: '' }));
      batch.bodies.set(key, shared);
    }
    return format === 'json' ? `{"id":${JSON.stringify(notification.id)}${shared.slice('{"id":""'.length)}` : shared;
  };

  const sendMail = async (delivery: ClaimedDelivery, batch: Batch, now: number): Promise<Sent> => {
    if (!settings.mailer) return { ok: false, error: 'no SMTP relay is configured (SD_SMTP_URL)', final: true };
    const subscriber = batch.subscribers.get(delivery.targetId);
    if (!subscriber) return { ok: false, error: 'the subscriber is gone', final: true };
    const links = subscriberLinks(subscriber.id);
    // The same service runs in several regions: its name says which.
    const scope = describeScope(subscriber.scope, (id) => {
      const component = batch.model.components.get(id);
      return component && serviceLabel(component);
    });
    let content: MailContent;
    if (delivery.kind === 'confirm') {
      content = confirmationMail(settings.site, scope, link('confirm', subscriber.id, now + CONFIRMATION_LIFETIME_MS), CONFIRMATION_LIFETIME_MS / HOUR);
    } else if (delivery.kind === 'manage') {
      content = alreadySubscribedMail(settings.site, scope, links);
    } else {
      // News goes only to a confirmed address (a confirmation arriving late makes no difference).
      if (subscriber.confirmedAt === null) return { ok: false, error: 'the address is not confirmed', final: true };
      const notification = notificationOf(delivery, newsKey(delivery), batch);
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

  const sendWebhook = async (delivery: ClaimedDelivery, batch: Batch, now: number): Promise<Sent> => {
    const webhook = batch.webhooks.get(delivery.targetId);
    if (!webhook || (!webhook.enabled && delivery.kind !== 'test')) return { ok: false, error: 'the webhook is gone or disabled', final: true };
    const news = newsKey(delivery);
    const notification = delivery.kind === 'test' ? testNotification(deliveryKey(delivery), settings.site, `${base}/`, now) : notificationOf(delivery, news, batch);
    if (!notification) return { ok: false, error: 'the event is not public', final: true };
    if (!base && !warnedRelativeLinks) {
      warnedRelativeLinks = true;
      log.warn({}, 'webhooks link to events with relative paths: set SD_PUBLIC_URL so that chat tools can open them');
    }
    const response = await postWebhook({
      url: webhook.url,
      body: delivery.kind === 'test' ? JSON.stringify(webhookBody(webhook.format, notification)) : bodyOf(webhook.format, news, notification, batch),
      secret: webhook.secret,
      deliveryId: deliveryKey(delivery),
      now,
      timeoutMs: settings.webhookTimeoutMs,
      allowPrivate: settings.allowPrivateWebhooks,
    });
    return response.ok ? { ok: true } : response;
  };

  /** Sends one claimed delivery; never throws. */
  const send = async (delivery: ClaimedDelivery, batch: Batch): Promise<SentDelivery> => {
    const now = clock();
    let outcome: Sent;
    try {
      outcome = delivery.channel === 'email' ? await sendMail(delivery, batch, now) : await sendWebhook(delivery, batch, now);
    } catch (error) {
      outcome = { ok: false, error: error instanceof Error ? error.message : String(error), final: false };
    }
    observer?.attempted(delivery.channel, outcome.ok);
    return { delivery, outcome, webhookId: delivery.channel === 'webhook' && delivery.kind === 'event' ? delivery.targetId : undefined };
  };

  /**
   * Claimed deliveries waiting for a slot, in claim order, each with the moment after which it is
   * handed back instead of sent (the same for a claim's deliveries, so it only grows along the queue).
   */
  const waiting: { delivery: ClaimedDelivery; batch: Batch; startBy: number }[] = [];
  /** deliveries on their way: at most `concurrency` */
  let sending = 0;
  let starting: NodeJS.Immediate | undefined;
  const startSoon = () => {
    starting ??= setImmediate(startNext);
  };
  /**
   * Starts the next waiting delivery if a slot is free, one per turn of the event loop: a request
   * to the server that arrives meanwhile waits for one delivery's start, never for a claim's.
   */
  const startNext = () => {
    starting = undefined;
    // Stopping, or half the claim gone: not sent from here, but handed back for any instance to take.
    for (let head = waiting[0]; head && (stopped || clock() > head.startBy); head = waiting[0]) {
      waiting.shift();
      settleSoon({ delivery: head.delivery, outcome: UNSENT });
    }
    const next = sending < settings.concurrency ? waiting.shift() : undefined;
    if (!next) return;
    sending++;
    void send(next.delivery, next.batch).then((settlement) => {
      sending--;
      settleSoon(settlement);
      startSoon();
    });
    if (waiting.length > 0 && sending < settings.concurrency) startSoon();
  };

  /**
   * Settlements wait here and are written together, one transaction per batch: a burst of
   * deliveries costs the database a few transactions, not two per delivery, and the writes of
   * monitoring that queue behind them wait that much less.
   */
  const unsettled: SentDelivery[] = [];
  let settling: Promise<void> | undefined;
  let waitingToSettle: NodeJS.Timeout | undefined;
  const settleSoon = (settlement: SentDelivery) => {
    unsettled.push(settlement);
    // Once every delivery in flight has an outcome, at once; otherwise a moment later, so that
    // the outcomes of a burst of sends share one transaction instead of taking one each.
    const everyOne = unsettled.length >= held;
    if (settling || (!everyOne && waitingToSettle)) return;
    if (everyOne) {
      clearTimeout(waitingToSettle);
      waitingToSettle = undefined;
      startFlush();
    } else {
      waitingToSettle = setTimeout(() => {
        waitingToSettle = undefined;
        if (!settling) startFlush();
      }, SETTLE_AFTER_MS);
    }
  };
  /** One flush at a time; what arrived while it ran ends its turn (it would wait for nothing else). */
  const startFlush = () => {
    settling = flush().finally(() => {
      settling = undefined;
      if (unsettled.length > 0) startFlush();
    });
  };
  const flush = async (): Promise<void> => {
    while (unsettled.length > 0) {
      const batch = unsettled.splice(0, unsettled.length);
      try {
        const { results: settled, disabledWebhooks } = await settleDeliveries(store, batch, clock(), random);
        settled.forEach((result, index) => {
          results.push(result);
          const { delivery, outcome } = batch[index] as SentDelivery;
          if (result === 'failed') observer?.gaveUp(delivery.channel);
          if (result === 'failed' && 'error' in outcome) log.warn({ delivery: delivery.id, reason: outcome.error }, 'delivery given up');
        });
        for (const webhook of disabledWebhooks) log.warn({ webhook }, 'webhook disabled: its deliveries have failed for a day');
      } catch (error) {
        // The claims run out and another pass (of any instance) sends them again: a repeat, never a loss.
        if (!isDatabaseUnavailable(error)) log.error({ err: error, deliveries: batch.length }, 'deliveries could not be settled');
        results.push(...batch.map(() => 'retry' as const));
      }
      held -= batch.length;
      kick();
    }
  };

  const housekeeping = async (now: number) => {
    if (now - lastHousekeeping < HOUSEKEEPING_EVERY_MS) return;
    lastHousekeeping = now;
    await pruneDeliveries(store, now - KEEP_DELIVERIES_MS);
    await dropUnconfirmedSubscribers(store, now - CONFIRMATION_LIFETIME_MS);
  };

  /** Whether anything may have changed since the last fan-out: the state moved, or a reminder fell due. */
  const mayHaveNews = async (now: number) => {
    if (!fannedOut) return true;
    if (fannedOut.nextReminderAt !== undefined && fannedOut.nextReminderAt <= now) return true;
    return (await store.committedVersion()) !== fannedOut.version;
  };

  /**
   * One pass: fan out (if the state moved), then claim due deliveries up to a claim's size, once
   * at least half a claim is free (many small claims would cost as much as as many big ones), and
   * start them. A pass that got all it asked for gets another once a batch is settled, so a
   * backlog drains as fast as the receivers take it (paced by `paceMs`); otherwise the next pass
   * comes with the interval.
   */
  const pass = async (): Promise<{ fannedOut: number; claimed: number }> => {
    const outcome = { fannedOut: 0, claimed: 0 };
    try {
      if (await mayHaveNews(clock())) {
        const result = await fanOut(store, clock, settings);
        fannedOut = { version: result.version, nextReminderAt: result.nextReminderAt };
        outcome.fannedOut = result.deliveries;
      }
      await housekeeping(clock());
      const free = settings.claimSize - held;
      const claimedAt = clock();
      const claimed = free >= settings.claimSize / 2 ? await claimDeliveries(store, claimedAt, free, settings.claimMs) : undefined;
      if (claimed) moreDue = claimed.length === free;
      outcome.claimed = claimed?.length ?? 0;
      if (claimed && claimed.length > 0) {
        held += claimed.length;
        try {
          const batch = await loadBatch(claimed);
          const startBy = claimedAt + settings.claimMs / 2;
          for (const delivery of claimed) waiting.push({ delivery, batch, startBy });
          startSoon();
        } catch (error) {
          // Nothing was sent: the claims run out and the deliveries are due again.
          held -= claimed.length;
          throw error;
        }
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
  let moreDue = false;
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
  /** A batch was settled: if the last claim got all it asked for, more may be due now. */
  const kick = () => {
    if (stopped || !moreDue) return;
    if (!settings.paceMs) {
      void runPass();
      return;
    }
    clearTimeout(pacing);
    pacing = setTimeout(() => void runPass(), settings.paceMs);
    pacing.unref();
  };
  let pacing: NodeJS.Timeout | undefined;

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void runPass().finally(schedule), settings.intervalMs);
    timer.unref();
  };
  if (autoStart) schedule();

  /** Until nothing runs: no pass, no delivery in flight, no settlement waiting. */
  const quiet = async () => {
    while (running || settling || waitingToSettle || held > 0) await Promise.all([running, settling, new Promise((resolve) => setTimeout(resolve, waitingToSettle ? SETTLE_AFTER_MS : 0))]);
  };

  return {
    async runOnce() {
      results.length = 0;
      await quiet();
      const { fannedOut: fanned } = await pass();
      await quiet();
      return { fannedOut: fanned, sent: results.filter((result) => result === 'sent').length, failed: results.filter((result) => result === 'failed').length };
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(pacing);
      // What waits for a slot is handed back at once; what is on its way is settled.
      startSoon();
      await quiet();
    },
  };
}

/** A delivery's idempotency key: the same for every attempt, another for every delivery. */
function deliveryKey(delivery: Pick<ClaimedDelivery, 'id' | 'createdAt'>): string {
  return `delivery-${delivery.id}-${delivery.createdAt.toString(36)}`;
}
