import { componentLabelV2, type Component } from '../component.js';
import type { StatusEvent } from '../event.js';
import { currentStatus } from '../event-status.js';
import { IMPACTS } from '../impact.js';
import type { AnnouncedChange } from './announcements.js';

/** What one notification says, whatever carries it (a mail, a webhook of any format). */
export interface Notification {
  /** the delivery's idempotency key: a receiver that sees it twice drops the second */
  id: string;
  event: StatusEvent;
  /** what happened since the last notification about the event, oldest first */
  changes: readonly AnnouncedChange[];
  /** the event's components and those that just left it, for their names */
  components: ReadonlyMap<number, Component>;
  /** the event's page */
  url: string;
  /** the event as API v2 shows it to anyone */
  eventJson: unknown;
  now: number;
}

const KIND_LABEL = { incident: 'Incident', maintenance: 'Maintenance', info: 'Notice' } as const;

/** "Outage", "Major incident", "Minor incident", "Maintenance", "Notice". */
export function kindLabel(event: Pick<StatusEvent, 'type' | 'impact'>): string {
  if (event.type !== 'incident') return KIND_LABEL[event.type];
  return event.impact === 3 ? 'Outage' : event.impact === 2 ? 'Major incident' : 'Minor incident';
}

/** "[Outage, resolved] Compute is down": what a mail's subject or a chat message's title says. */
export function notificationTitle(notification: Pick<Notification, 'event' | 'now'>): string {
  const { event, now } = notification;
  return `[${kindLabel(event)}, ${currentStatus(event, now)}] ${event.title}`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const duration = (ms: number) => (ms >= 90 * 60_000 ? `${Math.round(ms / 3_600_000)} hours` : `${Math.max(1, Math.round(ms / 60_000))} minutes`);

/** Each change in one plain sentence, in the order it happened. */
export function changeLines(notification: Pick<Notification, 'event' | 'changes' | 'components'>): string[] {
  const { event, changes, components } = notification;
  const names = (ids: readonly number[]) => ids.map((id) => components.get(id)).map((component, index) => (component ? componentLabelV2(component) : `#${ids[index]}`)).join(', ');
  return changes.map((change) => {
    switch (change.kind) {
      case 'opened':
        return `${kindLabel(event)} opened, affecting ${names(event.componentIds)}.`;
      case 'impact':
        return `Impact changed from ${IMPACTS[change.from].label} to ${IMPACTS[change.to].label}.`;
      case 'components-added':
        return `Now also affects ${names(change.componentIds)}.`;
      case 'components-removed':
        return `No longer affects ${names(change.componentIds)}.`;
      case 'resolved':
        return 'Resolved.';
      case 'reopened':
        return 'Reopened.';
      case 'planned':
        return event.type === 'incident'
          ? `${kindLabel(event)} opened, affecting ${names(event.componentIds)}.`
          : `${KIND_LABEL[event.type]} planned from ${iso(event.startAt)}${event.endAt === null ? '' : ` to ${iso(event.endAt)}`} (UTC), affecting ${names(event.componentIds)}.`;
      case 'rescheduled':
        return `Moved to ${iso(change.startAt)}${change.endAt === null ? '' : ` – ${iso(change.endAt)}`} (UTC).`;
      case 'started':
        return event.type === 'maintenance' ? 'Maintenance in progress.' : 'Notice active.';
      case 'completed':
        return 'Completed.';
      case 'cancelled':
        return 'Cancelled.';
      case 'reminder':
        return `Starts in ${duration(change.startsInMs)}, at ${iso(event.startAt)} (UTC).`;
      case 'update':
        return `${change.status}: ${change.text}`;
    }
  });
}

/** The formats a webhook can take: ours, and the incoming-webhook shapes of three chat tools. */
export const WEBHOOK_FORMATS = ['json', 'slack', 'teams', 'discord'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** Slack's mrkdwn and Discord's markdown read `<`, `>` and `&` specially: user text is escaped for them. */
const escapeSlack = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeMarkdown = (text: string) => text.replace(/([\\`*_~|>[\]()#-])/g, '\\$1');

/**
 * The body of a webhook delivery in its format. `json` is ours: which delivery, which event,
 * what changed (as structured changes and as sentences) and the event as API v2 shows it. The
 * chat formats are their tools' incoming-webhook shapes: a title linked to the event's page and
 * the sentences.
 */
export function webhookBody(format: WebhookFormat, notification: Notification): unknown {
  const title = notificationTitle(notification);
  const lines = changeLines(notification);
  switch (format) {
    case 'json':
      return {
        id: notification.id,
        event_id: notification.event.id,
        title,
        url: notification.url,
        changes: notification.changes,
        summary: lines,
        event: notification.eventJson,
        sent_at: new Date(notification.now).toISOString(),
      };
    case 'slack':
      return {
        text: `${escapeSlack(title)}: ${notification.url}`,
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: `*<${notification.url}|${escapeSlack(title)}>*` } },
          { type: 'section', text: { type: 'mrkdwn', text: lines.map(escapeSlack).join('\n') } },
        ],
      };
    case 'teams':
      // An Adaptive Card in a message, as Teams' incoming webhooks and Workflows take it.
      return {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.4',
              body: [
                { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
                ...lines.map((line) => ({ type: 'TextBlock', text: line, wrap: true })),
              ],
              actions: [{ type: 'Action.OpenUrl', title: 'Open', url: notification.url }],
            },
          },
        ],
      };
    case 'discord':
      return {
        content: escapeMarkdown(title),
        embeds: [{ title: title.slice(0, 256), url: notification.url, description: lines.map(escapeMarkdown).join('\n').slice(0, 4096) }],
        allowed_mentions: { parse: [] },
      };
  }
}

/** What a webhook's "send test" delivers: a notification about no event, saying so. */
export function testNotification(id: string, site: string, url: string, now: number): Notification {
  const event: StatusEvent = {
    id: 0,
    type: 'info',
    title: `Test message from ${site}`,
    description: null,
    impact: 0,
    startAt: now,
    endAt: now,
    status: 'completed',
    system: false,
    componentIds: [],
    updates: [],
    version: 1,
    creator: null,
    contactEmail: null,
  };
  return { id, event, changes: [{ kind: 'update', status: 'test', text: 'This is a test: the webhook works.', at: now }], components: new Map(), url, eventJson: null, now };
}
