import { Feed } from 'feed';
import type { StatusEvent } from '../../domain/event.js';
import { IMPACTS } from '../../domain/impact.js';
import { updateTextHtml } from '../../domain/texts.js';

const stamp = (epochMs: number) => `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The item body the reference's RSS readers know (reference v1 §5), with every time zoned. */
export function eventSummaryHtml(event: StatusEvent): string {
  const parts = event.updates.map(
    (update) => `<small>${stamp(update.at)}</small><br><strong>${updateTextHtml({ status: 'text', text: update.status })} - </strong>${updateTextHtml(update)}<br>`,
  );
  parts.push(`Incident impact: ${IMPACTS[event.impact].key}`, `Incident has started on: ${stamp(event.startAt)}`);
  if (event.endAt !== null) parts.push(`Incident end date: ${stamp(event.endAt)}`);
  parts.push('', 'We apologize for the inconvenience and will share an update once we have more information.');
  return parts.join('<br>');
}

export interface FeedMeta {
  title: string;
  description: string;
  /** absolute URL of this feed */
  self: string;
  /** absolute base URL of the dashboard, without a trailing slash */
  base: string;
  feedLinks?: { rss?: string; atom?: string; json?: string };
}

export function buildFeed(meta: FeedMeta, events: readonly StatusEvent[]): Feed {
  const lastChange = (event: StatusEvent) => Math.max(event.startAt, event.endAt ?? 0, ...event.updates.map((update) => update.at));
  const feed = new Feed({
    id: meta.self,
    title: meta.title,
    description: meta.description,
    link: `${meta.base}/`,
    copyright: '',
    generator: 'Status Dashboard',
    updated: new Date(events.length > 0 ? Math.max(...events.map(lastChange)) : 0),
    feedLinks: { ...meta.feedLinks },
    feed: meta.self,
  });
  for (const event of events) {
    const url = `${meta.base}/incidents/${event.id}`;
    feed.addItem({
      title: event.title,
      id: url,
      guid: url,
      link: url,
      date: new Date(lastChange(event)),
      published: new Date(event.startAt),
      description: eventSummaryHtml(event),
      category: [{ name: event.type }],
    });
  }
  return feed;
}
